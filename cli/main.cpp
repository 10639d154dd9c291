// SPDX-License-Identifier: MIT
// Memory is held flat by bounding what is in flight; these settings make the process give
// back what it freed. One malloc arena for all threads: the restore's reader hands members
// of many MiB to its loader threads, and with an arena per thread each kept its own
// high-water mark. A fixed mmap threshold: blocks of 4 MiB and more (archive members, large
// rows) are mapped and unmapped on their own, where glibc's moving threshold would soon keep
// them in the heap, whose freed space the process keeps.
#include "cli/app.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
  return pbk::cli::run(argc, argv);
}
