// SPDX-License-Identifier: MIT
// Rows of the Postal main database at a given main schema level: organizations, users,
// IP pools, servers 1..N and, per server, domains (with DKIM keys), credentials,
// endpoints, routes, webhooks, track domains and queued messages. Columns that a level
// lacks (credentials.uuid before 20200717083943, ip_addresses.priority before
// 20210727210551, ...) are left out; schema_migrations and ar_internal_metadata are not
// written, the schema file fills them.
#pragma once

#include "tests/generator/random.hpp"
#include "tests/generator/sql_out.hpp"

#include <cstdint>
#include <span>
#include <string>

namespace pbk::tests::generator {

struct MainDbOptions {
  std::string level;
  std::int64_t servers = 2;
  std::uint64_t seed = 1;
  std::int64_t rows_per_table = 3; // domains, credentials, routes per server; users
};

// The main schema levels the generator knows (those of tests/fixtures/postal/schema/main).
std::span<const std::string_view> main_levels();

void generate_main_db(const MainDbOptions& options, SqlOut& out);

// Shared by the two halves of the main-DB generator.
struct MainDbContext {
  const MainDbOptions& options;
  SqlOut& out;
  Rng rng;
  std::int64_t organizations;
  std::int64_t users;

  bool at_least(std::string_view level) const { return options.level >= level; }

  std::string time(std::int64_t day, std::int64_t second = 0); // a datetime after the base date
};

void generate_server_rows(MainDbContext& ctx);

} // namespace pbk::tests::generator
