// SPDX-License-Identifier: MIT
// Sizes in messages: the restore's refusals and `doctor`'s findings speak of the same bytes
// the same way.
#pragma once

#include <cstdint>
#include <string>

namespace pbk::core {

// "17 MiB", "1.5 GiB": rounded up to a tenth, so a size just over a limit never reads as the
// limit itself.
[[nodiscard]] std::string size_text(std::uint64_t bytes);

} // namespace pbk::core
