// SPDX-License-Identifier: MIT
// Rates are loosely those of a transactional-mail server: most outgoing mail is delivered
// at the first attempt, a few messages are opened or clicked, a handful of webhooks fail.
#include "tests/generator/message_tables.hpp"

#include "tests/generator/postal_ids.hpp"
#include "tests/generator/text.hpp"

#include <array>
#include <chrono>

namespace pbk::tests::generator {
namespace {

constexpr std::array<Column, 35> k_messages = {{
    {"id"},
    {"token"},
    {"scope"},
    {"rcpt_to"},
    {"mail_from"},
    {"subject"},
    {"message_id"},
    {"timestamp"},
    {"route_id"},
    {"domain_id"},
    {"credential_id"},
    {"status"},
    {"held"},
    {"size"},
    {"last_delivery_attempt"},
    {"raw_table"},
    {"raw_body_id"},
    {"raw_headers_id"},
    {"inspected"},
    {"spam"},
    {"spam_score"},
    {"threat"},
    {"threat_details"},
    {"bounce"},
    {"bounce_for_id"},
    {"tag"},
    {"loaded"},
    {"clicked"},
    {"received_with_ssl"},
    {"hold_expiry"},
    {"tracked_links"},
    {"tracked_images"},
    {"parsed"},
    {"endpoint_id"},
    {"endpoint_type"},
}};
constexpr std::array<Column, 10> k_deliveries = {{{"id"},
                                                  {"message_id"},
                                                  {"status"},
                                                  {"code"},
                                                  {"output"},
                                                  {"details"},
                                                  {"sent_with_ssl"},
                                                  {"log_id"},
                                                  {"timestamp"},
                                                  {"time"}}};
constexpr std::array<Column, 6> k_links = {
    {{"id"}, {"message_id"}, {"token"}, {"hash"}, {"url"}, {"timestamp"}}};
constexpr std::array<Column, 8> k_clicks = {{{"id"},
                                             {"message_id"},
                                             {"link_id"},
                                             {"ip_address"},
                                             {"country"},
                                             {"city"},
                                             {"user_agent"},
                                             {"timestamp"}}};
constexpr std::array<Column, 7> k_loads = {
    {{"id"}, {"message_id"}, {"ip_address"}, {"country"}, {"city"}, {"user_agent"}, {"timestamp"}}};
constexpr std::array<Column, 5> k_spam_checks = {
    {{"id"}, {"message_id"}, {"score"}, {"code"}, {"description"}}};
constexpr std::array<Column, 11> k_webhook_requests = {{{"id"},
                                                        {"uuid"},
                                                        {"event"},
                                                        {"attempt"},
                                                        {"timestamp"},
                                                        {"status_code"},
                                                        {"body"},
                                                        {"payload"},
                                                        {"will_retry"},
                                                        {"url"},
                                                        {"webhook_id"}}};
constexpr std::array<Column, 7> k_stats = {
    {{"id"}, {"time"}, {"incoming"}, {"outgoing"}, {"spam"}, {"bounces"}, {"held"}}};
constexpr std::array<Column, 6> k_suppressions = {
    {{"id"}, {"type"}, {"address"}, {"reason"}, {"timestamp"}, {"keep_until"}}};

struct SpamRule {
  const char* code;
  const char* score;
  const char* description;
};

constexpr std::array<SpamRule, 5> k_spam_rules = {{
    {"BAYES_00", "-1.90", "Bayes spam probability is 0 to 1%"},
    {"HTML_MESSAGE", "0.00", "BODY: HTML included in message"},
    {"DKIM_VALID", "-0.10", "Message has at least one valid DKIM or DK signature"},
    {"SPF_PASS", "-0.00", "SPF: sender matches SPF record"},
    {"URIBL_BLOCKED", "0.00", "ADMINISTRATOR NOTICE: The query to URIBL was blocked"},
}};

std::int64_t period_start(std::int64_t unix_seconds, char period) {
  using namespace std::chrono;
  const sys_days day{days{unix_seconds / 86400}};
  const year_month_day ymd{day};
  if (period == 'h') {
    return unix_seconds / 3600 * 3600;
  }
  if (period == 'd') {
    return unix_seconds / 86400 * 86400;
  }
  const year_month_day first = period == 'm' ? ymd.year() / ymd.month() / 1 : ymd.year() / 1 / 1;
  return sys_days{first}.time_since_epoch().count() * 86400LL;
}

} // namespace

MessageTables::MessageTables(SqlOut& out, const MessageDbOptions& options)
    : m_out(out),
      m_options(options),
      m_messages(out, "messages", k_messages),
      m_deliveries(out, "deliveries", k_deliveries),
      m_links(out, "links", k_links),
      m_clicks(out, "clicks", k_clicks),
      m_loads(out, "loads", k_loads),
      m_spam_checks(out, "spam_checks", k_spam_checks),
      m_webhook_requests(out, "webhook_requests", k_webhook_requests) {}

void MessageTables::add_related(Rng& rng, const MessageFacts& m) {
  count(m);
  if (m.outgoing && m.status != "Pending" && m.status != "Held") {
    add_delivery(rng, m);
  }
  const std::int64_t t = m.time_us;
  for (const std::string& url : m.link_urls) {
    ++m_link_id;
    m_links.row()
        .num(m_link_id)
        .num(m.id)
        .text(rng.alnum(16))
        .text(rng.hex(40))
        .text(url)
        .literal(format_decimal_time(t));
    if (rng.chance(0.15)) {
      m_clicks.row().null().num(m.id).num(m_link_id).text(ipv4(rng)).text(country(rng));
      m_clicks.text_or_null(!m.edge, city(rng)).text_or_null(!m.edge, user_agent(rng));
      m_clicks.literal(format_decimal_time(t + rng.range(60, 86400) * 1000000));
    }
  }
  if (m.outgoing && rng.chance(0.25)) {
    m_loads.row().null().num(m.id).text(ipv4(rng)).text(country(rng)).text(city(rng));
    m_loads.text(user_agent(rng)).literal(format_decimal_time(t + rng.range(30, 7200) * 1000000));
  }
  if (m.inspected) {
    const std::uint64_t checks = rng.below(4);
    for (std::uint64_t c = 0; c < checks; ++c) {
      const SpamRule& rule = k_spam_rules[rng.below(k_spam_rules.size())];
      m_spam_checks.row()
          .null()
          .num(m.id)
          .literal(rule.score)
          .text(rule.code)
          .text(rule.description);
    }
  }
  if (m.edge || rng.chance(0.2)) {
    add_webhook_request(rng, m);
  }
}

void MessageTables::add_delivery(Rng& rng, const MessageFacts& m) {
  const bool edge4 = m_options.level >= 20;
  const std::int64_t attempts = m.status == "SoftFail" ? 2 : 1;
  for (std::int64_t a = 0; a < attempts; ++a) {
    const bool last = a + 1 == attempts;
    const std::string status = last ? m.status : "SoftFail";
    const bool ok = status == "Sent";
    m_deliveries.row().null().num(m.id).text(status).num(ok ? 250
                                                            : (status == "HardFail" ? 550 : 451));
    if (m.edge) {
      m_deliveries.text(repeat_to_length(edge4 ? "é😀x" : "éx", 512)).text(edge_text(edge4));
    } else {
      m_deliveries.text(ok ? "250 2.0.0 OK " + rng.alnum(20) + " - gsmtp"
                           : "451 4.7.1 Try again later, closing connection.");
      m_deliveries.text("Message for " + m.rcpt_to + " accepted by mx.example.org (203.0.113."
                        + std::to_string(rng.below(250) + 1) + ")");
    }
    m_deliveries.boolean(rng.chance(0.9)).text(rng.alnum(8));
    m_deliveries.literal(format_decimal_time(m.time_us + (a * 600 + 2) * 1000000));
    std::string seconds = std::to_string(rng.below(300));
    m_deliveries.literal(seconds + '.' + std::to_string(10 + rng.below(90)));
  }
}

void MessageTables::add_webhook_request(Rng& rng, const MessageFacts& m) {
  const bool failed = rng.chance(0.1);
  const std::string url = m.edge ? "https://hooks.example.com/" + repeat_to_length("a", 229)
                                 : "https://hooks.example.com/postal/" + rng.alnum(10);
  const std::string payload =
      R"({"message":{"id":)" + std::to_string(m.id) + R"(,"token":")" + rng.alnum(12)
      + R"(","direction":")" + (m.outgoing ? "outgoing" : "incoming") + R"(","to":")" + m.rcpt_to
      + R"("},"status":")" + m.status + R"(","details":"","output":"",)"
      + R"("sent_with_ssl":true,"timestamp":)" + format_decimal_time(m.time_us) + "}";
  m_webhook_requests.row().null().text(rng.uuid()).text("MessageSent").num(failed ? 3 : 1);
  m_webhook_requests.literal(format_decimal_time(m.time_us + 5000000));
  m_webhook_requests.num(failed ? 500 : 200);
  m_webhook_requests.text_or_null(!m.edge, failed ? "Internal Server Error" : "OK");
  m_webhook_requests.text(m.edge ? payload + edge_text(m_options.level >= 20) : payload);
  m_webhook_requests.boolean(failed).text(url).num(m_options.server_id);
}

