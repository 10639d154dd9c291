// SPDX-License-Identifier: MIT
#include "core/db/connection_options.hpp"

#include <boost/test/unit_test.hpp>

using pbk::core::db::ConnectionOptions;

BOOST_AUTO_TEST_SUITE(ConnectionOptionsTest)

// A user reading an error would look at the wrong server if the endpoint were misdescribed.
BOOST_AUTO_TEST_CASE(describes_the_endpoint_the_client_uses) {
  ConnectionOptions options;
  options.user = "postal";
  BOOST_TEST(options.describe() == "postal@localhost");
  options.socket = "/run/mysqld/mysqld.sock";
  BOOST_TEST(options.describe() == "postal@/run/mysqld/mysqld.sock");
  options.host = "localhost";
  BOOST_TEST(options.describe() == "postal@/run/mysqld/mysqld.sock");
  options.host = "db.example";
  BOOST_TEST(options.describe() == "postal@db.example:3306");
  options.port = 3307;
  BOOST_TEST(options.describe() == "postal@db.example:3307");
  options.user.clear();
  BOOST_TEST(options.describe() == "db.example:3307");
}

// A user's text columns would be converted on the way out if the default charset changed.
BOOST_AUTO_TEST_CASE(defaults_are_binary_and_no_local_infile) {
  const ConnectionOptions options;
  BOOST_TEST(options.charset == "binary");
  BOOST_TEST(!options.local_infile);
  BOOST_TEST(!options.password.has_value());
  BOOST_TEST(options.defaults_file.empty());
  BOOST_TEST(options.connect_timeout == 10U);
}

BOOST_AUTO_TEST_SUITE_END()
