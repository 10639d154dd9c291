// SPDX-License-Identifier: MIT
// The column count verify holds each row of a table to. Counted wrong, verify would refuse
// every genuine archive of such a table, or pass rows the server refuses on restore.
#include "restore/table_columns.hpp"

#include <boost/test/unit_test.hpp>

using pbk::restore::column_count;

BOOST_AUTO_TEST_SUITE(TableColumns)

BOOST_AUTO_TEST_CASE(columns_not_keys) {
  const char* sql = "CREATE TABLE `credentials` (\n"
                    "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
                    "  `server_id` int(11) DEFAULT NULL,\n"
                    "  `key` varchar(255) DEFAULT NULL,\n"
                    "  `options` text DEFAULT NULL,\n"
                    "  PRIMARY KEY (`id`),\n"
                    "  UNIQUE KEY `on_key` (`key`),\n"
                    "  KEY `on_server_id` (`server_id`,`key`(10))\n"
                    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";
  BOOST_TEST(column_count(sql) == 4U);
}

BOOST_AUTO_TEST_CASE(commas_and_parentheses_inside_quotes_and_types) {
  const char* sql = "CREATE TABLE `t` (\n"
                    "  `a,b` decimal(8,2) DEFAULT '1,(2',\n"
                    "  `c` enum('x,y','it''s') COMMENT 'a ) b',\n"
                    "  `d``e` varchar(3) DEFAULT \"q,\"\n"
                    ") ENGINE=InnoDB COMMENT='x,(y'";
  BOOST_TEST(column_count(sql) == 3U);
}

BOOST_AUTO_TEST_SUITE_END()
