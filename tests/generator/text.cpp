// SPDX-License-Identifier: MIT
// The vocabularies are small on purpose: generated mail then compresses about as well as
// real mail text (zstd -3 gives roughly 3-4x on it), which the benchmark relies on.
#include "tests/generator/text.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace pbk::tests::generator {
namespace {

constexpr std::array<std::string_view, 128> k_words = {
    "the",     "of",          "and",        "to",      "in",       "is",       "you",
    "that",    "it",          "for",        "was",     "on",       "are",      "as",
    "with",    "your",        "we",         "at",      "be",       "this",     "have",
    "from",    "or",          "one",        "by",      "but",      "not",      "what",
    "all",     "were",        "when",       "can",     "said",     "there",    "use",
    "an",      "each",        "which",      "do",      "how",      "their",    "if",
    "will",    "up",          "other",      "about",   "out",      "many",     "then",
    "them",    "these",       "so",         "some",    "would",    "make",     "like",
    "into",    "time",        "has",        "look",    "two",      "more",     "write",
    "see",     "number",      "way",        "could",   "people",   "than",     "first",
    "water",   "been",        "call",       "who",     "now",      "find",     "long",
    "down",    "day",         "did",        "get",     "come",     "made",     "may",
    "part",    "order",       "invoice",    "account", "delivery", "shipment", "customer",
    "support", "payment",     "newsletter", "update",  "password", "security", "team",
    "offer",   "discount",    "subscribe",  "meeting", "schedule", "report",   "please",
    "thanks",  "regards",     "confirm",    "details", "attached", "review",   "product",
    "service", "café",        "naïve",      "Grüße",   "über",     "señor",    "crème",
    "façade",  "smörgåsbord", "Zürich",     "déjà",    "voilà",    "résumé",   "fiancée",
    "mañana",  "Ærøskøbing",
};

constexpr std::array<std::string_view, 16> k_first = {"Alice",
                                                      "Bob",
                                                      "Chloé",
                                                      "Dmitri",
                                                      "Emma",
                                                      "François",
                                                      "Grace",
                                                      "Hiro",
                                                      "Ingrid",
                                                      "José",
                                                      "Kenji",
                                                      "Léa",
                                                      "Mohammed",
                                                      "Nora",
                                                      "Oskar",
                                                      "Zoë"};
constexpr std::array<std::string_view, 16> k_last = {"Smith",
                                                     "Müller",
                                                     "García",
                                                     "Rossi",
                                                     "Nowak",
                                                     "Dubois",
                                                     "Jensen",
                                                     "Silva",
                                                     "Tanaka",
                                                     "Öztürk",
                                                     "Kowalski",
                                                     "Novák",
                                                     "Brown",
                                                     "O'Brien",
                                                     "Van der Berg",
                                                     "Ødegaard"};
constexpr std::array<std::string_view, 8> k_cities = {
    "London", "Paris", "Berlin", "São Paulo", "Kraków", "Tokyo", "New York", "Zürich"};
constexpr std::array<std::string_view, 8> k_countries = {"United Kingdom",
                                                         "France",
                                                         "Germany",
                                                         "Brazil",
                                                         "Poland",
                                                         "Japan",
                                                         "United States",
                                                         "Switzerland"};
constexpr std::array<std::string_view, 4> k_agents = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Version/17.1 "
    "Safari/605.1.15",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)"};

template <std::size_t N>
std::string_view pick(Rng& rng, const std::array<std::string_view, N>& list) {
  return list[rng.below(N)];
}

} // namespace

void append_words(Rng& rng, std::string& out, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    // One draw gives the word and whether a sentence ends here.
    const std::uint64_t r = rng.next();
    out.append(k_words[r & 127]);
    if (((r >> 8) & 15) == 0) {
      out.append(". ");
    } else if (((r >> 12) & 31) == 0) {
      out.append(", ");
    } else {
      out.push_back(' ');
    }
  }
}

std::string words(Rng& rng, std::size_t count) {
  std::string out;
  append_words(rng, out, count);
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == '.')) {
    out.pop_back();
  }
  return out;
}

std::string capitalized_words(Rng& rng, std::size_t count) {
  std::string out = words(rng, count);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') {
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  }
  return out;
}

