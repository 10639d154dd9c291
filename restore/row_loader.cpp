// SPDX-License-Identifier: MIT
// Warnings are checked after every statement, because the server keeps only the last
// statement's warnings. The INSERT path builds each row's tuple first so that a batch is
// sent before a row would push it past k_batch_bytes: a statement then never exceeds the
// larger of the batch size and its single row, which preflight compares to max_allowed_packet.
#include "restore/row_loader.hpp"

#include "postal/raw_tables.hpp"

#include "core/db/bulk_insert.hpp"
#include "core/db/db_error.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/rowcodec/row_decoder.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace pbk::restore {

namespace {

constexpr std::size_t k_read_chunk = std::size_t{1} << 20;

bool is_on(const std::optional<std::string>& value) {
  if (!value) {
    return false;
  }
  std::string lower = *value;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return lower == "1" || lower == "on";
}

std::string to_option(LoadMethod method) {
  switch (method) {
  case LoadMethod::bulk_insert:
    return "bulk";
  case LoadMethod::load_data_local:
    return "load-data";
  case LoadMethod::insert_batches:
    break;
  }
  return "insert";
}

// Why the server cannot take `method`, or "" when it can.
std::string unavailable(core::db::Connection& db, LoadMethod method) {
  switch (method) {
  case LoadMethod::bulk_insert:
    if (!db.supports_bulk_insert()) {
      return "the server does not take bulk executions (MariaDB 10.2 or later does)";
    }
    // A server logging statements refuses bulk executions: it cannot log them as one.
    if (is_on(db.query_value("SELECT @@log_bin"))
        && db.query_value("SELECT @@binlog_format").value_or("") == "STATEMENT") {
      return "the server's binary log is in STATEMENT format";
    }
    return "";
  case LoadMethod::load_data_local:
    return is_on(db.query_value("SELECT @@local_infile")) ? "" : "the server has local_infile=OFF";
  case LoadMethod::insert_batches:
    break;
  }
  return "";
}

// Server errors a row's content causes, never the server's state.
bool refuses_the_data(unsigned error) {
  switch (error) {
  case 1048: // ER_BAD_NULL_ERROR
  case 1062: // ER_DUP_ENTRY
  case 1136: // ER_WRONG_VALUE_COUNT_ON_ROW
  case 1264: // ER_WARN_DATA_OUT_OF_RANGE
  case 1265: // WARN_DATA_TRUNCATED
  case 1292: // ER_TRUNCATED_WRONG_VALUE
  case 1366: // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
  case 1406: // ER_DATA_TOO_LONG
  case 4025: // ER_CONSTRAINT_FAILED
  // A load into an empty table (unique_checks=0: InnoDB's bulk insert, MariaDB >= 10.6) finds
  // duplicate keys only when the transaction commits, and reports them as a failed COMMIT.
  case 1180: // ER_ERROR_DURING_COMMIT
    return true;
  default:
    return false;
  }
}

} // namespace

LoadMethods choose_load_methods(core::db::Connection& db, std::optional<LoadMethod> wanted) {
  if (wanted) {
    const auto why = unavailable(db, *wanted);
    if (!why.empty()) {
      throw core::Error(core::ExitCode::refused,
                        "--load-method " + to_option(*wanted) + ": " + why
                            + "; nothing was written",
                        {"leave --load-method out to use the fastest method the server allows"});
    }
    return {*wanted, *wanted};
  }
  const bool bulk = unavailable(db, LoadMethod::bulk_insert).empty();
  const bool load_data = unavailable(db, LoadMethod::load_data_local).empty();
  const auto first = [&](LoadMethod preferred, bool preferred_ok, LoadMethod next, bool next_ok) {
    return preferred_ok ? preferred : next_ok ? next : LoadMethod::insert_batches;
  };
  return {first(LoadMethod::bulk_insert, bulk, LoadMethod::load_data_local, load_data),
          first(LoadMethod::load_data_local, load_data, LoadMethod::bulk_insert, bulk)};
}

LoadMethod LoadMethods::for_table(const std::string& table) const {
  return postal::raw_table_date(table) ? raw_tables : other_tables;
}

