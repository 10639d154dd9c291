// SPDX-License-Identifier: MIT
#include "tests/support/sample_archive.hpp"

#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

namespace pbk::test {

void create_archive(const PostalSample& sample, const std::filesystem::path& archive) {
  auto args = sample.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(), {"--output", archive.string(), "--quiet"});
  const auto created = run_tool(args);
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
}

SampleArchive::SampleArchive(const SampleSpec& spec)
    : source(test_server(), spec) {
  create_archive(source, archive);
}

} // namespace pbk::test
