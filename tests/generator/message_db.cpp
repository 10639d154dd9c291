// SPDX-License-Identifier: MIT
// Drives one message DB: messages are numbered from 1 in time order and spread over the
// raw days; each day's raw table is created just before its first row. Messages 1-3 carry
// the edge cases (non-UTF-8 raw bytes, maximum-length values, NULLs) and messages
// 4 .. 3+B the big raw rows, whatever the seed.
#include "tests/generator/message_db.hpp"

#include "tests/generator/mail.hpp"
#include "tests/generator/message_tables.hpp"
#include "tests/generator/postal_ids.hpp"
#include "tests/generator/text.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace pbk::tests::generator {
namespace {

constexpr std::array<Column, 3> k_raw = {{{"id"}, {"data"}, {"next"}}};
constexpr std::array<Column, 2> k_raw_sizes = {{{"table_name"}, {"size"}}};
constexpr std::size_t k_blob_piece = 24u << 20; // hex doubles it: 48 MiB per statement at most
constexpr std::int64_t k_first_big = 4;

class RawDay {
public:
  RawDay(SqlOut& out, int level, std::string name)
      : m_out(out),
        m_name(std::move(name)),
        m_insert(out, m_name, k_raw, {}, 200) {
    // The definition Postal's provisioner uses for new raw tables at this level.
    m_out.write("CREATE TABLE " + quote_identifier(m_name)
                + " (`id` int(11) NOT NULL AUTO_INCREMENT, `data` longblob DEFAULT NULL, "
                  "`next` int(11) DEFAULT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB "
                  "AUTO_INCREMENT=1 DEFAULT CHARSET="
                + (level >= 20 ? "utf8mb4" : "utf8") + ";\n");
  }

  std::int64_t add(std::string_view data) {
    ++m_id;
    m_bytes += data.size();
    if (data.size() <= k_blob_piece) {
      m_insert.row().num(m_id).blob(data).null();
      return m_id;
    }
    // Bigger than one statement may carry: insert a first piece, append the rest.
    m_insert.finish();
    m_insert.row().num(m_id).blob(data.substr(0, k_blob_piece)).null();
    m_insert.finish();
    for (std::size_t at = k_blob_piece; at < data.size(); at += k_blob_piece) {
      std::string sql = "UPDATE " + quote_identifier(m_name) + " SET `data` = CONCAT(`data`, ";
      append_hex(sql, data.substr(at, k_blob_piece));
      m_out.write(sql + ") WHERE `id` = " + std::to_string(m_id) + ";\n");
    }
    return m_id;
  }

  void finish() { m_insert.finish(); }

  const std::string& name() const { return m_name; }

  std::uint64_t bytes() const { return m_bytes; }

private:
  SqlOut& m_out;
  std::string m_name;
  Insert m_insert;
  std::int64_t m_id = 0;
  std::uint64_t m_bytes = 0;
};

struct Plan {
  std::int64_t days;
  std::int64_t min_messages; // edge cases and big rows always exist
  std::int64_t messages;     // exact count, or 0 with a byte size
  std::uint64_t size;
};

std::string message_status(Rng& rng, bool outgoing) {
  const std::uint64_t r = rng.below(100);
  if (!outgoing) {
    return r < 97 ? "Processed" : "HardFail";
  }
  return r < 85 ? "Sent" : r < 90 ? "SoftFail" : r < 94 ? "HardFail" : r < 97 ? "Held" : "Pending";
}

Plan plan_of(const MessageDbOptions& o) {
  const bool by_size = o.size > 0;
  Plan plan{o.raw_days > 0 ? o.raw_days : (by_size ? 30 : 3),
            o.messages > 0 || by_size ? k_first_big - 1 + o.big_rows : 0,
            by_size ? 0 : o.messages,
            o.size};
  plan.messages = by_size ? 0 : std::max(plan.messages, plan.min_messages);
  return plan;
}

// By count, messages spread evenly over the days. By size, a day takes messages until it
// holds its share of the bytes, and the last day takes whatever remains.
std::int64_t
day_of_message(const Plan& plan, std::int64_t id, std::int64_t day, std::uint64_t day_bytes) {
  if (plan.size == 0) {
    return (id - 1) * plan.days / plan.messages;
  }
  const std::uint64_t day_quota = std::max<std::uint64_t>(1, plan.size / plan.days);
  if (day >= 0 && day_bytes >= day_quota && day + 1 < plan.days) {
    return day + 1;
  }
  return std::max<std::int64_t>(day, 0);
}

// The raw table of the day being filled, and the sizes of the finished ones that
// raw_message_sizes lists.
struct RawTables {
  std::unique_ptr<RawDay> today;
  std::vector<std::pair<std::string, std::uint64_t>> sizes;

