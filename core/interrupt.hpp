// SPDX-License-Identifier: MIT
// SIGINT/SIGTERM (and SIGWINCH) only raise a flag; long-running jobs poll it between units of work
// and unwind through exceptions, so every destructor gets to roll back (no .partial left).
#pragma once

namespace pbk::core {

void install_interrupt_handlers();
[[nodiscard]] bool interrupted() noexcept;
// Throws Error(ExitCode::interrupted) when a signal arrived.
void throw_if_interrupted();
// Whether the terminal was resized (SIGWINCH) since the last call; the progress line is then
// drawn again at the new width.
[[nodiscard]] bool take_terminal_resize() noexcept;

} // namespace pbk::core
