// SPDX-License-Identifier: MIT
// Ids and names that the main DB and the message DBs of one generated install share:
// a message's route_id, domain_id, credential_id and webhook_id must exist in the main DB
// generated with the same --rows-per-table.
#pragma once

#include <cstdint>
#include <string>

namespace pbk::tests::generator {

// Id of the k-th (1-based) domain, credential or route of a server.
inline std::int64_t per_server_id(std::int64_t server, std::int64_t k, std::int64_t per_server) {
  return (server - 1) * per_server + k;
}

inline std::string domain_name(std::int64_t server, std::int64_t k) {
  return "mail" + std::to_string(k) + ".customer" + std::to_string(server) + ".example.com";
}

inline std::string track_domain_name(std::int64_t server) {
  return "track.customer" + std::to_string(server) + ".example.com";
}

} // namespace pbk::tests::generator
