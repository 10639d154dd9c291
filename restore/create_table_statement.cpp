// SPDX-License-Identifier: MIT
#include "restore/create_table_statement.hpp"

#include "core/db/connection.hpp"
#include "core/error.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace pbk::restore {
namespace {

// Why a statement is refused; turned into the IntegrityError at the one public entry point.
struct Refusal {
  std::string why;
};

[[noreturn]] void refuse(std::string why) {
  throw Refusal{std::move(why)};
}

constexpr const char* k_two_statements = "it holds more than one statement";

enum class TokenKind { word, identifier, string, symbol, end };

struct Token {
  TokenKind kind = TokenKind::end;
  std::string_view text;
  std::size_t begin = 0;
  std::size_t end = 0;

  [[nodiscard]] bool is(char symbol) const {
    return kind == TokenKind::symbol && text.size() == 1 && text[0] == symbol;
  }
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool is_word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '_'
         || c == '$' || u >= 0x80;
}

std::string upper(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(), [](char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  });
  return result;
}

// For messages: a token as written, cut short.
std::string shown(std::string_view text) {
  return text.size() <= 40 ? std::string(text) : std::string(text.substr(0, 40)) + "...";
}

// Splits SQL the way the server's parser does for everything that decides where a statement
// or a parenthesis ends: quotes, comments, and punctuation. Anything the server could read
// differently from us (executable comments, line comments) is refused rather than interpreted.
class Lexer {
public:
  Lexer(std::string_view sql, std::size_t position)
      : m_sql(sql),
        m_pos(position) {}

  Token next() {
    skip_space_and_comments();
    const std::size_t begin = m_pos;
    if (begin >= m_sql.size()) {
      return Token{TokenKind::end, {}, begin, begin};
    }
    const char c = m_sql[begin];
    TokenKind kind = TokenKind::symbol;
    if (c == '\'' || c == '"') {
      kind = TokenKind::string;
      m_pos = end_of_quoted(begin);
    } else if (c == '`') {
      kind = TokenKind::identifier;
      m_pos = end_of_quoted(begin);
    } else if (is_word_char(c)) {
      kind = TokenKind::word;
      while (m_pos < m_sql.size() && is_word_char(m_sql[m_pos])) {
        ++m_pos;
      }
    } else {
      ++m_pos;
    }
    return Token{kind, m_sql.substr(begin, m_pos - begin), begin, m_pos};
  }

private:
  void skip_space_and_comments() {
    while (m_pos < m_sql.size()) {
      const std::string_view rest = m_sql.substr(m_pos);
      if (is_space(rest[0])) {
        ++m_pos;
      } else if (rest.starts_with("/*")) {
        skip_block_comment(rest);
      } else if (rest[0] == '#'
                 || (rest.starts_with("--")
                     && (rest.size() == 2 || static_cast<unsigned char>(rest[2]) <= ' '))) {
        refuse("it holds a line comment, which SHOW CREATE TABLE never writes");
      } else {
        return;
      }
    }
  }

  void skip_block_comment(std::string_view rest) {
    // The server runs the text of /*!...*/ and /*M!...*/ (optimizer hints: /*+...*/).
    if (rest.starts_with("/*!") || rest.starts_with("/*M!") || rest.starts_with("/*+")) {
      refuse("it holds an executable comment (" + shown(rest.substr(0, 20)) + ")");
    }
    const auto close = rest.find("*/", 2);
    if (close == std::string_view::npos) {
      refuse("a comment is not closed");
    }
    m_pos += close + 2;
  }

