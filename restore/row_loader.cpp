// SPDX-License-Identifier: MIT
// Warnings are checked after every statement, because the server keeps only the last
// statement's warnings. The INSERT path builds each row's tuple first so that a batch is
// sent before a row would push it past k_batch_bytes: a statement then never exceeds the
// larger of the batch size and its single row, which preflight compares to max_allowed_packet.
#include "restore/row_loader.hpp"

#include "core/db/bulk_insert.hpp"
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

} // namespace

LoadMethod choose_load_method(core::db::Connection& db, std::optional<LoadMethod> wanted) {
  if (wanted) {
    const auto why = unavailable(db, *wanted);
    if (!why.empty()) {
      throw core::Error(core::ExitCode::refused,
                        "--load-method " + to_option(*wanted) + ": " + why
                            + "; nothing was written",
                        {"leave --load-method out to use the fastest method the server allows"});
    }
    return *wanted;
  }
  for (const auto method : {LoadMethod::bulk_insert, LoadMethod::load_data_local}) {
    if (unavailable(db, method).empty()) {
      return method;
    }
  }
  return LoadMethod::insert_batches;
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

RowLoader::RowLoader(core::db::Connection& db, LoadMethod method)
    : m_db(db),
      m_method(method) {}

std::uint64_t RowLoader::load(const std::string& database,
                              const std::string& table,
                              core::io::ByteSource& tsv,
                              const std::string& label) {
  const std::string target = core::db::Connection::quote_identifier(database) + "."
                             + core::db::Connection::quote_identifier(table);
  const std::string name = database + "." + table;
  // One transaction for the member, whatever the method: a commit (and its log flush) per
  // batch would cost more than the batch, and a member that lost a lock conflict can be
  // rolled back whole and loaded again.
  m_db.execute("START TRANSACTION");
  try {
    const auto rows = load_rows(target, tsv, label, name);
    m_db.execute("COMMIT");
    return rows;
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

std::uint64_t RowLoader::load_rows(const std::string& target,
                                   core::io::ByteSource& tsv,
                                   const std::string& label,
                                   const std::string& name) {
  if (m_method == LoadMethod::insert_batches) {
    return insert_batches(target, tsv, label, name);
  }
  if (m_method == LoadMethod::bulk_insert) {
    return bulk_insert(target, tsv, label, name);
  }
  const std::uint64_t rows = load_data(target, tsv);
  check_warnings(label, name);
  return rows;
}

std::uint64_t RowLoader::load_data(const std::string& target, core::io::ByteSource& tsv) {
  // The defaults of LOAD DATA (TAB, LF, backslash escapes, \N) are exactly RowEncoder's format.
  return m_db.load_data_local(
      "LOAD DATA LOCAL INFILE 'rows' INTO TABLE " + target + " CHARACTER SET binary", tsv);
}

std::uint64_t RowLoader::bulk_insert(const std::string& target,
                                     core::io::ByteSource& tsv,
                                     const std::string& label,
                                     const std::string& name) {
  std::optional<core::db::BulkInsert> insert;
  std::uint64_t inserted = 0;
  const auto send = [&] {
    inserted += insert->flush();
    check_warnings(label, name);
  };
  core::rowcodec::RowDecoder decoder(
      [&](std::span<const std::optional<std::string_view>> fields) {
        if (!insert) {
          insert.emplace(m_db, target, fields.size());
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
          check_warnings(label, name);
          return;
        }
        insert->add(fields);
      },
      label);
  decode_all(tsv, decoder);
  if (insert) {
    send();
  }
  if (inserted != decoder.rows()) {
    throw core::IntegrityError(label + ": the server took " + std::to_string(inserted) + " of "
                               + std::to_string(decoder.rows()) + " rows for " + name);
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

std::uint64_t RowLoader::insert_batches(const std::string& target,
                                        core::io::ByteSource& tsv,
                                        const std::string& label,
                                        const std::string& name) {
  const std::string head = "INSERT INTO " + target + " VALUES ";
  std::string sql = head;
  std::string tuple;
  std::size_t batch_rows = 0;
  const auto send = [&] {
    m_db.execute(sql);
    check_warnings(label, name);
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
      label);
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
