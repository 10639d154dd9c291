// SPDX-License-Identifier: MIT
// load_postal_config against real files in a temporary directory, in both of Postal's config
// formats (keys as Postal 1.x/2.x and 3.x document them).
#include "cli/postal_config.hpp"
#include "core/error.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>

using namespace pbk::cli;
namespace fs = std::filesystem;

namespace {

class TempDir {
public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "pbk-config-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    m_path = pattern;
  }

  ~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec); // best effort: a leftover temp dir fails no test
  }

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  fs::path write(const std::string& name, const std::string& text) const {
    const auto file = m_path / name;
    std::ofstream(file) << text;
    return file;
  }

  const fs::path& path() const { return m_path; }

private:
  fs::path m_path;
};

const std::string k_legacy = "web:\n"
                             "  host: postal.example.com\n"
                             "main_db:\n"
                             "  host: db1.internal\n"
                             "  port: 3307\n"
                             "  username: postal_main\n"
                             "  password: s3cret\n"
                             "  database: postal_live\n"
                             "  pool_size: 5\n"
                             "  encoding: utf8mb4\n"
                             "message_db:\n"
                             "  host: db2.internal\n"
                             "  port: 3308\n"
                             "  username: postal_msg\n"
                             "  password: other\n"
                             "  prefix: mail\n"
                             "  encoding: utf8mb4\n";

const std::string k_version2 = "version: 2\n"
                               "main_db:\n"
                               "  host: localhost\n"
                               "  port: 3306\n"
                               "  username: postal\n"
                               "  password: p4ss\n"
                               "  database: postal\n"
                               "  pool_size: 5\n"
                               "  encoding: utf8mb4\n"
                               "message_db:\n"
                               "  host: localhost\n"
                               "  port: 3306\n"
                               "  username: postal\n"
                               "  password: p4ss\n"
                               "  encoding: utf8mb4\n"
                               "  database_name_prefix: px\n";

// The message of the usage error load_postal_config throws, or "" when it does not throw.
std::string usage_error(const fs::path& file, const std::map<std::string, std::string>& env = {}) {
  try {
    (void)load_postal_config(file, env);
  } catch (const pbk::core::Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pbk::core::ExitCode::usage));
    BOOST_TEST(!e.hints().empty());
    return e.what();
  }
  return "";
}

} // namespace

BOOST_AUTO_TEST_SUITE(PostalConfig)

BOOST_AUTO_TEST_CASE(legacy_format) {
  // Lost if this fails: `--config` on a 1.x/2.x install connects to the wrong server or
  // backs up the wrong databases.
  TempDir dir;
  const auto config = load_postal_config(dir.write("postal.yml", k_legacy), {});
  BOOST_TEST(config.format_version == 1);
  BOOST_TEST(config.main_db.host == "db1.internal");
  BOOST_TEST(config.main_db.port == 3307u);
  BOOST_TEST(config.main_db.username == "postal_main");
  BOOST_TEST(config.main_db.password == "s3cret");
  BOOST_TEST(config.main_database == "postal_live");
  BOOST_TEST(config.message_db.host == "db2.internal");
  BOOST_TEST(config.message_db.port == 3308u);
  BOOST_TEST(config.message_db.username == "postal_msg");
  BOOST_TEST(config.message_db.password == "other");
  BOOST_TEST(config.message_db_prefix == "mail");
}

BOOST_AUTO_TEST_CASE(legacy_local_file_overrides_key_by_key) {
  // Lost if this fails: a 2.x install keeping its password in postal.local.yml is backed up
  // with the wrong password (or the placeholder one from postal.yml).
  TempDir dir;
  dir.write("postal.local.yml", "main_db:\n  password: from-local\nmessage_db:\n  prefix: lp\n");
  const auto config = load_postal_config(dir.write("postal.yml", k_legacy), {});
  BOOST_TEST(config.main_db.password == "from-local");
  BOOST_TEST(config.main_db.host == "db1.internal");
  BOOST_TEST(config.message_db_prefix == "lp");
}

BOOST_AUTO_TEST_CASE(legacy_file_wins_over_environment_and_ignores_new_prefix_key) {
  // Lost if this fails: variables meant for a 3.x container redirect a legacy install's backup
  // away from the server its postal.yml names.
  TempDir dir;
  const auto file =
      dir.write("postal.yml", "main_db:\n  host: h\nmessage_db:\n  database_name_prefix: new\n");
  const auto config = load_postal_config(file, {{"MAIN_DB_HOST", "env-host"}});
  BOOST_TEST(config.main_db.host == "h");
  BOOST_TEST(config.message_db_prefix == "postal");
}

