// SPDX-License-Identifier: MIT
// Runs a fuzz target's entry point over files, without libFuzzer: the test build (GCC, with the
// sanitizers) replays every corpus entry and every kept finding through the same target code
// that scripts/fuzz fuzzes with clang, so a regression of a fixed finding fails `ctest` without
// a second, clang build of the libraries. Arguments are files or directories (their regular
// files, in name order); any crash or sanitizer report fails the run. A directory given after
// --findings may be missing: git keeps no empty directory, so a fresh clone has a findings
// directory only for targets that have kept an input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::filesystem::path> inputs_of(const std::filesystem::path& argument) {
  if (!std::filesystem::is_directory(argument)) {
    return {argument};
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(argument)) {
    if (entry.is_regular_file()) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

} // namespace

int main(int argc, char** argv) {
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--findings") {
      if (++i == argc) {
        std::cerr << "--findings needs a directory\n";
        return 1;
      }
      if (!std::filesystem::exists(argv[i])) {
        continue;
      }
    }
    for (const auto& file : inputs_of(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::cerr << "cannot read " << file << '\n';
        return 1;
      }
      const std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
      (void)LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                   bytes.size());
      ++replayed;
    }
  }
  std::cout << "replayed " << replayed << " inputs\n";
  return replayed > 0 ? 0 : 1;
}
