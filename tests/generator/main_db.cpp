// SPDX-License-Identifier: MIT
// Account-level rows of the main DB (everything not owned by one mail server). Organization 1
// carries the edge-case text and user 2 a maximum-length e-mail address.
#include "tests/generator/main_db.hpp"

#include "tests/generator/text.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace pbk::tests::generator {
namespace {

constexpr std::array<std::string_view, 10> k_levels = {"20170418200606",
                                                       "20170421195415",
                                                       "20170428153353",
                                                       "20180216114344",
                                                       "20200717083943",
                                                       "20210727210551",
                                                       "20240206173036",
                                                       "20240214132253",
                                                       "20240223141501",
                                                       "20240311205229"};

constexpr std::int64_t k_base_day = 19417; // 2023-03-01

constexpr std::array<Column, 7> k_ip_pools = {{{"id"},
                                               {"name"},
                                               {"uuid"},
                                               {"created_at"},
                                               {"updated_at"},
                                               {"default"},
                                               {"type", {}, "20170428153353"}}};
constexpr std::array<Column, 8> k_ip_addresses = {{{"id"},
                                                   {"ip_pool_id"},
                                                   {"ipv4"},
                                                   {"ipv6"},
                                                   {"created_at"},
                                                   {"updated_at"},
                                                   {"hostname"},
                                                   {"priority", "20210727210551"}}};
constexpr std::array<Column, 16> k_users = {{{"id"},
                                             {"uuid"},
                                             {"first_name"},
                                             {"last_name"},
                                             {"email_address"},
                                             {"password_digest"},
                                             {"time_zone"},
                                             {"email_verification_token"},
                                             {"email_verified_at"},
                                             {"created_at"},
                                             {"updated_at"},
                                             {"password_reset_token"},
                                             {"password_reset_token_valid_until"},
                                             {"admin"},
                                             {"oidc_uid", "20240311205229"},
                                             {"oidc_issuer", "20240311205229"}}};
constexpr std::array<Column, 12> k_organizations = {{{"id"},
                                                     {"uuid"},
                                                     {"name"},
                                                     {"permalink"},
                                                     {"time_zone"},
                                                     {"created_at"},
                                                     {"updated_at"},
                                                     {"ip_pool_id"},
                                                     {"owner_id"},
                                                     {"deleted_at"},
                                                     {"suspended_at"},
                                                     {"suspension_reason"}}};
constexpr std::array<Column, 7> k_organization_users = {{{"id"},
                                                         {"organization_id"},
                                                         {"user_id"},
                                                         {"created_at"},
                                                         {"admin"},
                                                         {"all_servers"},
                                                         {"user_type"}}};
constexpr std::array<Column, 5> k_organization_ip_pools = {
    {{"id"}, {"organization_id"}, {"ip_pool_id"}, {"created_at"}, {"updated_at"}}};
constexpr std::array<Column, 27> k_authie_sessions = {
    {{"id"},
     {"token"},
     {"browser_id"},
     {"user_id"},
     {"active"},
     {"data"},
     {"expires_at"},
     {"login_at"},
     {"login_ip"},
     {"last_activity_at"},
     {"last_activity_ip"},
     {"last_activity_path"},
     {"user_agent"},
     {"created_at"},
     {"updated_at"},
     {"user_type"},
     {"parent_id"},
     {"two_factored_at"},
     {"two_factored_ip"},
     {"requests"},
     {"password_seen_at"},
     {"token_hash"},
     {"host", "20180216114344"},
     {"skip_two_factor", "20240223141500"},
     {"login_ip_country", "20240223141501"},
     {"two_factored_ip_country", "20240223141501"},
     {"last_activity_ip_country", "20240223141501"}}};
constexpr std::array<Column, 6> k_user_invites = {
    {{"id"}, {"uuid"}, {"email_address"}, {"expires_at"}, {"created_at"}, {"updated_at"}}};
constexpr std::array<Column, 4> k_statistics = {
    {{"id"}, {"total_messages"}, {"total_outgoing"}, {"total_incoming"}}};
constexpr std::array<Column, 3> k_scheduled_tasks = {{{"id"}, {"name"}, {"next_run_after"}}};
constexpr std::array<Column, 4> k_worker_roles = {{{"id"}, {"role"}, {"worker"}, {"acquired_at"}}};
constexpr std::array<std::string_view, 9> k_task_names = {"ActionDeletionsScheduledTask",
                                                          "CheckAllDNSScheduledTask",
                                                          "CleanupAuthieSessionsScheduledTask",
                                                          "ExpireHeldMessagesScheduledTask",
                                                          "ProcessMessageRetentionScheduledTask",
                                                          "PruneSuppressionListsScheduledTask",
                                                          "PruneWebhookRequestsScheduledTask",
                                                          "SendNotificationsScheduledTask",
                                                          "TidyQueuedMessagesScheduledTask"};

void write_ip_pools(MainDbContext& c) {
  const std::string_view level = c.options.level;
  Insert pools(c.out, "ip_pools", k_ip_pools, level);
  Insert addresses(c.out, "ip_addresses", k_ip_addresses, level);
  for (std::int64_t p = 1; p <= 2; ++p) {
    pools.row().num(p).text(p == 1 ? "Default" : "Transactional").text(c.rng.uuid());
    pools.literal(c.time(p)).literal(c.time(p + 30)).boolean(p == 1).text("Transactional");
    for (std::int64_t a = 1; a <= 2; ++a) {
      const std::int64_t id = (p - 1) * 2 + a;
      addresses.row().num(id).num(p).text("203.0.113." + std::to_string(10 + id));
      addresses.text_or_null(a == 1, "2001:db8::" + std::to_string(id));
      addresses.literal(c.time(p))
          .literal(c.time(p + 1))
          .text("smtp" + std::to_string(id) + ".postal.example.net");
      addresses.num(a == 1 ? 100 : 50);
    }
  }
  pools.finish();
  addresses.finish();
}

void write_users(MainDbContext& c) {
  const std::string_view level = c.options.level;
  Insert users(c.out, "users", k_users, level);
  for (std::int64_t u = 1; u <= c.users; ++u) {
    const std::string first(first_name(c.rng));
    const std::string last = u == 3 ? "Løvström 😀" : std::string(last_name(c.rng));
    const std::string email = u == 2 ? repeat_to_length("u", 243) + "@example.com"
                                     : "user" + std::to_string(u) + "@example.com";
    users.row().num(u).text(c.rng.uuid()).text(first).text(last).text(email);
    users.text("$2a$12$" + c.rng.alnum(53)).text(u == 1 ? "UTC" : "Europe/London");
    users.text_or_null(u > 1, c.rng.alnum(32)).literal(c.time(u, 60)).literal(c.time(u));
    users.literal(c.time(u + 200)).null().null().boolean(u == 1);
    users.text_or_null(u == 1, c.rng.alnum(21)).text_or_null(u == 1, "https://sso.example.com");
  }
  users.finish();
  Insert invites(c.out, "user_invites", k_user_invites, level);
  invites.row().num(1).text(c.rng.uuid()).text("invitee@example.com").literal(c.time(400));
  invites.literal(c.time(393)).literal(c.time(393));
  invites.finish();
  Insert sessions(c.out, "authie_sessions", k_authie_sessions, level);
  for (std::int64_t s = 1; s <= c.users; ++s) {
    sessions.row().num(s).null().text(c.rng.uuid()).num(s).boolean(s != 2);
    sessions.text_or_null(s == 1, "---\n:return_to: \"/org/acme\"\n").literal(c.time(s + 40));
    const std::string ip = ipv4(c.rng);
    sessions.literal(c.time(s + 10)).text(ip).literal(c.time(s + 11)).text(ip).text("/");
    sessions.text(user_agent(c.rng)).literal(c.time(s + 10)).literal(c.time(s + 11)).text("User");
    sessions.null().null().null().num(c.rng.range(1, 900)).literal(c.time(s + 10));
    sessions.text(c.rng.hex(64)).text("postal.example.net").boolean(false);
    sessions.text(country(c.rng)).null().text(country(c.rng));
  }
  sessions.finish();
}

void write_organizations(MainDbContext& c) {
  Insert orgs(c.out, "organizations", k_organizations);
  Insert members(c.out, "organization_users", k_organization_users);
  Insert pools(c.out, "organization_ip_pools", k_organization_ip_pools);
  std::int64_t member_id = 0;
  for (std::int64_t o = 1; o <= c.organizations; ++o) {
    const std::string name =
        o == 1 ? "Acme " + edge_text(true) : capitalized_words(c.rng, 2) + " Ltd";
    orgs.row().num(o).text(c.rng.uuid()).text(name).text("org" + std::to_string(o));
    orgs.text("UTC").literal(c.time(o)).literal(c.time(o + 5)).num(1).num(1).null();
    orgs.literal_or_null(o == 2, c.time(300)).text_or_null(o == 2, "Unpaid invoices");
    for (std::int64_t u = 1; u <= c.users; ++u) {
      members.row().num(++member_id).num(o).num(u).literal(c.time(o + u)).boolean(u == 1);
      members.boolean(u != 2).text("User");
    }
    pools.row().num(o).num(o).num(1).literal(c.time(o)).literal(c.time(o));
  }
  orgs.finish();
  members.finish();
  pools.finish();
}

void write_platform_rows(MainDbContext& c) {
  Insert statistics(c.out, "statistics", k_statistics);
  statistics.row().num(1).num(182734).num(129004).num(53730);
  statistics.finish();
  if (c.at_least("20240213171830")) {
    Insert tasks(c.out, "scheduled_tasks", k_scheduled_tasks);
    for (std::size_t t = 0; t < k_task_names.size(); ++t) {
      tasks.row()
          .num(static_cast<std::int64_t>(t + 1))
          .text(k_task_names[t])
          .literal(c.time(700, 60 * static_cast<std::int64_t>(t)));
    }
    tasks.finish();
  }
  if (c.at_least("20240213165450")) {
    Insert roles(c.out, "worker_roles", k_worker_roles);
    roles.row().num(1).text("tasks").text("worker-" + c.rng.hex(8)).literal(c.time(700));
    roles.finish();
  }
}

} // namespace