  void finish_today() {
    if (today) {
      today->finish();
      sizes.emplace_back(today->name(), today->bytes());
    }
  }
};

void write_raw_sizes(SqlOut& out, const RawTables& raw) {
  Insert raw_sizes(out, "raw_message_sizes", k_raw_sizes);
  for (const auto& [name, bytes] : raw.sizes) {
    raw_sizes.row().text(name).num(static_cast<std::int64_t>(bytes));
  }
  raw_sizes.finish();
}

// What message `id` stands for, whatever the seed (see the comment at the top).
struct MessageRole {
  bool edge_bytes = false;
  bool max_length = false;
  bool all_null = false;
  bool big = false;
  bool four_byte = false; // utf8mb4 raw tables (level 20) hold 4-byte characters
};

MessageRole role_of(std::int64_t id, const MessageDbOptions& o) {
  return MessageRole{
      id == 1, id == 2, id == 3, id >= k_first_big && id < k_first_big + o.big_rows, o.level >= 20};
}

// Everything drawn for one message before its rows are written. The draws happen in a fixed
// order, so a seed keeps generating the same install.
struct Draft {
  MessageRole role;
  std::int64_t server = 0;
  std::int64_t k = 0; // the server's k-th domain, credential and route (postal_ids.hpp)
  MessageFacts facts;
  MailSpec spec;
};

// Where the stored mail is: its raw table and the ids of its two raw rows.
struct StoredMail {
  const std::string& raw_table;
  std::int64_t headers_id = 0;
  std::int64_t body_id = 0;
  std::uint64_t size = 0;
};

void draw_facts(Rng& rng, std::int64_t id, std::int64_t time_us, Draft& d) {
  MessageFacts& f = d.facts;
  f.id = id;
  f.time_us = time_us;
  f.outgoing = !d.role.all_null && rng.chance(0.7);
  f.status = message_status(rng, f.outgoing);
  f.held = f.status == "Held";
  f.spam = !f.outgoing && rng.chance(0.1);
  f.bounce = f.outgoing && f.status == "HardFail";
  f.inspected = !d.role.all_null;
  f.edge = d.role.edge_bytes;
}

// One side is a customer on one of the server's domains, the other someone outside.
void draw_addresses(Rng& rng, Draft& d) {
  std::string local(first_name(rng));
  local += '.' + rng.alnum(5);
  const std::string customer = local + '@' + domain_name(d.server, d.k);
  const std::string outsider = local + "@example.org";
  d.facts.rcpt_to = d.role.max_length ? repeat_to_length("r", 243) + "@example.org"
                                      : (d.facts.outgoing ? outsider : customer);
  d.spec.from = d.facts.outgoing ? customer : outsider;
  d.spec.to = d.facts.rcpt_to;
}

// Body sizes spread from a few paragraphs to rare long mails and attachments; a big row's
// body is exactly --big-row-mib MiB, by default above Postal's 14 MB message size limit.
void draw_content(Rng& rng, const MessageDbOptions& o, std::int64_t time_us, Draft& d) {
  MailSpec& spec = d.spec;
  spec.subject = capitalized_words(rng, 3 + rng.below(8));
  spec.message_id = rng.uuid() + '@' + domain_name(d.server, d.k);
  spec.token = rng.alnum(12);
  spec.time = time_us / 1000000;
  spec.paragraphs = 3 + rng.below(29);
  spec.paragraphs += rng.below(29);
  spec.paragraphs += rng.chance(0.05) ? rng.below(150) : 0;
  spec.non_utf8_part = d.role.edge_bytes;
  if (d.role.big) {
    spec.paragraphs = 3;
    spec.attachment_bytes = 1;
    spec.exact_body_size = static_cast<std::size_t>(o.big_row_mib) << 20;
  } else if (rng.below(8) == 0) {
    spec.attachment_bytes = rng.chance(0.02) ? rng.range(150000, 1500000) : rng.range(5000, 34000);
  }
}

// Some outgoing mails have tracked links: the destination goes to the links table, the
// rewritten URL through the server's track domain into the mail.
void draw_tracked_links(Rng& rng, Draft& d) {
  const std::size_t tracked = d.facts.outgoing && rng.chance(0.6) ? 1 + rng.below(4) : 0;
  for (std::size_t l = 0; l < tracked; ++l) {
    const std::string target = "https://www.example.net/" + rng.alnum(8) + "?utm_source=postal";
    d.facts.link_urls.push_back(d.role.edge_bytes && l == 0 && d.role.four_byte
                                    ? target + "&long=" + repeat_to_length("z", 2000)
                                    : target);
    d.spec.links.push_back("https://" + track_domain_name(d.server) + '/' + d.spec.token + '/'
                           + rng.alnum(16));
  }
}

// The edge-case messages store a subject the mail itself does not carry.
std::string stored_subject(const Draft& d) {
  if (d.role.edge_bytes) {
    return edge_text(d.role.four_byte);
  }
  return d.role.max_length ? repeat_to_length(d.role.four_byte ? "😀" : "é", 255) : d.spec.subject;
}

// Columns id .. credential_id: an outgoing mail came in by a credential on a domain, an
// incoming one through a route.
void write_message_origin(Insert& m, const Draft& d, std::int64_t rows_per_table) {
  const MessageFacts& f = d.facts;
  const std::int64_t owner_id = per_server_id(d.server, d.k, rows_per_table);
  m.row().num(f.id).text(d.spec.token).text(f.outgoing ? "outgoing" : "incoming").text(f.rcpt_to);
  m.text(d.spec.from).text(stored_subject(d)).text(d.spec.message_id);
  m.literal(format_decimal_time(f.time_us));
  if (f.outgoing) {
    m.null().num(owner_id).num(owner_id);
  } else {
    if (d.role.all_null) {
      m.null();
    } else {
      m.num(owner_id);
    }
    m.null().null();
  }
}

// Columns status .. bounce_for_id: what became of the mail and where its raw rows are.
void write_message_state(Insert& m, const Draft& d, const StoredMail& stored) {
  const MessageFacts& f = d.facts;
  m.text(f.status).boolean(f.held).text(std::to_string(stored.size));
  m.literal_or_null(f.status != "Pending" && !d.role.all_null,
                    format_decimal_time(f.time_us + 2000000));
  m.text(stored.raw_table).num(stored.body_id).num(stored.headers_id);
  m.boolean(f.inspected).boolean(f.spam);
  m.literal(f.spam ? "6.20" : "0.40").boolean(false).null().boolean(f.bounce).num(0);
}

// Columns tag .. endpoint_type: tracking, holding and the HTTP endpoint of incoming mail.
void write_message_tracking(Rng& rng, Insert& m, const Draft& d) {
  const MessageFacts& f = d.facts;
  const bool all_null = d.role.all_null;
  const std::size_t tracked = f.link_urls.size();
  m.text_or_null(!all_null && rng.chance(0.3), "newsletter");
  m.literal_or_null(f.outgoing && rng.chance(0.25), format_decimal_time(f.time_us + 600000000));
  m.literal_or_null(tracked > 0 && rng.chance(0.15), format_decimal_time(f.time_us + 900000000));
  if (f.outgoing || all_null) {
    m.null();
  } else {
    m.boolean(rng.chance(0.8));
  }
  m.literal_or_null(f.held, format_decimal_time(f.time_us + 7LL * 86400 * 1000000));
  m.num(static_cast<std::int64_t>(tracked)).num(f.outgoing ? 1 : 0).boolean(!all_null);
  if (f.outgoing || all_null) {
    m.null().null();
  } else {
    m.num(d.server).text("HTTPEndpoint");
  }
}

// Composes message `id`, writes its raw rows and its messages row; returns raw bytes written.
std::uint64_t add_message(Rng& rng,
                          const MessageDbOptions& o,
                          std::int64_t id,
                          std::int64_t time_us,
                          RawDay& raw,
                          MessageTables& tables,
                          RawMail& mail) {
  Draft d;
  d.role = role_of(id, o);
  d.server = o.server_id;
  d.k = 1 + static_cast<std::int64_t>(rng.below(o.rows_per_table));
  draw_facts(rng, id, time_us, d);
  draw_addresses(rng, d);
  draw_content(rng, o, time_us, d);
  draw_tracked_links(rng, d);
  compose_mail(rng, d.spec, mail);
  const std::int64_t headers_id = raw.add(mail.headers);
  const std::int64_t body_id = raw.add(mail.body);
  const StoredMail stored{raw.name(), headers_id, body_id, mail.headers.size() + mail.body.size()};
  write_message_origin(tables.messages(), d, o.rows_per_table);
  write_message_state(tables.messages(), d, stored);
  write_message_tracking(rng, tables.messages(), d);
  tables.add_related(rng, d.facts);
  return stored.size;
}

} // namespace