BOOST_AUTO_TEST_CASE(version2_format) {
  // Lost if this fails: `--config` on a Postal 3.x install reads the wrong message-DB prefix.
  TempDir dir;
  dir.write("postal.local.yml", "main_db:\n  password: not-read-by-3x\n");
  const auto config = load_postal_config(dir.write("postal.yml", k_version2), {});
  BOOST_TEST(config.format_version == 2);
  BOOST_TEST(config.main_db.host == "localhost");
  BOOST_TEST(config.main_db.password == "p4ss");
  BOOST_TEST(config.main_database == "postal");
  BOOST_TEST(config.message_db_prefix == "px");
}

BOOST_AUTO_TEST_CASE(version2_environment_overrides) {
  // Lost if this fails: a 3.x container configured through MAIN_DB_* / MESSAGE_DB_* variables
  // is backed up from the values in the file instead of the ones Postal really uses.
  TempDir dir;
  const std::map<std::string, std::string> env{{"MAIN_DB_HOST", "mdb"},
                                               {"MAIN_DB_PORT", "3310"},
                                               {"MAIN_DB_USERNAME", "mu"},
                                               {"MAIN_DB_PASSWORD", "mp"},
                                               {"MAIN_DB_DATABASE", "mainx"},
                                               {"MESSAGE_DB_HOST", "msg"},
                                               {"MESSAGE_DB_PORT", "3311"},
                                               {"MESSAGE_DB_USERNAME", "xu"},
                                               {"MESSAGE_DB_PASSWORD", "xp"},
                                               {"MESSAGE_DB_DATABASE_NAME_PREFIX", "envp"},
                                               {"HOME", "/root"}};
  const auto config = load_postal_config(dir.write("postal.yml", k_version2), env);
  BOOST_TEST(config.main_db.host == "mdb");
  BOOST_TEST(config.main_db.port == 3310u);
  BOOST_TEST(config.main_db.username == "mu");
  BOOST_TEST(config.main_db.password == "mp");
  BOOST_TEST(config.main_database == "mainx");
  BOOST_TEST(config.message_db.host == "msg");
  BOOST_TEST(config.message_db.port == 3311u);
  BOOST_TEST(config.message_db.username == "xu");
  BOOST_TEST(config.message_db.password == "xp");
  BOOST_TEST(config.message_db_prefix == "envp");
}

BOOST_AUTO_TEST_CASE(defaults_for_missing_and_empty_keys) {
  // Lost if this fails: a minimal postal.yml (Postal fills in defaults) cannot be used.
  TempDir dir;
  const auto config =
      load_postal_config(dir.write("postal.yml", "version: 2\nmain_db:\n  password:\n"), {});
  BOOST_TEST(config.main_db.host == "localhost"); // 3.x's default: the local socket
  BOOST_TEST(config.main_db.port == 3306u);
  BOOST_TEST(config.main_db.username == "postal");
  BOOST_TEST(config.main_db.password == "");
  BOOST_TEST(config.main_database == "postal");
  BOOST_TEST(config.message_db.host == "localhost");
  BOOST_TEST(config.message_db_prefix == "postal");
  const auto legacy = load_postal_config(dir.write("empty.yml", ""), {});
  BOOST_TEST(legacy.format_version == 1);
  BOOST_TEST(legacy.main_db.host == "127.0.0.1"); // 1.x/2.x's default: TCP
}

BOOST_AUTO_TEST_CASE(legacy_takes_environment_for_keys_it_leaves_out) {
  // Lost if this fails: a 2.x container configured through MAIN_DB_* variables (which Postal's
  // defaults read for keys postal.yml omits) would be backed up from the wrong server.
  TempDir dir;
  const auto file = dir.write("postal.yml", "main_db:\n  host: h\n");
  const auto config = load_postal_config(
      file,
      {{"MAIN_DB_HOST", "env-host"}, {"MAIN_DB_PASSWORD", "env-pw"}, {"MESSAGE_DB_PORT", "3307"}});
  BOOST_TEST(config.main_db.host == "h");
  BOOST_TEST(config.main_db.password == "env-pw");
  BOOST_TEST(config.message_db.port == 3307u);
}

