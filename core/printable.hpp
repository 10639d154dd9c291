// SPDX-License-Identifier: MIT
// Text from an archive, a backup directory or the journal reaches a terminal through names,
// tags, labels and error messages; a control sequence in it would be executed by the
// terminal (move the cursor, rewrite earlier lines, set the title). Every human-readable
// output goes through printable(): control characters (C0, DEL, C1) and bytes that are not
// valid UTF-8 become `\xNN`; in one value a backslash becomes `\\`, so that an escape
// cannot be faked. Valid UTF-8 of printable characters is kept as it is.
#pragma once

#include <string>
#include <string_view>

namespace pbk::core {

enum class LineBreaks {
  escape, // one value (a name, a tag): a newline in it is content, never layout
  keep    // a whole text the tool laid out: its LF and TAB are layout
};

[[nodiscard]] std::string printable(std::string_view text,
                                    LineBreaks line_breaks = LineBreaks::escape);

} // namespace pbk::core
