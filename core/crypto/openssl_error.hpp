// SPDX-License-Identifier: MIT
// The one way core/crypto reports an OpenSSL failure: the call that failed, on what, and
// OpenSSL's own reason from its thread-local queue (which is then cleared, so a later
// failure is not blamed on an old entry).
#pragma once

#include <string>

namespace pbk::core::crypto {

[[noreturn]] void throw_openssl(const std::string& what);

} // namespace pbk::core::crypto