BOOST_AUTO_TEST_CASE(missing_file_and_directory) {
  // Lost if this fails: a mistyped --config path gives an unhelpful error or a runtime code.
  TempDir dir;
  const auto message = usage_error(dir.path() / "nope.yml");
  BOOST_TEST(message.find("nope.yml") != std::string::npos);
  BOOST_TEST(message.find("No such file") != std::string::npos);
  BOOST_TEST(usage_error(dir.path()).find("is a directory") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(invalid_yaml) {
  // Lost if this fails: a broken postal.yml is reported without saying where it is broken.
  TempDir dir;
  const auto message = usage_error(dir.write("postal.yml", "main_db:\n  host: [a\n  port: 1\n"));
  BOOST_TEST(message.find("postal.yml: invalid YAML at line") != std::string::npos);
  BOOST_TEST(usage_error(dir.write("list.yml", "- a\n- b\n")).find("top level")
             != std::string::npos);
}

BOOST_AUTO_TEST_CASE(wrong_types_name_the_key_but_not_the_password) {
  // Lost if this fails: an error message prints the database password into logs and cron mail,
  // or does not say which key is wrong.
  TempDir dir;
  auto message = usage_error(dir.write("a.yml", "main_db:\n  password:\n    - hunter2\n    - x\n"));
  BOOST_TEST(message.find("a.yml: main_db.password") != std::string::npos);
  BOOST_TEST(message.find("hunter2") == std::string::npos);

  message = usage_error(dir.write("b.yml", "message_db:\n  port: lots\n"));
  BOOST_TEST(message.find("b.yml: message_db.port: expected a port number") != std::string::npos);

  message = usage_error(dir.write("c.yml", "main_db: just-a-string\n"));
  BOOST_TEST(message.find("c.yml: main_db: expected a mapping") != std::string::npos);

  message = usage_error(dir.write("d.yml", "main_db:\n  password: <%= ENV['X'] %>\n"));
  BOOST_TEST(message.find("d.yml: main_db.password: contains an ERB tag") != std::string::npos);

  message = usage_error(dir.write("e.yml", "version: 3\n"));
  BOOST_TEST(message.find("e.yml: version: unsupported") != std::string::npos);

  message = usage_error(dir.write("f.yml", k_version2), {{"MAIN_DB_PORT", "99999"}});
  BOOST_TEST(message.find("environment variable MAIN_DB_PORT") != std::string::npos);
}

// Lost if this fails: a key Postal does not read (`user:` for `username:`) or the other
// format's name for a key would be ignored silently, and the backup would connect as the
// default user or to the default databases.
BOOST_AUTO_TEST_CASE(unknown_and_other_format_keys_are_named_in_warnings) {
  TempDir dir;
  BOOST_TEST(load_postal_config(dir.write("legacy.yml", k_legacy), {}).warnings.empty());
  BOOST_TEST(load_postal_config(dir.write("v2.yml", k_version2), {}).warnings.empty());

  const auto legacy = dir.write("typo.yml",
                                "main_db:\n  host: db1\n  user: backup\n"
                                "message_db:\n  database_name_prefix: px\n");
  const auto warnings = load_postal_config(legacy, {}).warnings;
  BOOST_TEST_REQUIRE(warnings.size() == 2U);
  BOOST_TEST(warnings[0]
             == legacy.string()
                    + ": main_db.user is not a key Postal reads \u2014 did you mean "
                      "main_db.username?: ignored");
  BOOST_TEST(warnings[1].find("message_db.database_name_prefix is a Postal 3.x key, read only "
                              "from a file that starts with `version: 2`")
                 != std::string::npos,
             warnings[1]);

  const auto v2 = dir.write("v2-prefix.yml", "version: 2\nmessage_db:\n  prefix: mail\n");
  const auto v2_warnings = load_postal_config(v2, {}).warnings;
  BOOST_TEST_REQUIRE(v2_warnings.size() == 1U);
  BOOST_TEST(v2_warnings[0].find("message_db.prefix is the 1.x/2.x name") != std::string::npos);
}

// Lost if this fails: a 3.x install in Docker whose postal.yml sets no host would fail to
// connect with no word that the host was Postal's default, not the operator's.
BOOST_AUTO_TEST_CASE(a_default_host_is_known_as_such) {
  TempDir dir;
  const auto bare = load_postal_config(dir.write("bare.yml", "version: 2\n"), {});
  BOOST_TEST(bare.main_db.host == "localhost");
  BOOST_TEST(!bare.main_db.host_given);
  BOOST_TEST(load_postal_config(dir.write("v2.yml", k_version2), {}).main_db.host_given);
  BOOST_TEST(load_postal_config(dir.write("bare2.yml", "version: 2\n"), {{"MAIN_DB_HOST", "db"}})
                 .main_db.host_given);
}

BOOST_AUTO_TEST_SUITE_END()
