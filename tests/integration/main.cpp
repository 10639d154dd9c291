// SPDX-License-Identifier: MIT
// Integration tests run against a real MariaDB server (see tests/support/test_server.hpp).
#define BOOST_TEST_MODULE postal_backup_integration
#include "core/db/library.hpp"

#include <boost/test/unit_test.hpp>

namespace {

// main() of the tool holds the client library the same way.
struct ClientLibrary {
  pbk::core::db::Library library;
};

} // namespace

BOOST_TEST_GLOBAL_FIXTURE(ClientLibrary);
