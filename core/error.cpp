// SPDX-License-Identifier: MIT
#include "core/error.hpp"

#include <cstring>

namespace pbk::core {

Error::Error(ExitCode code, std::string message, std::vector<std::string> hints)
    : std::runtime_error(std::move(message)),
      m_code(code),
      m_hints(std::move(hints)) {}

IntegrityError::IntegrityError(std::string message, std::vector<std::string> hints)
    : Error(ExitCode::integrity, std::move(message), std::move(hints)) {}

IoError::IoError(std::string message, int err, std::vector<std::string> hints)
    : Error(ExitCode::runtime, std::move(message), std::move(hints)),
      m_err(err) {}

std::string describe_errno(const std::string& what, int err) {
  return what + ": " + std::strerror(err);
}

} // namespace pbk::core
