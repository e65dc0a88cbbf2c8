#!/usr/bin/env bash
# The ceilings the load benchmark is compared with, on this machine: PostgreSQL's pgbench
# with 16 clients doing booking-shaped transactions (booking.sql) on a fresh database of
# the server that SKRANKE_TEST_DATABASE_URL names, and SQLite in WAL with one writer doing
# the same transactions back to back. Prints transactions per second for each.
#
#   SKRANKE_TEST_DATABASE_URL=postgres://… bash benches/ceilings/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${SECONDS_PER_RUN:-10}
setup="CREATE TABLE ceiling_bookings (id BIGSERIAL PRIMARY KEY, slot INTEGER NOT NULL, email TEXT NOT NULL);
CREATE INDEX ceiling_bookings_slot ON ceiling_bookings (slot);"

if [ -n "${SKRANKE_TEST_DATABASE_URL:-}" ]; then
  admin=$SKRANKE_TEST_DATABASE_URL
  name=skranke_ceiling_$$
  url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$admin" "$name")
  psql -q "$admin" -c "CREATE DATABASE $name"
  trap 'psql -q "$admin" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)"' EXIT
  psql -q "$url" -c "$setup"
  tps=$(pgbench -n -c 16 -j 2 -T "$seconds" -f "$here/booking.sql" "$url" 2>/dev/null |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p')
  printf 'PostgreSQL pgbench, 16 clients, booking-shaped: %.0f/s\n' "$tps"
fi

dir=$(mktemp -d)
db=$dir/ceiling.db
sqlite3 "$db" "PRAGMA journal_mode = WAL;" >/dev/null
sqlite3 "$db" "$setup"
n=${SQLITE_TRANSACTIONS:-100000}
awk -v n="$n" 'BEGIN {
  srand(2027);
  print "PRAGMA synchronous = NORMAL;";
  for (i = 0; i < n; i++) {
    slot = int(rand() * 100000) + 1;
    print "BEGIN IMMEDIATE;";
    print "SELECT count(*) FROM ceiling_bookings WHERE slot = " slot ";";
    print "INSERT INTO ceiling_bookings (slot, email) VALUES (" slot ", '\''borger@example.dk'\'');";
    print "COMMIT;";
  }
}' >"$dir/work.sql"
started=$(date +%s.%N)
sqlite3 "$db" <"$dir/work.sql" >/dev/null
ended=$(date +%s.%N)
python3 -c "import sys; print('SQLite WAL, one writer, booking-shaped: %.0f/s' % (int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2]))))" "$n" "$started" "$ended"
rm -rf "$dir"