std::optional<LoadMethod> parse_load_method(std::string_view name) {
  for (const auto method :
       {LoadMethod::bulk_insert, LoadMethod::load_data_local, LoadMethod::insert_batches}) {
    if (to_option(method) == name) {
      return method;
    }
  }
  return std::nullopt;
}

std::string to_string(LoadMethod method) {
  switch (method) {
  case LoadMethod::bulk_insert:
    return "bulk INSERT";
  case LoadMethod::load_data_local:
    return "LOAD DATA LOCAL";
  case LoadMethod::insert_batches:
    break;
  }
  return "INSERT";
}

std::string to_string(const LoadMethods& methods) {
  if (methods.raw_tables == methods.other_tables) {
    return to_string(methods.raw_tables);
  }
  return to_string(methods.raw_tables) + " (raw tables), " + to_string(methods.other_tables)
         + " (other tables)";
}

RowLoader::RowLoader(core::db::Connection& db, LoadMethod method)
    : m_db(db),
      m_method(method) {}

std::uint64_t RowLoader::load(const std::string& database,
                              const std::string& table,
                              core::io::ByteSource& tsv,
                              const std::string& label,
                              core::rowcodec::RowLimits limits) {
  if (const auto columns = column_count(database, table); columns > 0) {
    limits.fields = columns;
  }
  const Rows rows{core::db::Connection::quote_identifier(database) + "."
                      + core::db::Connection::quote_identifier(table),
                  database + "." + table,
                  label,
                  limits};
  try {
    return load_in_transaction(rows, tsv);
  } catch (const core::db::DbError& e) {
    if (!refuses_the_data(e.mysql_errno())) {
      throw;
    }
    // The rows themselves are wrong (a duplicate key, a NULL where none may be): the archive
    // is damaged or forged, not the server unavailable.
    throw core::IntegrityError(rows.label + ": the server refused the rows for " + rows.name + ": "
                               + e.what());
  }
}

// One transaction for the member, whatever the method: a commit (and its log flush) per batch
// would cost more than the batch, and a member that lost a lock conflict can be rolled back
// whole and loaded again.
std::uint64_t RowLoader::load_in_transaction(const Rows& rows, core::io::ByteSource& tsv) {
  m_db.execute("START TRANSACTION");
  try {
    const auto loaded = load_rows(rows, tsv);
    m_db.execute("COMMIT");
    return loaded;
  } catch (...) {
    // A lock wait timeout rolls back only the statement: the rows of the batches before it
    // must not ride along with the connection's next commit.
    try {
      m_db.execute("ROLLBACK");
    } catch (const std::exception&) {
      // The connection itself broke: the original error says more.
    }
    throw;
  }
}

std::uint64_t RowLoader::load_rows(const Rows& rows, core::io::ByteSource& tsv) {
  if (m_method == LoadMethod::insert_batches) {
    return insert_batches(rows, tsv);
  }
  if (m_method == LoadMethod::bulk_insert) {
    return bulk_insert(rows, tsv);
  }
  const std::uint64_t loaded = load_data(rows, tsv);
  check_warnings(rows.label, rows.name);
  return loaded;
}