  // '...' and "..." with doubled quotes and backslash escapes, `...` with doubled backticks.
  // A backslash before the closing quote is refused: under NO_BACKSLASH_ESCAPES it would end
  // the string, so the statement's boundaries would depend on the session's sql_mode.
  std::size_t end_of_quoted(std::size_t begin) const {
    const char quote = m_sql[begin];
    std::size_t i = begin + 1;
    while (i < m_sql.size()) {
      const char c = m_sql[i];
      if (c == quote) {
        if (i + 1 < m_sql.size() && m_sql[i + 1] == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      if (c == '\\' && quote != '`' && i + 1 < m_sql.size()) {
        if (m_sql[i + 1] == quote) {
          refuse("a string escapes its quote with a backslash, which SHOW CREATE TABLE never "
                 "writes");
        }
        i += 2;
        continue;
      }
      ++i;
    }
    refuse("a quoted string or identifier is not closed");
  }

  std::string_view m_sql;
  std::size_t m_pos;
};

// The options SHOW CREATE TABLE prints after the column list (InnoDB's engine-defined ones
// come in backticks). Everything else is refused.
constexpr auto k_allowed_options = std::to_array<std::string_view>({"ENGINE",
                                                                    "AUTO_INCREMENT",
                                                                    "CHARSET",
                                                                    "COLLATE",
                                                                    "ROW_FORMAT",
                                                                    "COMMENT",
                                                                    "KEY_BLOCK_SIZE",
                                                                    "STATS_PERSISTENT",
                                                                    "STATS_AUTO_RECALC",
                                                                    "STATS_SAMPLE_PAGES",
                                                                    "PAGE_CHECKSUM",
                                                                    "PAGE_COMPRESSED",
                                                                    "PAGE_COMPRESSION_LEVEL",
                                                                    "TRANSACTIONAL",
                                                                    "CHECKSUM",
                                                                    "PACK_KEYS",
                                                                    "DELAY_KEY_WRITE",
                                                                    "MAX_ROWS",
                                                                    "MIN_ROWS",
                                                                    "AVG_ROW_LENGTH",
                                                                    "ENCRYPTED",
                                                                    "ENCRYPTION_KEY_ID",
                                                                    "SEQUENCE"});

constexpr std::array<std::string_view, 4> k_allowed_engines{"INNODB", "MYISAM", "ARIA", "MEMORY"};

[[noreturn]] void refuse_option(const std::string& name) {
  if (name == "DATA" || name == "INDEX") {
    refuse(name + " DIRECTORY would put the table's files outside the data directory");
  }
  if (name == "UNION") {
    refuse("UNION makes it a MERGE table over other tables");
  }
  if (name == "CONNECTION") {
    refuse("CONNECTION points the table at another server");
  }
  if (name == "SELECT" || name == "AS" || name == "LIKE" || name == "IGNORE" || name == "REPLACE") {
    refuse(name + " fills or shapes it from other tables");
  }
  if (name == "PARTITION") {
    refuse("partitioned tables are not supported (Postal partitions none)");
  }
  refuse("unknown table option " + shown(name));
}

// The option's name from its first token; DEFAULT CHARSET, DEFAULT COLLATE and CHARACTER SET
// read on into the next word and come back as CHARSET or COLLATE.
std::string option_name(Lexer& lexer, const Token& first) {
  if (first.kind == TokenKind::identifier) {
    return upper(first.text.substr(1, first.text.size() - 2));
  }
  if (first.kind != TokenKind::word) {
    refuse("unexpected " + shown(first.text) + " after the column list");
  }
  std::string name = upper(first.text);
  if (name == "DEFAULT") {
    const Token next = lexer.next();
    name = next.kind == TokenKind::word ? upper(next.text) : std::string(next.text);
    if (name != "CHARSET" && name != "COLLATE" && name != "CHARACTER") {
      refuse("unknown table option DEFAULT " + shown(name));
    }
  }
  if (name == "CHARACTER") {
    const Token next = lexer.next();
    if (next.kind != TokenKind::word || upper(next.text) != "SET") {
      refuse("unknown table option CHARACTER " + shown(next.text));
    }
    name = "CHARSET";
  }
  return name;
}

struct TableOptions {
  std::string engine;
  Token row_format; // kind end when absent
  std::size_t statement_end = 0;
};

// Reads the table options up to the end (or a trailing ';').
TableOptions read_options(Lexer& lexer, std::size_t sql_size) {
  TableOptions found;
  found.statement_end = sql_size;
  for (Token token = lexer.next(); token.kind != TokenKind::end; token = lexer.next()) {
    if (token.is(';')) {
      if (lexer.next().kind != TokenKind::end) {
        refuse(k_two_statements);
      }
      found.statement_end = token.begin;
      break;
    }
    const std::string name = option_name(lexer, token);
    if (std::find(k_allowed_options.begin(), k_allowed_options.end(), name)
        == k_allowed_options.end()) {
      refuse_option(name);
    }
    if (!lexer.next().is('=')) {
      refuse("table option " + name + " is not followed by '='");
    }
    const Token value = lexer.next();
    if (value.kind != TokenKind::word && value.kind != TokenKind::string) {
      refuse("table option " + name + " has the value " + shown(value.text));
    }
    if (name == "COMMENT" && value.kind != TokenKind::string) {
      refuse("the table COMMENT is not a string");
    }
    if (name == "ENGINE") {
      found.engine = value.kind == TokenKind::word ? upper(value.text) : std::string(value.text);
      if (std::find(k_allowed_engines.begin(), k_allowed_engines.end(), found.engine)
          == k_allowed_engines.end()) {
        refuse("ENGINE=" + shown(value.text) + " is not InnoDB, MyISAM, Aria or MEMORY");
      }
    }
    if (name == "ROW_FORMAT") {
      found.row_format = value;
    }
  }
  if (found.engine.empty()) {
    refuse("it names no ENGINE");
  }
  return found;
}

// An identifier, quoted or not; a run of digits before '.' is a decimal number (DEFAULT 1.50).
bool names_something(const Token& token) {
  return token.kind == TokenKind::identifier
         || (token.kind == TokenKind::word
             && token.text.find_first_not_of("0123456789") != std::string_view::npos);
}

// Reads the column list, whose '(' ends `prefix`, up to its closing parenthesis. A qualified
// name there (REFERENCES `postal`.`servers`) would tie the staged table to another database.

void read_column_list(Lexer& lexer) {
  int depth = 1;
  Token previous;
  while (depth > 0) {
    const Token token = lexer.next();
    if (token.kind == TokenKind::end) {
      refuse("the column list is not closed");
    }
    if (token.is(';')) {
      refuse(k_two_statements);
    }
    if (token.is('.') && names_something(previous)) {
      refuse("it refers to another database (" + shown(previous.text) + ".)");
    }
    depth += token.is('(') ? 1 : token.is(')') ? -1 : 0;
    previous = token;
  }
}

void check_start(std::string_view sql, const std::string& prefix) {
  if (sql.starts_with(prefix)) {
    return;
  }
  constexpr std::string_view create = "CREATE TABLE ";
  if (sql.starts_with(create)) {
    Lexer lexer(sql, create.size());
    if (lexer.next().kind == TokenKind::identifier && lexer.next().is('.')) {
      refuse("its table name is qualified with a database");
    }
  }
  refuse("it does not start with " + prefix);
}

CheckedCreateTable
check(std::string_view sql, std::string_view table, const CreateTableOptions& options) {
  if (sql.find('\0') != std::string_view::npos) {
    refuse("it holds a NUL byte");
  }
  const std::string prefix = "CREATE TABLE " + core::db::Connection::quote_identifier(table) + " (";
  check_start(sql, prefix);
  Lexer lexer(sql, prefix.size());
  read_column_list(lexer);
  const TableOptions found = read_options(lexer, sql.size());

  CheckedCreateTable result;
  result.sql = std::string(sql.substr(0, found.statement_end));
  while (!result.sql.empty() && is_space(result.sql.back())) {
    result.sql.pop_back();
  }
  if (!options.force_dynamic_row_format || found.engine != "INNODB") {
    return result;
  }
  if (found.row_format.kind == TokenKind::end) {
    result.sql += " ROW_FORMAT=DYNAMIC";
    result.row_format_changed = true;
    return result;
  }
  const std::string format = upper(found.row_format.text);
  if (format == "COMPACT" || format == "REDUNDANT") {
    result.sql.replace(
        found.row_format.begin, found.row_format.end - found.row_format.begin, "DYNAMIC");
    result.row_format_changed = true;
    result.previous_row_format = format;
  }
  return result;
}

} // namespace

CheckedCreateTable checked_create_table(std::string_view sql,
                                        std::string_view table,
                                        const CreateTableOptions& options,
                                        const std::string& label) {
  try {
    return check(sql, table, options);
  } catch (const Refusal& refusal) {
    throw core::IntegrityError(label + ": schema of " + std::string(table)
                               + " is not a plain CREATE TABLE: " + refusal.why);
  }
}

} // namespace pbk::restore
