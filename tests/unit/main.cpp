// SPDX-License-Identifier: MIT
#define BOOST_TEST_MODULE postal_backup_unit
#include <boost/test/unit_test.hpp>
