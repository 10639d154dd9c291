// SPDX-License-Identifier: MIT
// Splits an archive's schema.sql into the few kinds of token SHOW CREATE TABLE prints, with
// their values decoded. What it does not know is refused, not skipped: comments of every kind,
// control characters, backslash escapes, double quotes, bytes outside ASCII outside quotes.
// Nothing here decides what the server would do with the text: restore never sends it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pbk::archive {

struct DefinitionToken {
  enum class Kind { word, identifier, string, number, symbol, end };
  Kind kind = Kind::end;
  std::string text; // word: upper case; identifier, string: decoded value; symbol: one char

  [[nodiscard]] bool is(char symbol) const {
    return kind == Kind::symbol && text.size() == 1 && text[0] == symbol;
  }

  [[nodiscard]] bool is_word(std::string_view word) const {
    return kind == Kind::word && text == word;
  }
};

class DefinitionLexer {
public:
  explicit DefinitionLexer(std::string_view sql)
      : m_sql(sql) {}

  // The next token, consumed; Kind::end at the end of the text.
  [[nodiscard]] DefinitionToken next();
  // The next token, left in place.
  [[nodiscard]] const DefinitionToken& peek();

private:
  [[nodiscard]] DefinitionToken read();
  void skip_space();
  [[nodiscard]] std::string quoted(char quote, std::size_t limit);
  [[nodiscard]] std::string number();

  std::string_view m_sql;
  std::size_t m_pos = 0;
  std::optional<DefinitionToken> m_peeked;
};

// For messages: a token as it reads, cut short and with unprintable bytes escaped.
[[nodiscard]] std::string shown(const DefinitionToken& token);

} // namespace pbk::archive
