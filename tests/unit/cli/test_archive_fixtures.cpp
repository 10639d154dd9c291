// SPDX-License-Identifier: MIT
// `verify` and `inspect` on the checked-in archives of tests/fixtures/archives, good and broken
// (restic's testdata, zstd's golden corrupt inputs): every refusal the readers have, proven
// without a database on the real binary. expected.tsv says, for each archive and command, the
// exit code, a fragment of the output, and what a user would lose if the line failed.
#include "tests/support/postal_sample.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace bdata = boost::unit_test::data;
using pbk::test::run_tool;

namespace {

const std::filesystem::path k_fixtures =
    std::filesystem::path(PBK_SOURCE_DIR) / "tests" / "fixtures" / "archives";

struct Expectation {
  std::string archive;
  std::vector<std::string> command;
  int exit_code = 0;
  std::string fragment;
  std::string loses;
};

std::ostream& operator<<(std::ostream& out, const Expectation& e) {
  out << e.archive << ":";
  for (const auto& word : e.command) {
    out << " " << word;
  }
  return out;
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, separator);) {
    fields.push_back(field);
  }
  return fields;
}

Expectation parse_line(const std::string& line) {
  const auto fields = split(line, '\t');
  if (fields.size() != 5) {
    throw std::runtime_error("expected.tsv: not 5 tab-separated fields: " + line);
  }
  return {fields[0], split(fields[1], ' '), std::stoi(fields[2]), fields[3], fields[4]};
}

std::vector<Expectation> expectations() {
  std::ifstream in(k_fixtures / "expected.tsv");
  if (!in) {
    throw std::runtime_error("cannot read " + (k_fixtures / "expected.tsv").string());
  }
  std::vector<Expectation> all;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.front() != '#') {
      all.push_back(parse_line(line));
    }
  }
  return all;
}

// The command's words, those naming a file of the fixtures directory with its path, then the
// archive.
std::vector<std::string> arguments(const Expectation& e) {
  std::vector<std::string> args;
  for (const auto& word : e.command) {
    const auto file = k_fixtures / word;
    args.push_back(std::filesystem::is_regular_file(file) ? file.string() : word);
  }
  args.push_back((k_fixtures / e.archive).string());
  return args;
}

} // namespace

BOOST_AUTO_TEST_SUITE(ArchiveFixtures)

// Each line of expected.tsv; its last column says what a user would lose if it failed.
BOOST_DATA_TEST_CASE(reader_says_what_expected_tsv_says, bdata::make(expectations()), e) {
  const auto result = run_tool(arguments(e));
  const std::string output = result.out + result.err;
  BOOST_TEST(result.exit_code == e.exit_code,
             e << ": exit " << result.exit_code << ", not " << e.exit_code << " (lost: " << e.loses
               << ")\n"
               << output);
  BOOST_TEST(output.find(e.fragment) != std::string::npos,
             e << ": no '" << e.fragment << "' in:\n"
               << output << "(lost: " << e.loses << ")");
}

// Lost if it failed: a fixture nobody checks, or a line about an archive that is not there,
// would leave a refusal untested while the suite stays green.
BOOST_AUTO_TEST_CASE(every_fixture_archive_has_an_expectation) {
  std::set<std::string> listed;
  for (const auto& e : expectations()) {
    listed.insert(e.archive);
    BOOST_TEST(std::filesystem::is_regular_file(k_fixtures / e.archive), e.archive);
  }
  for (const auto& entry : std::filesystem::directory_iterator(k_fixtures)) {
    if (entry.path().extension() == ".tar") {
      BOOST_TEST(listed.contains(entry.path().filename().string()),
                 entry.path().filename() << " has no line in expected.tsv");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
