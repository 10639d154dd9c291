// SPDX-License-Identifier: MIT
#include "postal/target_release.hpp"

#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>

using namespace pbk;

namespace {

const postal::ReleaseCatalog& catalog() {
  static const auto built_in = postal::ReleaseCatalog::built_in();
  return built_in;
}

void touch(const std::filesystem::path& path, const std::string& text = "") {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// A Postal checkout of a release the catalog does not know: 3.3.6's files plus one more.
void write_unknown_release(const std::filesystem::path& dir) {
  touch(dir / "VERSION", "3.5.0\n");
  for (const auto& m : catalog().find("3.3.6")->main_migrations) {
    const bool authie = m.version.starts_with("201610031952");
    touch(dir / "db" / "migrate" / (m.version + "_" + m.name + (authie ? ".authie.rb" : ".rb")));
  }
  touch(dir / "db" / "migrate" / "20260501000000_add_made_up_column.rb");
  touch(dir / "db" / "migrate" / "README");
  for (const auto& m : catalog().find("3.3.6")->message_db_migrations) {
    const std::string number = (m.number < 10 ? "0" : "") + std::to_string(m.number);
    touch(dir / "lib" / "postal" / "message_db" / "migrations" / (number + "_" + m.name + ".rb"));
  }
}

template <class F>
core::Error error_of(F&& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e;
  }
  BOOST_FAIL("no error thrown");
  return core::Error(core::ExitCode::ok, "");
}

} // namespace

BOOST_AUTO_TEST_SUITE(TargetRelease)

// Lost if it failed: `plan --postal-app /opt/postal/app` could not name the release the
// container runs.
BOOST_AUTO_TEST_CASE(postal_app_version_is_looked_up) {
  test::TempDir dir;
  touch(dir / "VERSION", "2.1.4\n");
  const auto target = postal::target_from_postal_app(catalog(), dir.path());
  BOOST_TEST(target.version == "2.1.4");
  BOOST_TEST(target.main_schema_level == "20210727210551");
  BOOST_TEST(target.message_db_migrations.size() == 20u);
  BOOST_TEST((target.era == postal::Era::v2));
  BOOST_TEST(target.source.find("VERSION") != std::string::npos);
}

// Lost if it failed: a Postal release newer than this binary could not be a target without
// writing a catalog file, although its app directory lists every migration.
BOOST_AUTO_TEST_CASE(unknown_version_is_read_from_migration_files) {
  test::TempDir dir;
  write_unknown_release(dir.path());
  const auto target = postal::target_from_postal_app(catalog(), dir.path());
  BOOST_TEST(target.version == "3.5.0");
  BOOST_TEST(target.main_migrations.size() == 19u);
  BOOST_TEST(target.main_migrations.front() == "20161003195209");
  BOOST_TEST(target.main_schema_level == "20260501000000");
  BOOST_TEST(target.message_db_migrations.size() == 20u);
  BOOST_TEST(target.message_db_migrations.back() == 20);
  BOOST_TEST((target.era == postal::Era::v3));
}

// Lost if it failed: a typo in --target-version or an empty app directory would produce a
// plan against nothing instead of a refusal naming the known releases.
BOOST_AUTO_TEST_CASE(unknown_targets_are_refused_with_the_known_versions) {
  const auto unknown = error_of([] { (void)postal::target_from_version(catalog(), "9.9.9"); });
  BOOST_TEST((unknown.code() == core::ExitCode::refused));
  BOOST_TEST(std::string(unknown.what()).find("9.9.9") != std::string::npos);
  BOOST_TEST(std::string(unknown.what()).find("2.0.0-beta.1, 2.0.0, 2.1.0") != std::string::npos);

  test::TempDir dir;
  touch(dir / "VERSION", "9.9.9\n");
  const auto app = error_of([&] { (void)postal::target_from_postal_app(catalog(), dir.path()); });
  BOOST_TEST((app.code() == core::ExitCode::refused));
  BOOST_TEST(std::string(app.what()).find("3.3.6") != std::string::npos);

  test::TempDir empty;
  const auto none =
      error_of([&] { (void)postal::target_from_postal_app(catalog(), empty.path()); });
  BOOST_TEST((none.code() == core::ExitCode::usage));
  BOOST_TEST((postal::no_target_error().code() == core::ExitCode::refused));
}

BOOST_AUTO_TEST_SUITE_END()
