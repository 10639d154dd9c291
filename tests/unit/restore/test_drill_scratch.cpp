// SPDX-License-Identifier: MIT
#include "restore/drill_scratch.hpp"

#include <boost/test/unit_test.hpp>

using pbk::restore::drill_id_of;

BOOST_AUTO_TEST_SUITE(DrillScratchNames)

// Lost if it failed: `--migrate-with` could not point Postal at the scratch message
// databases, which it finds only as `<prefix>-server-<id>`.
BOOST_AUTO_TEST_CASE(scratch_names_are_postal_names_under_a_drill_prefix) {
  BOOST_TEST(pbk::restore::drill_main_database("0a1b2c3d") == "pbk_drill_0a1b2c3d_main");
  BOOST_TEST(pbk::restore::drill_message_db_prefix("0a1b2c3d") == "pbk_drill_0a1b2c3d");
}

// Lost if it failed: a killed drill's databases, in today's names or those of earlier
// versions, would stay on the server for good.
BOOST_AUTO_TEST_CASE(old_and_new_scratch_names_are_recognised) {
  BOOST_TEST(drill_id_of("pbk_drill_0a1b2c3d_main") == "0a1b2c3d");
  BOOST_TEST(drill_id_of("pbk_drill_0a1b2c3d-server-12") == "0a1b2c3d");
  BOOST_TEST(drill_id_of("pbk_drill_0a1b2c3d_server_12") == "0a1b2c3d");
}

// Lost if it failed: a drill would drop an operator's database whose name only looks like a
// scratch name.
BOOST_AUTO_TEST_CASE(lookalikes_are_not_scratch_names) {
  for (const char* name : {"pbk_drill_0a1b2c3d",
                           "pbk_drill_0A1B2C3D_main",
                           "pbk_drill_0a1b2c3_main",
                           "pbk_drill_0a1b2c3g-server-1",
                           "pbk_drill_0a1b2c3d.server-1",
                           "pbk_drill_0a1b2c3d+main",
                           "pbk_0a1b2c3d_new_0",
                           "postal-server-1",
                           "xpbk_drill_0a1b2c3d_main"}) {
    BOOST_TEST(drill_id_of(name).empty(), name);
  }
}

BOOST_AUTO_TEST_SUITE_END()
