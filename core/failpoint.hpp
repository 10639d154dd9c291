// SPDX-License-Identifier: MIT
// Named points where the test suite kills the process to prove a restore survives it: when
// the environment variable POSTAL_BACKUP_FAILPOINT is "<name>" or "<name>#<n>", the process
// sends itself SIGKILL at the first (or n-th) time it passes that point: nothing is cleaned
// up, exactly as after a crash or `kill -9`. Unset, a failpoint costs one getenv.
//
// Pause points let a test step in between two steps of a running process (e.g. take a lock a
// loader is about to need): when POSTAL_BACKUP_PAUSEPOINT is "<name>=<ms>", the first thread
// to pass that point sleeps that many milliseconds (at most a minute); later passes do not.
#pragma once

#include <string_view>

namespace pbk::core {

void failpoint(std::string_view name);

void pausepoint(std::string_view name);

} // namespace pbk::core