void generate_message_db(const MessageDbOptions& o, SqlOut& out) {
  if (o.level != 18 && o.level != 20) {
    throw std::invalid_argument("message DB level must be 18 or 20, not "
                                + std::to_string(o.level));
  }
  const Plan plan = plan_of(o);
  const std::int64_t start = parse_date(o.start_date);
  out.write("-- Postal message DB rows for server " + std::to_string(o.server_id) + ", level "
            + std::to_string(o.level) + ", seed " + std::to_string(o.seed) + "\n"
            + "SET NAMES utf8mb4;\n");
  Rng rng(derive_seed(o.seed, "message", static_cast<std::uint64_t>(o.server_id)));
  MessageTables tables(out, o);
  RawTables raw;
  RawMail mail;
  std::int64_t day = -1;
  std::int64_t time_us = 0;
  std::uint64_t day_bytes = 0;
  std::uint64_t total = 0;
  std::int64_t id = 0;
  const auto more = [&] {
    return id < plan.min_messages || (plan.size > 0 ? total < plan.size : id < plan.messages);
  };
  while (more()) {
    ++id;
    const std::int64_t want_day = day_of_message(plan, id, day, day_bytes);
    if (want_day != day) {
      raw.finish_today();
      day = want_day;
      raw.today = std::make_unique<RawDay>(out, o.level, "raw-" + format_date(start + day * 86400));
      time_us = (start + day * 86400) * 1000000 + static_cast<std::int64_t>(rng.below(60000000));
      day_bytes = 0;
    }
    const std::int64_t day_end = (start + (day + 1) * 86400) * 1000000 - 1;
    time_us = std::min(day_end, time_us + 1 + static_cast<std::int64_t>(rng.below(40000000)));
    const std::uint64_t bytes = add_message(rng, o, id, time_us, *raw.today, tables, mail);
    day_bytes += bytes;
    total += bytes;
  }
  raw.finish_today();
  tables.finish(rng, id);
  write_raw_sizes(out, raw);
}

} // namespace pbk::tests::generator
