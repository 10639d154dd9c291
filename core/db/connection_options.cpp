// SPDX-License-Identifier: MIT
#include "core/db/connection_options.hpp"

namespace pbk::core::db {

std::string ConnectionOptions::describe() const {
  // The client library uses the socket for an empty host or "localhost" and TCP otherwise;
  // describe the endpoint it will actually use.
  std::string endpoint;
  const bool local = host.empty() || host == "localhost";
  if (local && !socket.empty()) {
    endpoint = socket;
  } else if (local && port == 0) {
    endpoint = "localhost";
  } else {
    endpoint = (host.empty() ? std::string("localhost") : host) + ":"
               + std::to_string(port == 0 ? 3306U : port);
  }
  return user.empty() ? endpoint : user + "@" + endpoint;
}

bool ConnectionOptions::same_server_as(const ConnectionOptions& other) const {
  return host == other.host && port == other.port && socket == other.socket && user == other.user
         && defaults_file == other.defaults_file && password == other.password;
}

} // namespace pbk::core::db