void MessageTables::count(const MessageFacts& m) {
  const std::int64_t s = m.time_us / 1000000;
  for (auto [map, period] : {std::pair{&m_hourly, 'h'},
                             std::pair{&m_daily, 'd'},
                             std::pair{&m_monthly, 'm'},
                             std::pair{&m_yearly, 'y'}}) {
    Counts& c = (*map)[period_start(s, period)];
    (m.outgoing ? c.outgoing : c.incoming) += 1;
    c.spam += m.spam ? 1 : 0;
    c.bounces += m.bounce ? 1 : 0;
    c.held += m.held ? 1 : 0;
  }
}

void MessageTables::write_stats(std::string_view table,
                                const std::map<std::int64_t, Counts>& rows) {
  Insert insert(m_out, table, k_stats);
  for (const auto& [time, c] : rows) {
    insert.row()
        .null()
        .num(time)
        .num(c.incoming)
        .num(c.outgoing)
        .num(c.spam)
        .num(c.bounces)
        .num(c.held);
  }
  insert.finish();
}

void MessageTables::write_suppressions(Rng& rng, std::int64_t message_count) {
  Insert insert(m_out, "suppressions", k_suppressions);
  const std::int64_t start = parse_date(m_options.start_date);
  const std::int64_t count = message_count == 0 ? 0 : 2 + message_count / 25;
  for (std::int64_t i = 0; i < count; ++i) {
    const std::int64_t t = (start + rng.range(0, 86400LL * 30)) * 1000000;
    const bool edge = i == 0;
    insert.row().null().text("recipient");
    insert.text(edge ? repeat_to_length("x", 243) + "@example.org"
                     : std::string(first_name(rng)).append("." + rng.alnum(6) + "@example.org"));
    insert.text_or_null(!edge,
                        "HardFail: 550 5.1.1 The email account that you tried to reach "
                        "does not exist");
    insert.literal(format_decimal_time(t)).literal(format_decimal_time(t + 30LL * 86400 * 1000000));
  }
  insert.finish();
}

void MessageTables::finish(Rng& rng, std::int64_t message_count) {
  for (Insert* insert : {&m_messages,
                         &m_deliveries,
                         &m_links,
                         &m_clicks,
                         &m_loads,
                         &m_spam_checks,
                         &m_webhook_requests}) {
    insert->finish();
  }
  write_suppressions(rng, message_count);
  write_stats("stats_hourly", m_hourly);
  write_stats("stats_daily", m_daily);
  write_stats("stats_monthly", m_monthly);
  write_stats("stats_yearly", m_yearly);
}

} // namespace pbk::tests::generator
