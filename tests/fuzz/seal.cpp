// SPDX-License-Identifier: MIT
// pbk-fuzz-seal: seals standard input to standard output with the sealed-member target's key
// and path, so scripts/fuzz can make seeds that open (fuzz_seal_key.hpp).
#include "core/crypto/seal_sink.hpp"
#include "core/io/memory_sink.hpp"
#include "tests/fuzz/fuzz_seal_key.hpp"

#include <iostream>
#include <iterator>
#include <string>

int main() {
  const std::string plain{std::istreambuf_iterator<char>(std::cin), {}};
  pbk::core::io::MemorySink sealed;
  pbk::core::crypto::SealSink sink(
      sealed, pbk::fuzz::seal_key(), std::string(pbk::fuzz::k_sealed_path));
  sink.write(plain);
  sink.finish();
  std::cout << sealed.view();
  return std::cout.good() ? 0 : 1;
}
