// SPDX-License-Identifier: MIT
#include "restore/content_digest.hpp"

#include "core/hash/running_digest_sink.hpp"
#include "core/interrupt.hpp"
#include "core/rowcodec/row_encoder.hpp"

namespace pbk::restore {

void prepare_digest_session(core::db::Connection& connection) {
  // As backup's dump session: TIMESTAMPs read in UTC, the form the archive holds them in.
  connection.execute("SET SESSION net_write_timeout = 3600, net_read_timeout = 3600, "
                     "time_zone = '+00:00'");
}

TableContent read_table_content(core::db::Connection& connection,
                                const std::string& database,
                                const std::string& table) {
  core::hash::Sha256 digest;
  core::hash::RunningDigestSink sink(digest, nullptr);
  core::rowcodec::RowEncoder encoder(sink);
  auto rows =
      connection.stream("SELECT * FROM " + core::db::Connection::qualified_name(database, table));
  std::uint64_t seen = 0;
  for (const core::db::RowView* row = rows.next(); row != nullptr; row = rows.next()) {
    encoder.encode(*row);
    // A large raw table takes a while: a signal is answered between rows, not at the end.
    if (++seen % 4096 == 0) {
      core::throw_if_interrupted();
    }
  }
  encoder.flush();
  return {digest.finish_hex(), encoder.rows()};
}

} // namespace pbk::restore
