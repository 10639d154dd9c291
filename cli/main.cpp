// SPDX-License-Identifier: MIT
// One malloc arena for all threads: the restore's reader hands members of many MiB to its
// loader threads, and with an arena per thread each kept its own high-water mark, which grew
// the resident memory by half without any more data being held.
#include "cli/app.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  mallopt(M_ARENA_MAX, 1);
#endif
  return pbk::cli::run(argc, argv);
}
