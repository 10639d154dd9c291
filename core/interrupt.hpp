// SPDX-License-Identifier: MIT
// SIGINT/SIGTERM only raise a flag; long-running jobs poll it between units of work and
// unwind through exceptions, so every destructor gets to roll back (no .partial left).
#pragma once

namespace pbk::core {

void install_interrupt_handlers();
[[nodiscard]] bool interrupted() noexcept;
// Throws Error(ExitCode::interrupted) when a signal arrived.
void throw_if_interrupted();

} // namespace pbk::core
