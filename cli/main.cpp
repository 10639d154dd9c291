// SPDX-License-Identifier: MIT
// Memory is held flat by bounding what is in flight; one malloc arena for all threads keeps
// the process from holding what it freed: the restore's reader hands members of many MiB to
// its loader threads, and with an arena per thread each kept its own high-water mark (2 GB
// restore: peak RSS 117–133 MiB with one arena, 168–174 MiB without; no slower). A fixed
// mmap threshold of 4 MiB was measured too and left out: every member then mapped and zeroed
// afresh made the restore about 15% slower for another 20 MiB (docs/performance.md).
#include "cli/app.hpp"

// Any C library header defines __GLIBC__ on glibc systems; without one before the check, the
// setting below is silently compiled out (as it was until the drill's memory was measured).
#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  mallopt(M_ARENA_MAX, 1);
#endif
  return pbk::cli::run(argc, argv);
}
