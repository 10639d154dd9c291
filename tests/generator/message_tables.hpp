// SPDX-License-Identifier: MIT
// The small tables of a message DB that follow each message (deliveries, links, clicks,
// loads, spam_checks, webhook_requests) plus suppressions and the stats_* roll-ups. The
// rows of each table are batched independently, so tables interleave in the output.
#pragma once

#include "tests/generator/message_db.hpp"
#include "tests/generator/random.hpp"
#include "tests/generator/sql_out.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pbk::tests::generator {

struct MessageFacts {
  std::int64_t id = 0;
  std::int64_t time_us = 0;
  bool outgoing = true;
  bool held = false;
  bool spam = false;
  bool bounce = false;
  bool inspected = true;
  bool edge = false; // gets the edge-case values in its related rows
  std::string status;
  std::string rcpt_to;
  std::vector<std::string> link_urls; // destination URLs, one links row each
};

class MessageTables {
public:
  MessageTables(SqlOut& out, const MessageDbOptions& options);

  Insert& messages() { return m_messages; }

  void add_related(Rng& rng, const MessageFacts& facts);
  void finish(Rng& rng, std::int64_t message_count);

private:
  struct Counts {
    std::int64_t incoming = 0, outgoing = 0, spam = 0, bounces = 0, held = 0;
  };

  void add_delivery(Rng& rng, const MessageFacts& facts);
  void add_webhook_request(Rng& rng, const MessageFacts& facts);
  void count(const MessageFacts& facts);
  void write_stats(std::string_view table, const std::map<std::int64_t, Counts>& rows);
  void write_suppressions(Rng& rng, std::int64_t message_count);

  SqlOut& m_out;
  const MessageDbOptions& m_options;
  Insert m_messages;
  Insert m_deliveries;
  Insert m_links;
  Insert m_clicks;
  Insert m_loads;
  Insert m_spam_checks;
  Insert m_webhook_requests;
  std::int64_t m_link_id = 0;
  std::map<std::int64_t, Counts> m_hourly, m_daily, m_monthly, m_yearly;
};

} // namespace pbk::tests::generator
