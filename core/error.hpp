// SPDX-License-Identifier: MIT
// The one error type of postal-backup. Every failure a person can meet is an Error carrying
// the exit-code class of DESIGN §2 and a message that names what failed, on what, and why;
// `hints` say what to do about it. cli/app.cpp is the only place that catches and prints.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace pbk::core {

// Exit codes are a contract with cron wrappers and scripts: never renumber.
enum class ExitCode : int {
  ok = 0,
  runtime = 1,
  usage = 2,
  migrations_pending = 3,
  integrity = 4,
  refused = 5,
  interrupted = 130,
};

class Error : public std::runtime_error {
public:
  Error(ExitCode code, std::string message, std::vector<std::string> hints = {});

  [[nodiscard]] ExitCode code() const noexcept { return m_code; }

  [[nodiscard]] const std::vector<std::string>& hints() const noexcept { return m_hints; }

private:
  ExitCode m_code;
  std::vector<std::string> m_hints;
};

// Damaged or malformed archive data (checksum, truncation, unexpected member).
class IntegrityError : public Error {
public:
  explicit IntegrityError(std::string message, std::vector<std::string> hints = {});
};

// A file-system failure; `err` is the errno value (0 when not from a system call).
class IoError : public Error {
public:
  IoError(std::string message, int err, std::vector<std::string> hints = {});

  [[nodiscard]] int err() const noexcept { return m_err; }

private:
  int m_err;
};

// "<what>: <strerror(err)>", the shape of every system-call failure message.
[[nodiscard]] std::string describe_errno(const std::string& what, int err);

} // namespace pbk::core