std::span<const std::string_view> main_levels() {
  return k_levels;
}

std::string MainDbContext::time(std::int64_t day, std::int64_t second) {
  const std::int64_t s = (k_base_day + day) * 86400 + second + 36000;
  return '\'' + format_datetime(s * 1000000 + static_cast<std::int64_t>(rng.below(1000000))) + '\'';
}

void generate_main_db(const MainDbOptions& options, SqlOut& out) {
  if (std::find(k_levels.begin(), k_levels.end(), options.level) == k_levels.end()) {
    throw std::invalid_argument("unknown main schema level '" + options.level + "'");
  }
  if (options.servers < 1 || options.rows_per_table < 1) {
    throw std::invalid_argument("--servers and --rows-per-table must be at least 1");
  }
  MainDbContext ctx{options,
                    out,
                    Rng(derive_seed(options.seed, "main")),
                    std::max<std::int64_t>(1, (options.servers + 1) / 2),
                    std::max<std::int64_t>(3, options.rows_per_table)};
  out.write("-- Postal main DB rows, level " + options.level + ", "
            + std::to_string(options.servers) + " servers, seed " + std::to_string(options.seed)
            + "\nSET NAMES utf8mb4;\n");
  write_ip_pools(ctx);
  write_users(ctx);
  write_organizations(ctx);
  generate_server_rows(ctx);
  write_platform_rows(ctx);
}

} // namespace pbk::tests::generator
