// SPDX-License-Identifier: MIT
#include "cli/exit_codes.hpp"

#include "core/error.hpp"

namespace pbk::cli {
namespace {

constexpr int code(core::ExitCode value) {
  return static_cast<int>(value);
}

} // namespace

int exit_code_of(postal::Verdict verdict) {
  switch (verdict) {
  case postal::Verdict::ready:
    return code(core::ExitCode::ok);
  case postal::Verdict::migrations_required:
    return code(core::ExitCode::migrations_pending);
  case postal::Verdict::refused:
    break;
  }
  return code(core::ExitCode::refused);
}

int exit_code_of(postal::SchemaStatus status) {
  switch (status) {
  case postal::SchemaStatus::healthy:
    return code(core::ExitCode::ok);
  case postal::SchemaStatus::migrations_pending:
    return code(core::ExitCode::migrations_pending);
  case postal::SchemaStatus::drift:
    break;
  }
  return code(core::ExitCode::integrity);
}

int exit_code_of(restore::RestoreState state) {
  return state == restore::RestoreState::awaiting_migrations
             ? code(core::ExitCode::migrations_pending)
             : code(core::ExitCode::ok);
}

int exit_code_of(const repository::PruneReport& report) {
  if (report.damage_found()) {
    return code(core::ExitCode::integrity);
  }
  if (report.remove_failed()) {
    return code(core::ExitCode::runtime);
  }
  return code(core::ExitCode::ok);
}

int drill_exit_code(bool healthy, bool migrations_pending) {
  if (!healthy) {
    return code(core::ExitCode::integrity);
  }
  return migrations_pending ? code(core::ExitCode::migrations_pending) : code(core::ExitCode::ok);
}

int doctor_exit_code(core::Severity worst) {
  switch (worst) {
  case core::Severity::failure:
    return code(core::ExitCode::refused);
  case core::Severity::warning:
    return code(core::ExitCode::migrations_pending);
  case core::Severity::ok:
  case core::Severity::info:
    break;
  }
  return code(core::ExitCode::ok);
}

int listing_exit_code(bool damage_found) {
  return damage_found ? code(core::ExitCode::integrity) : code(core::ExitCode::ok);
}

} // namespace pbk::cli
