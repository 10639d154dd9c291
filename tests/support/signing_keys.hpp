// SPDX-License-Identifier: MIT
// Ed25519 key pairs made the way operators make them (openssl genpkey / pkey -pubout), for
// tests of signed archives.
#pragma once

#include <filesystem>
#include <string>

namespace pbk::test {

struct KeyPair {
  std::filesystem::path private_pem;
  std::filesystem::path public_pem;
};

// Writes <dir>/<name>.pem and <dir>/<name>.pub.pem; throws when openssl fails.
[[nodiscard]] KeyPair make_key_pair(const std::filesystem::path& dir, const std::string& name);

} // namespace pbk::test
