// SPDX-License-Identifier: MIT
// What a JSON member may cost before it is parsed into a document: its size, how many values
// it holds and how deeply they nest (manifest.hpp, k_max_json_*). A parsed document takes
// tens of bytes per value, so short text such as `[[[[…` or `[{},{},…]` would otherwise cost
// more than twenty times its size; counting first costs no memory at all.
#pragma once

#include <string_view>

namespace pbk::archive {

// Throws IntegrityError naming `member` when `text` is beyond the budget.
void check_json_budget(std::string_view text, const char* member);

} // namespace pbk::archive
