// SPDX-License-Identifier: MIT
#include "tests/support/signing_keys.hpp"

#include "tests/support/run_command.hpp"

#include <stdexcept>

namespace pbk::test {

KeyPair make_key_pair(const std::filesystem::path& dir, const std::string& name) {
  KeyPair pair{dir / (name + ".pem"), dir / (name + ".pub.pem")};
  const auto made = run_command(
      {"openssl", "genpkey", "-algorithm", "ed25519", "-out", pair.private_pem.string()});
  const auto public_half = run_command({"openssl",
                                        "pkey",
                                        "-in",
                                        pair.private_pem.string(),
                                        "-pubout",
                                        "-out",
                                        pair.public_pem.string()});
  if (made.exit_code != 0 || public_half.exit_code != 0) {
    throw std::runtime_error("openssl could not make a key pair: " + made.err + public_half.err);
  }
  return pair;
}

} // namespace pbk::test
