// SPDX-License-Identifier: MIT
#include "cli/app.hpp"

int main(int argc, char** argv) {
  return pbk::cli::run(argc, argv);
}
