// SPDX-License-Identifier: MIT
// Numbers in backup.json and manifest.json that a crafted archive can put there (found by the
// manifest_json fuzz target, tests/fuzz).
#include "archive/manifest_json.hpp"

#include "core/error.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using pbk::core::IntegrityError;

BOOST_AUTO_TEST_SUITE(ManifestJsonNumbers)

// Lost if broken: a backup.json with "format_version": 1e300 converted a double out of the
// range of int (undefined behaviour: any value, or a crash under a sanitizer) instead of being
// refused as a damaged archive (exit 4).
BOOST_AUTO_TEST_CASE(fractional_numbers_are_malformed) {
  for (const std::string number : {"1e300", "-1e300", "1.5", "1.0"}) {
    const std::string text = "{\"format_version\": " + number + "}";
    BOOST_CHECK_EXCEPTION(
        (void)pbk::archive::parse_backup_info(text), IntegrityError, [](const IntegrityError& e) {
          return std::string(e.what()).find("is malformed") != std::string::npos
                 && std::string(e.what()).find("whole number") != std::string::npos;
        });
    BOOST_CHECK_THROW((void)pbk::archive::parse_manifest(text), IntegrityError);
  }
}

BOOST_AUTO_TEST_SUITE_END()