std::string_view first_name(Rng& rng) {
  return pick(rng, k_first);
}

std::string_view last_name(Rng& rng) {
  return pick(rng, k_last);
}

std::string_view city(Rng& rng) {
  return pick(rng, k_cities);
}

std::string_view country(Rng& rng) {
  return pick(rng, k_countries);
}

std::string_view user_agent(Rng& rng) {
  return pick(rng, k_agents);
}

std::string ipv4(Rng& rng) {
  std::string out = "198.51." + std::to_string(rng.below(256));
  return out + '.' + std::to_string(1 + rng.below(254));
}

std::string edge_text(bool four_byte_utf8) {
  using namespace std::string_literals;
  std::string out = "Edge\tcase: tab, CR\r, LF\n, CRLF\r\n, backslash \\ and \\n literally, "
                    "quote ' and \" , NUL "s
                    + '\0' + " and ctrl-Z \x1a end; Grüße € ✓";
  if (four_byte_utf8) {
    out += " 😀 📬 𝄞";
  }
  return out;
}

std::string repeat_to_length(std::string_view unit, std::size_t chars) {
  // Counts characters, not bytes: a UTF-8 continuation byte starts no character.
  std::string out;
  std::size_t n = 0;
  while (n < chars) {
    for (std::size_t i = 0; i < unit.size() && n < chars;) {
      std::size_t len = 1;
      while (i + len < unit.size() && (static_cast<unsigned char>(unit[i + len]) & 0xC0) == 0x80) {
        ++len;
      }
      out.append(unit.substr(i, len));
      i += len;
      ++n;
    }
  }
  return out;
}

std::int64_t parse_date(std::string_view date) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  char tail = 0;
  const std::string s(date);
  if (std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) {
    throw std::invalid_argument("bad date '" + s + "' (expected YYYY-MM-DD)");
  }
  const std::chrono::year_month_day ymd{
      std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) {
    throw std::invalid_argument("bad date '" + s + "' (no such day)");
  }
  return std::chrono::sys_days{ymd}.time_since_epoch().count() * 86400LL;
}

namespace {

struct Civil {
  int year;
  unsigned month, day, hour, minute, second, weekday;
};

Civil civil(std::int64_t unix_seconds) {
  const std::int64_t days =
      unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  const std::int64_t rest = unix_seconds - days * 86400;
  const std::chrono::sys_days sd{std::chrono::days{days}};
  const std::chrono::year_month_day ymd{sd};
  return Civil{static_cast<int>(ymd.year()),
               static_cast<unsigned>(ymd.month()),
               static_cast<unsigned>(ymd.day()),
               static_cast<unsigned>(rest / 3600),
               static_cast<unsigned>(rest / 60 % 60),
               static_cast<unsigned>(rest % 60),
               std::chrono::weekday{sd}.c_encoding()};
}

} // namespace

std::string format_date(std::int64_t unix_seconds) {
  const Civil c = civil(unix_seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.year, c.month, c.day);
  return buf;
}

std::string format_datetime(std::int64_t unix_micros) {
  const Civil c = civil(unix_micros / 1000000);
  char buf[48];
  std::snprintf(buf,
                sizeof buf,
                "%04d-%02u-%02u %02u:%02u:%02u.%06lld",
                c.year,
                c.month,
                c.day,
                c.hour,
                c.minute,
                c.second,
                static_cast<long long>(unix_micros % 1000000));
  return buf;
}

std::string format_rfc2822(std::int64_t unix_seconds) {
  static constexpr const char* k_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* k_months[] = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const Civil c = civil(unix_seconds);
  char buf[48];
  std::snprintf(buf,
                sizeof buf,
                "%s, %02u %s %04d %02u:%02u:%02u +0000",
                k_days[c.weekday],
                c.day,
                k_months[c.month - 1],
                c.year,
                c.hour,
                c.minute,
                c.second);
  return buf;
}

std::string format_decimal_time(std::int64_t unix_micros) {
  char buf[40];
  std::snprintf(buf,
                sizeof buf,
                "%lld.%06lld",
                static_cast<long long>(unix_micros / 1000000),
                static_cast<long long>(unix_micros % 1000000));
  return buf;
}

} // namespace pbk::tests::generator
