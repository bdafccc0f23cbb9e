#!/usr/bin/env bash
# Measures the PostgreSQL store against pgbench on the same database, in the same run:
#   1. pgbench: durable single-row INSERTs from 64 clients (the durable-commit ceiling without
#      batching);
#   2. StoreBenchmark: creates through the store API from 64 concurrent callers (group commit),
#      then the drain of pre-created orders by an engine with a no-op processor.
# Prints each figure and the ratio of store creates to pgbench inserts. A benchmark, not a test.
#
# Usage: bench/store-benchmark.sh [creates] [drain] [workers]
# Database: ORDERLY_BENCH_DB_URL (default jdbc:postgresql://127.0.0.1:5432/test), with
# ORDERLY_BENCH_DB_USER (postgres) and ORDERLY_BENCH_DB_PASSWORD (postgres).
set -euo pipefail
cd "$(dirname "$0")/.."

CREATES=${1:-100000}
DRAIN=${2:-100000}
WORKERS=${3:-8}
CALLERS=64
URL=${ORDERLY_BENCH_DB_URL:-jdbc:postgresql://127.0.0.1:5432/test}
DB_USER=${ORDERLY_BENCH_DB_USER:-postgres}
export PGPASSWORD=${ORDERLY_BENCH_DB_PASSWORD:-postgres}

# jdbc:postgresql://host:port/db -> host, port, db for pgbench.
hostport=${URL#jdbc:postgresql://}
hostport=${hostport%%/*}
DB=${URL##*/}
DB=${DB%%\?*}
HOST=${hostport%%:*}
PORT=${hostport##*:}
[ "$PORT" = "$hostport" ] && PORT=5432

echo "==> building the benchmark classpath"
./mvnw -B -q -pl order-persistence -am -DskipTests install >/dev/null
CP_FILE=$(mktemp)
./mvnw -B -q -pl order-persistence dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
  -Dmdep.includeScope=test >/dev/null
# This checkout's classes first, whatever the local repository holds.
CP="order-core/target/classes:order-persistence/target/test-classes:order-persistence/target/classes:$(cat "$CP_FILE")"

echo "==> pgbench: single-row INSERT, $CALLERS clients, 20 s"
psql -h "$HOST" -p "$PORT" -U "$DB_USER" -d "$DB" -qc \
  "drop table if exists orderly_pgbench; create table orderly_pgbench (id bigserial primary key,
   order_id text not null, total numeric(17,2) not null, created_at timestamptz not null)"
SCRIPT=$(mktemp)
echo "insert into orderly_pgbench (order_id, total, created_at) values (md5(random()::text), 9.99, now());" >"$SCRIPT"
PGBENCH_OUT=$(pgbench -h "$HOST" -p "$PORT" -U "$DB_USER" -n -c "$CALLERS" -j 2 -T 20 -f "$SCRIPT" "$DB")
PGBENCH_TPS=$(echo "$PGBENCH_OUT" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
echo "pgbench: ${PGBENCH_TPS} inserts/s"
psql -h "$HOST" -p "$PORT" -U "$DB_USER" -d "$DB" -qc "drop table orderly_pgbench"

echo "==> store: $CALLERS callers x $CREATES creates, then drain of $DRAIN with $WORKERS workers"
STORE_OUT=$(java -Xmx1g -cp "$CP" dev.orderly.persistence.bench.StoreBenchmark \
  "$URL" "$DB_USER" "$PGPASSWORD" "$CALLERS" "$CREATES" "$DRAIN" "$WORKERS")
echo "$STORE_OUT"
CREATE_RATE=$(echo "$STORE_OUT" | sed -n 's/^create: .*, \([0-9]*\) orders\/s$/\1/p')
awk -v c="$CREATE_RATE" -v p="$PGBENCH_TPS" \
  'BEGIN { printf "ratio: store creates / pgbench single-row inserts = %.2f\n", c / p }'
rm -f "$CP_FILE" "$SCRIPT"
