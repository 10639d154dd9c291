// SPDX-License-Identifier: MIT
// pbk-generate: writes deterministic SQL rows of a Postal main DB or one message DB to
// stdout, for the tests, the demo and the benchmark (scripts/load-postal-sample loads them).
// Exit codes: 0 success, 1 runtime error, 2 usage error.
#include "tests/generator/main_db.hpp"
#include "tests/generator/message_db.hpp"
#include "tests/generator/sql_out.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace gen = pbk::tests::generator;

namespace {

constexpr const char* k_help = R"(usage:
  pbk-generate main --level L [--servers N] [--seed S] [--rows-per-table K]
  pbk-generate message [--level 18|20] [--server-id I] [--messages M] [--seed S]
                       [--raw-days D] [--big-rows B] [--big-row-mib X] [--size BYTES]
                       [--start-date YYYY-MM-DD] [--rows-per-table K]

Writes SQL statements (INSERTs, and CREATE TABLE for raw-YYYY-MM-DD tables) for ONE Postal
database to stdout. The same arguments always give the same bytes.

main      rows of the main DB at main schema level L (a file name of
          tests/fixtures/postal/schema/main): load after that schema file.
          --servers N         servers with ids 1..N (default 2)
          --rows-per-table K  domains, credentials and routes per server (default 3)
message   rows of one message DB (<prefix>-server-<I>): load after schema/message_db/<level>.sql.
          --level 18|20       raw tables utf8 (18) or utf8mb4 (20); default 20
          --server-id I       default 1
          --messages M        default 200; raised to 3 + B (edge cases and big rows)
          --raw-days D        days of raw tables (default 3, or 30 with --size)
          --big-rows B        message bodies of exactly X MiB (default 0)
          --big-row-mib X     default 17 (above Postal's 14 MB default size limit)
          --size BYTES        instead of --messages: messages until about BYTES raw bytes
                              (suffix K, M, G = 1024-based), mean ~36 KB per message
          --start-date D      first raw day (default 2025-01-01)
          --rows-per-table K  as given to `main` (default 3)
common    --seed S            default 1
)";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::uint64_t parse_number(const std::string& flag, const std::string& text, bool allow_suffix) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr == text.data()) {
    throw UsageError(flag + " needs a number, not '" + text + "'");
  }
  std::string suffix(ptr, end);
  if (!suffix.empty() && allow_suffix) {
    static const std::map<std::string, int> k_shift = {
        {"K", 10}, {"k", 10}, {"M", 20}, {"m", 20}, {"G", 30}, {"g", 30}, {"T", 40}};
    const auto it = k_shift.find(suffix);
    if (it == k_shift.end()) {
      throw UsageError(flag + ": unknown size suffix '" + suffix + "' (use K, M or G)");
    }
    return value << it->second;
  }
  if (!suffix.empty()) {
    throw UsageError(flag + " needs a number, not '" + text + "'");
  }
  return value;
}

std::map<std::string, std::string>
parse_flags(int argc, char** argv, const std::vector<std::string>& known) {
  std::map<std::string, std::string> flags;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    if (const auto eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      throw UsageError(arg + " needs a value");
    }
    bool ok = false;
    for (const auto& k : known) {
      ok = ok || k == arg;
    }
    if (!ok) {
      throw UsageError("unknown option '" + arg + "' for " + argv[1]);
    }
    flags[arg] = value;
  }
  return flags;
}

std::int64_t get(const std::map<std::string, std::string>& flags,
                 const std::string& flag,
                 std::int64_t fallback) {
  const auto it = flags.find(flag);
  return it == flags.end() ? fallback
                           : static_cast<std::int64_t>(parse_number(flag, it->second, false));
}

// --help anywhere wins, so a user who asks is never told instead that an option is wrong.
bool asks_for_help(int argc, char** argv) {
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    return true;
  }
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--help") {
      return true;
    }
  }
  return false;
}

gen::MainDbOptions main_options(int argc, char** argv) {
  const auto flags =
      parse_flags(argc, argv, {"--level", "--servers", "--seed", "--rows-per-table"});
  if (!flags.contains("--level")) {
    throw UsageError("main needs --level (a main schema level such as 20180216114344)");
  }
  gen::MainDbOptions o;
  o.level = flags.at("--level");
  o.servers = get(flags, "--servers", o.servers);
  o.seed = static_cast<std::uint64_t>(get(flags, "--seed", 1));
  o.rows_per_table = get(flags, "--rows-per-table", o.rows_per_table);
  return o;
}

gen::MessageDbOptions message_options(int argc, char** argv) {
  const auto flags = parse_flags(argc,
                                 argv,
                                 {"--level",
                                  "--server-id",
                                  "--messages",
                                  "--seed",
                                  "--raw-days",
                                  "--big-rows",
                                  "--big-row-mib",
                                  "--size",
                                  "--start-date",
                                  "--rows-per-table"});
  gen::MessageDbOptions o;
  o.level = static_cast<int>(get(flags, "--level", o.level));
  o.server_id = get(flags, "--server-id", o.server_id);
  o.messages = get(flags, "--messages", o.messages);
  o.seed = static_cast<std::uint64_t>(get(flags, "--seed", 1));
  o.raw_days = get(flags, "--raw-days", 0);
  o.big_rows = get(flags, "--big-rows", 0);
  o.big_row_mib = get(flags, "--big-row-mib", o.big_row_mib);
  o.rows_per_table = get(flags, "--rows-per-table", o.rows_per_table);
  if (flags.contains("--size")) {
    o.size = parse_number("--size", flags.at("--size"), true);
  }
  if (flags.contains("--start-date")) {
    o.start_date = flags.at("--start-date");
  }
  if (o.server_id < 1 || o.rows_per_table < 1 || o.big_row_mib < 1) {
    throw UsageError("--server-id, --rows-per-table and --big-row-mib must be at least 1");
  }
  return o;
}

int run(int argc, char** argv) {
  if (argc < 2) {
    throw UsageError("missing command: main or message (see --help)");
  }
  if (asks_for_help(argc, argv)) {
    std::fputs(k_help, stdout);
    return 0;
  }
  const std::string command = argv[1];
  gen::SqlOut out(stdout);
  if (command == "main") {
    gen::generate_main_db(main_options(argc, argv), out);
  } else if (command == "message") {
    gen::generate_message_db(message_options(argc, argv), out);
  } else {
    throw UsageError("unknown command '" + command + "' (main or message)");
  }
  out.flush();
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "pbk-generate: %s\n", e.what());
    return 2;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "pbk-generate: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pbk-generate: %s\n", e.what());
    return 1;
  }
}
