// SPDX-License-Identifier: MIT
#include "archive/json_budget.hpp"

#include "archive/manifest.hpp"

#include "core/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace pbk::archive {
namespace {

// A SAX handler that keeps nothing: it counts values and tracks the depth, and stops the
// parser at the first value beyond either limit. Syntax errors are left to the real parse,
// which names them.
class Budget {
public:
  using number_integer_t = nlohmann::json::number_integer_t;
  using number_unsigned_t = nlohmann::json::number_unsigned_t;
  using number_float_t = nlohmann::json::number_float_t;
  using string_t = nlohmann::json::string_t;
  using binary_t = nlohmann::json::binary_t;

  bool null() { return value(); }

  bool boolean(bool /*unused*/) { return value(); }

  bool number_integer(number_integer_t /*unused*/) { return value(); }

  bool number_unsigned(number_unsigned_t /*unused*/) { return value(); }

  bool number_float(number_float_t /*unused*/, const string_t& /*unused*/) { return value(); }

  bool string(string_t& /*unused*/) { return value(); }

  bool binary(binary_t& /*unused*/) { return value(); }

  bool key(string_t& /*unused*/) { return value(); }

  bool start_object(std::size_t /*unused*/) { return open(); }

  bool end_object() { return close(); }

  bool start_array(std::size_t /*unused*/) { return open(); }

  bool end_array() { return close(); }

  bool parse_error(std::size_t /*unused*/,
                   const std::string& /*unused*/,
                   const nlohmann::detail::exception& /*unused*/) {
    return false;
  }

  [[nodiscard]] bool too_many() const { return m_values > k_max_json_values; }

  [[nodiscard]] bool too_deep() const { return m_max_depth > k_max_json_depth; }

private:
  bool value() { return ++m_values <= k_max_json_values; }

  bool open() {
    m_max_depth = std::max(m_max_depth, ++m_depth);
    return value() && m_depth <= k_max_json_depth;
  }

  bool close() {
    --m_depth;
    return true;
  }

  std::size_t m_values = 0;
  std::size_t m_depth = 0;
  std::size_t m_max_depth = 0;
};

} // namespace

void check_json_budget(std::string_view text, const char* member) {
  const std::string name = std::string("archive member ") + member;
  const std::vector<std::string> hint = {
      "the archive is damaged or was not written by postal-backup"};
  if (text.size() > k_max_json_bytes) {
    throw core::IntegrityError(
        name + " is " + std::to_string(text.size()) + " bytes, more than the "
            + std::to_string(k_max_json_bytes >> 20) + " MiB a postal-backup JSON member may hold",
        hint);
  }
  Budget budget;
  (void)nlohmann::json::sax_parse(text, &budget);
  if (budget.too_deep()) {
    throw core::IntegrityError(name + " nests values more than " + std::to_string(k_max_json_depth)
                                   + " levels deep",
                               hint);
  }
  if (budget.too_many()) {
    throw core::IntegrityError(
        name + " holds more than " + std::to_string(k_max_json_values) + " values", hint);
  }
}

} // namespace pbk::archive
