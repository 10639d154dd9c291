#!/usr/bin/env bash
# Loads a postal-backup archive into MariaDB/MySQL with standard tools only (tar, zstd and
# the mariadb client), as docs/format.md describes: proof that an archive never depends on
# postal-backup to be read. It does not check checksums; run `postal-backup verify` or
# compare with manifest.json (`sha256sum`) first when you can.
#
#   docs/examples/load-by-hand.sh ARCHIVE WORKDIR PREFIX [mariadb client options...]
#
# Database D of the archive is loaded as PREFIX + D (PREFIX may be empty), which must not
# exist yet. Example: load-by-hand.sh nightly.tar /tmp/x restored_ --socket=/run/mysqld/mysqld.sock
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 ARCHIVE WORKDIR PREFIX [client options]" >&2; exit 2; }
archive=$1 work=$2 prefix=$3
shift 3
# Caller options first: --no-defaults is only honoured as the very first option.
client=(mariadb "$@" --local-infile=1 --max-allowed-packet=1G)

mkdir -p "$work"
tar -xf "$archive" -C "$work"

# Member paths escape bytes outside [A-Za-z0-9._-] as %XX.
unescape() { printf '%b' "$(printf '%s' "$1" | sed 's/%\([0-9A-F][0-9A-F]\)/\\x\1/g')"; }

# Same session settings as a restore: keep explicit zero AUTO_INCREMENT values and zero
# dates exactly as dumped, and skip checks the dumped data already passed.
session="SET SESSION sql_mode='NO_AUTO_VALUE_ON_ZERO', time_zone='+00:00', foreign_key_checks=0, unique_checks=0;"

for db_dir in "$work"/*/; do
  db=$(unescape "$(basename "$db_dir")")
  target="$prefix$db"
  "${client[@]}" -e "CREATE DATABASE \`$target\` CHARACTER SET utf8mb4"
  for table_dir in "$db_dir"*/; do
    zstd -dcq "$table_dir/schema.sql.zst" | "${client[@]}" --init-command="$session" "$target"
    table=$(unescape "$(basename "$table_dir")")
    for rows in "$table_dir"rows-*.tsv.zst; do
      [ -e "$rows" ] || continue
      zstd -dcq "$rows" >"${rows%.zst}"
      "${client[@]}" --init-command="$session" "$target" -e \
        "LOAD DATA LOCAL INFILE '${rows%.zst}' INTO TABLE \`$table\` CHARACTER SET binary
         FIELDS TERMINATED BY '\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\n'"
      rm -f "${rows%.zst}"
    done
  done
done
