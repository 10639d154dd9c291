// SPDX-License-Identifier: MIT
// Per-server rows of the main DB. Ids follow postal_ids.hpp so that the message DBs refer
// to rows that exist; server N gets a maximum-length name with 4-byte characters.
#include "tests/generator/main_db.hpp"
#include "tests/generator/postal_ids.hpp"
#include "tests/generator/text.hpp"

#include <array>

namespace pbk::tests::generator {
namespace {

constexpr std::array<Column, 29> k_servers = {{{"id"},
                                               {"organization_id"},
                                               {"uuid"},
                                               {"name"},
                                               {"mode"},
                                               {"ip_pool_id"},
                                               {"created_at"},
                                               {"updated_at"},
                                               {"permalink"},
                                               {"send_limit"},
                                               {"deleted_at"},
                                               {"message_retention_days"},
                                               {"raw_message_retention_days"},
                                               {"raw_message_retention_size"},
                                               {"allow_sender"},
                                               {"token"},
                                               {"send_limit_approaching_at"},
                                               {"send_limit_approaching_notified_at"},
                                               {"send_limit_exceeded_at"},
                                               {"send_limit_exceeded_notified_at"},
                                               {"spam_threshold"},
                                               {"spam_failure_threshold"},
                                               {"postmaster_address"},
                                               {"suspended_at"},
                                               {"outbound_spam_threshold"},
                                               {"domains_not_to_click_track"},
                                               {"suspension_reason"},
                                               {"log_smtp_data"},
                                               {"privacy_mode", "20240206173036"}}};
constexpr std::array<Column, 25> k_domains = {{{"id"},
                                               {"server_id"},
                                               {"uuid"},
                                               {"name"},
                                               {"verification_token"},
                                               {"verification_method"},
                                               {"verified_at"},
                                               {"dkim_private_key"},
                                               {"created_at"},
                                               {"updated_at"},
                                               {"dns_checked_at"},
                                               {"spf_status"},
                                               {"spf_error"},
                                               {"dkim_status"},
                                               {"dkim_error"},
                                               {"mx_status"},
                                               {"mx_error"},
                                               {"return_path_status"},
                                               {"return_path_error"},
                                               {"outgoing"},
                                               {"incoming"},
                                               {"owner_type"},
                                               {"owner_id"},
                                               {"dkim_identifier_string"},
                                               {"use_for_any"}}};
constexpr std::array<Column, 11> k_credentials = {{{"id"},
                                                   {"server_id"},
                                                   {"key"},
                                                   {"type"},
                                                   {"name"},
                                                   {"options"},
                                                   {"last_used_at"},
                                                   {"created_at"},
                                                   {"updated_at"},
                                                   {"hold"},
                                                   {"uuid", "20200717083943"}}};
constexpr std::array<Column, 15> k_http_endpoints = {{{"id"},
                                                      {"server_id"},
                                                      {"uuid"},
                                                      {"name"},
                                                      {"url"},
                                                      {"encoding"},
                                                      {"format"},
                                                      {"strip_replies"},
                                                      {"error"},
                                                      {"disabled_until"},
                                                      {"last_used_at"},
                                                      {"created_at"},
                                                      {"updated_at"},
                                                      {"include_attachments"},
                                                      {"timeout"}}};
constexpr std::array<Column, 12> k_smtp_endpoints = {{{"id"},
                                                      {"server_id"},
                                                      {"uuid"},
                                                      {"name"},
                                                      {"hostname"},
                                                      {"ssl_mode"},
                                                      {"port"},
                                                      {"error"},
                                                      {"disabled_until"},
                                                      {"last_used_at"},
                                                      {"created_at"},
                                                      {"updated_at"}}};
constexpr std::array<Column, 7> k_address_endpoints = {{{"id"},
                                                        {"server_id"},
                                                        {"uuid"},
                                                        {"address"},
                                                        {"last_used_at"},
                                                        {"created_at"},
                                                        {"updated_at"}}};
constexpr std::array<Column, 12> k_routes = {{{"id"},
                                              {"uuid"},
                                              {"server_id"},
                                              {"domain_id"},
                                              {"endpoint_id"},
                                              {"endpoint_type"},
                                              {"name"},
                                              {"spam_mode"},
                                              {"created_at"},
                                              {"updated_at"},
                                              {"token"},
                                              {"mode"}}};
constexpr std::array<Column, 6> k_additional_route_endpoints = {
    {{"id"}, {"route_id"}, {"endpoint_type"}, {"endpoint_id"}, {"created_at"}, {"updated_at"}}};
constexpr std::array<Column, 11> k_webhooks = {{{"id"},
                                                {"server_id"},
                                                {"uuid"},
                                                {"name"},
                                                {"url"},
                                                {"last_used_at"},
                                                {"all_events"},
                                                {"enabled"},
                                                {"sign"},
                                                {"created_at"},
                                                {"updated_at"}}};
constexpr std::array<Column, 4> k_webhook_events = {
    {{"id"}, {"webhook_id"}, {"event"}, {"created_at"}}};
constexpr std::array<Column, 13> k_webhook_requests = {{{"id"},
                                                        {"server_id"},
                                                        {"webhook_id"},
                                                        {"url"},
                                                        {"event"},
                                                        {"uuid"},
                                                        {"payload"},
                                                        {"attempts"},
                                                        {"retry_after"},
                                                        {"error"},
                                                        {"created_at"},
                                                        {"locked_by", "20240214132253"},
                                                        {"locked_at", "20240214132253"}}};
constexpr std::array<Column, 14> k_track_domains = {{{"id"},
                                                     {"uuid"},
                                                     {"server_id"},
                                                     {"domain_id"},
                                                     {"name"},
                                                     {"dns_checked_at"},
                                                     {"dns_status"},
                                                     {"dns_error"},
                                                     {"created_at"},
                                                     {"updated_at"},
                                                     {"ssl_enabled"},
                                                     {"track_clicks"},
                                                     {"track_loads"},
                                                     {"excluded_click_domains"}}};
constexpr std::array<Column, 9> k_ip_pool_rules = {{{"id"},
                                                    {"uuid"},
                                                    {"owner_type"},
                                                    {"owner_id"},
                                                    {"ip_pool_id"},
                                                    {"from_text"},
                                                    {"to_text"},
                                                    {"created_at"},
                                                    {"updated_at"}}};
constexpr std::array<Column, 14> k_queued_messages = {{{"id"},
                                                       {"server_id"},
                                                       {"message_id"},
                                                       {"domain"},
                                                       {"locked_by"},
                                                       {"locked_at"},
                                                       {"retry_after"},
                                                       {"created_at"},
                                                       {"updated_at"},
                                                       {"ip_address_id"},
                                                       {"attempts"},
                                                       {"route_id"},
                                                       {"manual"},
                                                       {"batch_key"}}};

// PEM-shaped text, as Postal stores a generated RSA key (LF line ends, 64-column base64).
std::string dkim_key(Rng& rng) {
  static constexpr char k_b64[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string pem = "-----BEGIN RSA PRIVATE KEY-----\n";
  for (int line = 0; line < 25; ++line) {
    for (int i = 0; i < (line < 24 ? 64 : 24); ++i) {
      pem.push_back(k_b64[rng.below(64)]);
    }
    pem.push_back('\n');
  }
  return pem + "-----END RSA PRIVATE KEY-----\n";
}

class ServerRows {
public:
  explicit ServerRows(MainDbContext& c)
      : m_c(c),
        m_servers(c.out, "servers", k_servers, c.options.level),
        m_domains(c.out, "domains", k_domains, c.options.level),
        m_credentials(c.out, "credentials", k_credentials, c.options.level),
        m_http(c.out, "http_endpoints", k_http_endpoints, c.options.level),
        m_smtp(c.out, "smtp_endpoints", k_smtp_endpoints, c.options.level),
        m_address(c.out, "address_endpoints", k_address_endpoints, c.options.level),
        m_routes(c.out, "routes", k_routes, c.options.level),
        m_additional(
            c.out, "additional_route_endpoints", k_additional_route_endpoints, c.options.level),
        m_webhooks(c.out, "webhooks", k_webhooks, c.options.level),
        m_events(c.out, "webhook_events", k_webhook_events, c.options.level),
        m_requests(c.out, "webhook_requests", k_webhook_requests, c.options.level),
        m_track(c.out, "track_domains", k_track_domains, c.options.level),
        m_rules(c.out, "ip_pool_rules", k_ip_pool_rules, c.options.level),
        m_queued(c.out, "queued_messages", k_queued_messages, c.options.level) {}

  void write(std::int64_t s) {
    Rng& r = m_c.rng;
    const std::int64_t k_count = m_c.options.rows_per_table;
    const bool last = s == m_c.options.servers;
    m_servers.row().num(s).num((s - 1) % m_c.organizations + 1).text(r.uuid());
    m_servers.text(last ? repeat_to_length("Serveur ✉ 😀 ", 255)
                        : "Mail server " + std::to_string(s));
    m_servers.text(s % 3 == 0 ? "Development" : "Live").num(1 + (s - 1) % 2);
    m_servers.literal(m_c.time(s + 10))
        .literal(m_c.time(s + 100))
        .text("server" + std::to_string(s));
    m_servers.literal_or_null(s == 1, "10000").null().num(60).num(30).num(2048).boolean(false);
    m_servers.text(r.alnum(6)).null().null().null().null().literal("5.00").literal("20.00");
    m_servers.text_or_null(s == 1, "postmaster@" + domain_name(s, 1)).null().literal("5.00");
    m_servers.text_or_null(s == 1, "example.org\nexample.net")
        .null()
        .boolean(s == 1)
        .boolean(false);
    for (std::int64_t k = 1; k <= k_count; ++k) {
      write_domain_and_route(s, k, per_server_id(s, k, k_count));
    }
    write_endpoints(s);
  }

  void finish() {
    for (Insert* i : {&m_servers,
                      &m_domains,
                      &m_credentials,
                      &m_http,
                      &m_smtp,
                      &m_address,
                      &m_routes,
                      &m_additional,
                      &m_webhooks,
                      &m_events,
                      &m_requests,
                      &m_track,
                      &m_rules,
                      &m_queued}) {
      i->finish();
    }
  }

private:
  void write_domain_and_route(std::int64_t s, std::int64_t k, std::int64_t id) {
    Rng& r = m_c.rng;
    const bool verified = k != 2;
    m_domains.row().num(id).num(s).text(r.uuid()).text(domain_name(s, k)).text(r.alnum(32));
    m_domains.text("DNS").literal_or_null(verified, m_c.time(s + 20)).text(dkim_key(r));
    m_domains.literal(m_c.time(s + 12)).literal(m_c.time(s + 90)).literal(m_c.time(s + 90));
    m_domains.text("OK").null().text(verified ? "OK" : "Invalid");
    m_domains.text_or_null(!verified, "No TXT records were returned for postal-" + r.alnum(6));
    m_domains.text("OK").null().text("Missing").text("There's no return path for this domain");
    m_domains.boolean(true).boolean(true).text("Server").num(s).text(r.alnum(6)).null();

    static constexpr std::array<std::string_view, 3> k_types = {"SMTP", "API", "SMTP-IP"};
    const std::string_view type = k_types[(k - 1) % 3];
    m_credentials.row().num(id).num(s).text(type == "SMTP-IP" ? "198.51.100.0/24" : r.alnum(24));
    m_credentials.text(type).text(std::string(type) + " key " + std::to_string(k)).null();
    m_credentials.literal_or_null(k == 1, m_c.time(s + 300)).literal(m_c.time(s + 13));
    m_credentials.literal(m_c.time(s + 13)).boolean(false).text(r.uuid());

    m_routes.row().num(id).text(r.uuid()).num(s).num(id).num(s).text("HTTPEndpoint");
    m_routes.text(k == 1 ? "*" : "support" + std::to_string(k)).text("Mark");
    m_routes.literal(m_c.time(s + 14)).literal(m_c.time(s + 14)).text(r.alnum(8)).text("Endpoint");
    if (k == 1) {
      m_additional.row().num(s).num(id).text("SMTPEndpoint").num(s).literal(m_c.time(s + 15));
      m_additional.literal(m_c.time(s + 15));
    }
  }

  void write_endpoints(std::int64_t s) {
    Rng& r = m_c.rng;
    m_http.row()
        .num(s)
        .num(s)
        .text(r.uuid())
        .text("App webhook")
        .text("https://app.example.com/postal/inbound");
    m_http.text("BodyAsJSON").text("Hash").boolean(false).null().null();
    m_http.literal(m_c.time(s + 200)).literal(m_c.time(s + 16)).literal(m_c.time(s + 16));
    m_http.boolean(true).num(5);
    m_smtp.row().num(s).num(s).text(r.uuid()).text("Relay").text("relay.example.com");
    m_smtp.text("Auto").num(25).null().null().null().literal(m_c.time(s + 17));
    m_smtp.literal(m_c.time(s + 17));
    m_address.row().num(s).num(s).text(r.uuid()).text("archive@example.com").null();
    m_address.literal(m_c.time(s + 18)).literal(m_c.time(s + 18));
    m_webhooks.row().num(s).num(s).text(r.uuid()).text("Delivery events");
    m_webhooks.text("https://hooks.example.com/postal/" + std::to_string(s));
    m_webhooks.literal(m_c.time(s + 250)).boolean(false).boolean(true).boolean(true);
    m_webhooks.literal(m_c.time(s + 19)).literal(m_c.time(s + 19));
    for (std::string_view event : {"MessageSent", "MessageDeliveryFailed"}) {
      m_events.row().null().num(s).text(event).literal(m_c.time(s + 19));
    }
    if (s == 1) {
      m_requests.row().null().num(s).num(s).text("https://hooks.example.com/postal/1");
      m_requests.text("MessageSent").text(r.uuid()).text(R"({"message":{"id":1},"status":"Sent"})");
      m_requests.num(2).literal(m_c.time(720)).text("Connection refused").literal(m_c.time(719));
      m_requests.null().null();
    }
    m_track.row().num(s).text(r.uuid()).num(s).num(per_server_id(s, 1, m_c.options.rows_per_table));
    m_track.text(track_domain_name(s)).literal(m_c.time(s + 90)).text("OK").null();
    m_track.literal(m_c.time(s + 21)).literal(m_c.time(s + 21)).boolean(true).boolean(true);
    m_track.boolean(true).null();
    m_rules.row().num(s).text(r.uuid()).text("Server").num(s).num(2).null().text(
        "*@gmail.com\n*@yahoo.com");
    m_rules.literal(m_c.time(s + 22)).literal(m_c.time(s + 22));
    for (std::int64_t q = 1; q <= 2; ++q) {
      m_queued.row().null().num(s).num(q).text("example.org").null().null();
      m_queued.literal(m_c.time(720, 60)).literal(m_c.time(720)).literal(m_c.time(720));
      m_queued.num(q).num(q - 1).null().boolean(false).text("outgoing-example.org");
    }
  }

  MainDbContext& m_c;
  Insert m_servers, m_domains, m_credentials, m_http, m_smtp, m_address, m_routes, m_additional,
      m_webhooks, m_events, m_requests, m_track, m_rules, m_queued;
};

} // namespace

void generate_server_rows(MainDbContext& ctx) {
  ServerRows rows(ctx);
  for (std::int64_t s = 1; s <= ctx.options.servers; ++s) {
    rows.write(s);
  }
  rows.finish();
}

} // namespace pbk::tests::generator