// 0 when the table is not there (the load then fails on the server's word).
std::size_t RowLoader::column_count(const std::string& database, const std::string& table) {
  const auto count =
      m_db.query_value("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                       + m_db.quote(database) + " AND TABLE_NAME = " + m_db.quote(table));
  return core::parse_decimal<std::size_t>(count.value_or("")).value_or(0);
}

std::uint64_t RowLoader::load_data(const Rows& rows, core::io::ByteSource& tsv) {
  // The server's LOAD DATA parser is lenient and buffers a row whole, however long: each
  // piece is decoded here before the client library may send it, so a malformed or oversized
  // row stops the load before the server has more of it than the limits allow.
  class CheckedSource final : public core::io::ByteSource {
  public:
    CheckedSource(core::io::ByteSource& in, core::rowcodec::RowDecoder& decoder)
        : m_in(in),
          m_decoder(decoder) {}

    std::size_t read(std::span<std::byte> buffer) override {
      const std::size_t n = m_in.read(buffer);
      if (n == 0) {
        m_decoder.finish();
      }
      m_decoder.write(buffer.first(n));
      return n;
    }

  private:
    core::io::ByteSource& m_in;
    core::rowcodec::RowDecoder& m_decoder;
  };

  core::rowcodec::RowDecoder decoder(
      [](std::span<const std::optional<std::string_view>>) {}, rows.label, rows.limits);
  CheckedSource checked(tsv, decoder);
  // The defaults of LOAD DATA (TAB, LF, backslash escapes, \N) are exactly RowEncoder's format.
  const std::uint64_t loaded = m_db.load_data_local(
      "LOAD DATA LOCAL INFILE 'rows' INTO TABLE " + rows.target + " CHARACTER SET binary", checked);
  if (loaded != decoder.rows()) {
    throw core::IntegrityError(rows.label + ": the server took " + std::to_string(loaded) + " of "
                               + std::to_string(decoder.rows()) + " rows for " + rows.name);
  }
  return loaded;
}

std::uint64_t RowLoader::bulk_insert(const Rows& rows, core::io::ByteSource& tsv) {
  std::optional<core::db::BulkInsert> insert;
  std::uint64_t inserted = 0;
  const auto send = [&] {
    inserted += insert->flush();
    check_warnings(rows.label, rows.name);
  };
  core::rowcodec::RowDecoder decoder(
      [&](std::span<const std::optional<std::string_view>> fields) {
        if (!insert) {
          insert.emplace(m_db, rows.target, fields.size());
        }
        std::size_t row_bytes = 0;
        for (const auto& field : fields) {
          row_bytes += field ? field->size() : 0;
        }
        if (insert->pending_rows() > 0
            && insert->pending_bytes() + row_bytes > k_bulk_batch_bytes) {
          send();
        }
        if (row_bytes > core::db::BulkInsert::k_piece_bytes) {
          send();
          inserted += insert->insert_one(fields);
          check_warnings(rows.label, rows.name);
          return;
        }
        insert->add(fields);
      },
      rows.label,
      rows.limits);
  decode_all(tsv, decoder);
  if (insert) {
    send();
  }
  if (inserted != decoder.rows()) {
    throw core::IntegrityError(rows.label + ": the server took " + std::to_string(inserted) + " of "
                               + std::to_string(decoder.rows()) + " rows for " + rows.name);
  }
  return decoder.rows();
}

void RowLoader::decode_all(core::io::ByteSource& tsv, core::rowcodec::RowDecoder& decoder) {
  std::vector<std::byte> buffer(k_read_chunk);
  for (;;) {
    const std::size_t n = tsv.read(buffer);
    if (n == 0) {
      break;
    }
    decoder.write(std::span(buffer).first(n));
  }
  decoder.finish();
}

std::uint64_t RowLoader::insert_batches(const Rows& rows, core::io::ByteSource& tsv) {
  const std::string head = "INSERT INTO " + rows.target + " VALUES ";
  std::string sql = head;
  std::string tuple;
  std::size_t batch_rows = 0;
  const auto send = [&] {
    m_db.execute(sql);
    check_warnings(rows.label, rows.name);
    sql = head;
    batch_rows = 0;
  };
  core::rowcodec::RowDecoder decoder(
      [&](std::span<const std::optional<std::string_view>> fields) {
        tuple = "(";
        for (std::size_t i = 0; i < fields.size(); ++i) {
          if (i > 0) {
            tuple += ',';
          }
          tuple += fields[i] ? m_db.quote(*fields[i]) : std::string("NULL");
        }
        tuple += ')';
        if (batch_rows > 0 && sql.size() + 1 + tuple.size() > k_batch_bytes) {
          send();
        }
        if (batch_rows > 0) {
          sql += ',';
        }
        sql += tuple;
        ++batch_rows;
      },
      rows.label,
      rows.limits);
  decode_all(tsv, decoder);
  if (batch_rows > 0) {
    send();
  }
  return decoder.rows();
}

void RowLoader::check_warnings(const std::string& label, const std::string& name) {
  if (m_db.warning_count() == 0) {
    return;
  }
  const auto warnings = m_db.warnings(1);
  const std::string first = warnings.empty() ? "(warning not available)" : warnings.front();
  throw core::IntegrityError(label + ": the server changed data while loading " + name + ": "
                             + first);
}

} // namespace pbk::restore
