#!/usr/bin/env bash
# The HTTP figures of docs/performance.md, each with its baseline measured in the same run:
#   1. pgbench: durable single-row INSERTs, 64 clients (the durable-commit ceiling);
#   2. a trivial Grizzly endpoint driven by the load tool (the HTTP ceiling);
#   3. the server on PostgreSQL (no-op processing): creates at C connections, then every order
#      completed exactly once (end to end), server RSS during the run;
#   4. create latency at half of the peak rate, and pgbench's INSERT latency at that rate;
#   5. pickup latency (created -> started) on an idle server;
#   6. creation and processing together at a sustained rate for a minute;
#   7. GET /metrics latency with 1,000,000 orders stored;
#   8. time to ready: in memory, and on the embedded default: first start, then a restart; the
#      same two with a class-data-sharing archive.
# A benchmark, not a test. Needs pgbench, psql and python3 (to read JSON).
#
# Usage: bench/http-benchmark.sh [orders] [connections] [sustained-rate]
# Database: the PostgreSQL at 127.0.0.1:5432 (user postgres, password ORDERLY_BENCH_DB_PASSWORD or
# postgres); the run creates and drops a database orderly_bench.
set -euo pipefail
cd "$(dirname "$0")/.."

ORDERS=${1:-100000}
CONNECTIONS=${2:-1000}
SUSTAINED_RATE=${3:-2000}
WORKERS=${ORDERLY_BENCH_WORKERS:-16}
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGPASSWORD=${ORDERLY_BENCH_DB_PASSWORD:-postgres}
JAR=order-server/target/order-server.jar
WORK=$(mktemp -d /tmp/orderly-bench.XXXXXX)
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "${TRIVIAL_PID:-}" ] && kill "$TRIVIAL_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }
load() { java -Xmx1g -jar "$JAR" load "$@"; }
wait_ready() { # log file
  for _ in $(seq 1 300); do
    grep -q "listening on" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server did not start; its log:" >&2; cat "$1" >&2; return 1
}
# The server's JVM: a heap sized for it (the live set is small) and the serial collector, which
# the JVM itself picks on small machines; see docs/operations.md. Override to compare.
SERVER_JVM=${ORDERLY_BENCH_SERVER_JVM:--Xmx192m -XX:+UseSerialGC}
start_server() { # log file, options...
  local log=$1; shift
  # shellcheck disable=SC2086
  java $SERVER_JVM -jar "$JAR" --port 18080 --host 127.0.0.1 "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  wait_ready "$log"
}
stop_server() {
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""
}
# "ready in N ms (JVM running for M ms)": both, as "N/M".
ready_ms() { sed -n 's/.*ready in \([0-9]*\) ms (JVM running for \([0-9]*\) ms).*/\1\/\2/p' "$1" | head -1; }

echo "==> building"
# install, not package: the steps below build order-server alone against the local repository.
./mvnw -B -q -DskipTests -DskipITs install
./mvnw -B -q -pl order-server dependency:build-classpath -Dmdep.outputFile="$WORK/cp" \
  -Dmdep.includeScope=test >/dev/null
./mvnw -B -q -pl order-server test-compile >/dev/null

# pgbench's durable single-row INSERT into a table of its own, made for the run and dropped after:
# pgbench_insert [pgbench options...]
echo "insert into orderly_pgbench (order_id, total, created_at) values (md5(random()::text), 9.99, now());" >"$WORK/insert.sql"
pgbench_insert() {
  psql -d test -qc "drop table if exists orderly_pgbench; create table orderly_pgbench (
    id bigserial primary key, order_id text not null, total numeric(17,2) not null,
    created_at timestamptz not null)"
  ( cd "$WORK" && pgbench -n -c 64 -j 2 -T 20 "$@" -f "$WORK/insert.sql" test )
  psql -d test -qc "drop table orderly_pgbench"
}

echo "==> 1. pgbench: single-row INSERT, 64 clients, 20 s"
PGBENCH=$(pgbench_insert | sed -n 's/^tps = \([0-9.]*\).*/\1/p')

echo "==> 2. trivial Grizzly endpoint, $CONNECTIONS connections"
java -Xmx512m -cp "order-server/target/test-classes:$(cat "$WORK/cp")" \
  dev.orderly.server.bench.TrivialEndpoint 18181 4 >"$WORK/trivial.log" 2>&1 &
TRIVIAL_PID=$!
sleep 2
# Both the ceiling and the server are measured warm: 20,000 creates first, not counted.
load --url http://127.0.0.1:18181 --orders 20000 --concurrency "$CONNECTIONS" --no-wait \
  --id-prefix warm- >/dev/null
load --url http://127.0.0.1:18181 --orders "$ORDERS" --concurrency "$CONNECTIONS" --no-wait \
  --json "$WORK/trivial.json" >/dev/null
kill "$TRIVIAL_PID"; TRIVIAL_PID=""
TRIVIAL=$(json "$WORK/trivial.json" "['create_throughput_per_s']")

echo "==> 3. server on PostgreSQL: $ORDERS orders at $CONNECTIONS connections, $WORKERS workers"
psql -d test -qc "drop database if exists orderly_bench" -c "create database orderly_bench"
DB=(--db-url jdbc:postgresql://127.0.0.1:5432/orderly_bench --db-user postgres
  --db-password "$PGPASSWORD" --workers "$WORKERS" --processing-delay 0)
start_server "$WORK/server.log" "${DB[@]}"
( max=0; while kill -0 "$SERVER_PID" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$max" ] && max=$rss && echo "$max" >"$WORK/rss"
    sleep 0.5
  done ) &
load --url http://127.0.0.1:18080 --orders 20000 --concurrency "$CONNECTIONS" --id-prefix warm- \
  --timeout 5m >/dev/null
load --url http://127.0.0.1:18080 --orders "$ORDERS" --concurrency "$CONNECTIONS" \
  --timeout 10m --json "$WORK/server.json" >"$WORK/server-load.log"
CREATE=$(json "$WORK/server.json" "['create_throughput_per_s']")
P50=$(json "$WORK/server.json" "['create_latency_p50_ms']")
P99=$(json "$WORK/server.json" "['create_latency_p99_ms']")
E2E=$(json "$WORK/server.json" "['e2e_throughput_per_s']")
ONCE=$(json "$WORK/server.json" "['completed_once']")
RSS_MB=$(( $(cat "$WORK/rss") / 1024 ))

echo "==> 4. create latency at half of the peak rate, $CONNECTIONS connections, 20 s"
HALF=$(python3 -c "print(max(1, int($CREATE / 2)))")
load --url http://127.0.0.1:18080 --orders $((HALF * 20)) --concurrency "$CONNECTIONS" \
  --rate "$HALF" --no-wait --json "$WORK/half.json" >/dev/null
HALF_P50=$(json "$WORK/half.json" "['create_latency_p50_ms']")
HALF_P99=$(json "$WORK/half.json" "['create_latency_p99_ms']")

# Idle means idle: let the earlier phases' orders drain first.
wait_idle() {
  for _ in $(seq 1 1200); do
    python3 -c "import json,urllib.request,sys; c=json.load(urllib.request.urlopen('http://127.0.0.1:18080/metrics'))['status_counts']; sys.exit(0 if c['Pending']+c['Processing']==0 else 1)" && return 0
    sleep 0.5
  done
  echo "the backlog did not drain in 10 minutes" >&2; return 1
}
wait_idle
echo "==> 4b. pgbench at the same rate ($HALF/s, 64 clients, 20 s): the durable commit's own latency"
# The baseline for the create latency at half of peak: the same single-row INSERT as phase 1, at
# a fixed rate, each transaction's latency logged. The server is idle meanwhile.
pgbench_insert -R "$HALF" -l --log-prefix=pgbench-half >/dev/null
# Log lines: client, transaction, latency in microseconds from the scheduled start, ...
PGBENCH_HALF=$(cat "$WORK"/pgbench-half.* | awk '{print $3 / 1000}' | sort -n \
  | awk '{a[NR] = $1} END {printf "%.1f %.1f", a[int(NR * 0.5)], a[int(NR * 0.99)]}')
echo "==> 5. pickup latency on an idle server: 200 orders, one at a time, 20/s"
load --url http://127.0.0.1:18080 --orders 200 --concurrency 1 --rate 20 --id-prefix pickup- \
  --json "$WORK/pickup.json" >/dev/null
PICKUP=$(python3 - <<'PY'
import json, urllib.request
from datetime import datetime
waits = []
for i in range(200):
    order = json.load(urllib.request.urlopen(f"http://127.0.0.1:18080/orders/pickup-{i}"))
    t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
    waits.append((t(order["started_at"]) - t(order["created_at"])).total_seconds() * 1000)
waits.sort()
print(f"{waits[len(waits)//2]:.2f} {waits[int(len(waits)*0.99)]:.2f}")
PY
)

wait_idle
echo "==> 6. created and processed together at $SUSTAINED_RATE/s for 60 s"
load --url http://127.0.0.1:18080 --orders $((SUSTAINED_RATE * 60)) --concurrency "$CONNECTIONS" \
  --rate "$SUSTAINED_RATE" --timeout 2m --json "$WORK/sustained.json" >/dev/null || true
SUSTAINED_E2E=$(json "$WORK/sustained.json" "['e2e_throughput_per_s']")
SUSTAINED_OK=$(json "$WORK/sustained.json" "['completed_once']")
stop_server

echo "==> 7. GET /metrics with 1,000,000 orders stored: 2,000 requests, one at a time"
psql -d orderly_bench -qc "insert into orders (order_id, user_id, item_ids, total_amount,
    status, attempts, created_at, updated_at, started_at, completed_at, processed_by)
  select 'fill-' || g, 'user-' || (g % 1000), array['item-1', 'item-2'], 25.00, 'Completed', 1,
         now() - interval '1 hour', now(), now() - interval '1 hour', now(), 'bench'
    from generate_series(1, greatest(0, 1000000 - (select count(*) from orders))) g"
# The steady state autovacuum reaches on its own, without waiting for it.
psql -d orderly_bench -qc "vacuum analyze orders"
STORED=$(psql -d orderly_bench -tAc "select count(*) from orders")
start_server "$WORK/metrics.log" "${DB[@]}"
METRICS=$(python3 - <<'PY'
import http.client, time
conn = http.client.HTTPConnection("127.0.0.1", 18080)
def get():
    conn.request("GET", "/metrics", headers={"Accept": "application/json"})
    response = conn.getresponse()
    response.read()
    assert response.status == 200, response.status
for _ in range(500):  # warm-up
    get()
times = []
for _ in range(2000):
    started = time.perf_counter()
    get()
    times.append((time.perf_counter() - started) * 1000)
times.sort()
print(f"{times[len(times)//2]:.2f} {times[int(len(times)*0.99)]:.2f}")
PY
)
stop_server

echo "==> 8. time to ready"
# Phase 7 left a gigabyte of dirty pages: flush them first, or the embedded first start (initdb
# syncs every file it writes) waits behind that writeback and measures the previous phase.
psql -d test -qc "drop database if exists orderly_bench" -c "checkpoint"
sync
start_server "$WORK/memory.log" --in-memory
READY_MEMORY=$(ready_ms "$WORK/memory.log"); stop_server
start_server "$WORK/embedded.log" --data-dir "$WORK/data"
READY_EMBEDDED=$(ready_ms "$WORK/embedded.log"); stop_server
# A restart on the same folder: no initdb, the schema already current.
start_server "$WORK/restart.log" --data-dir "$WORK/data"
READY_RESTART=$(ready_ms "$WORK/restart.log"); stop_server
# The same two with a class-data-sharing archive (docs/operations.md), written by a training run
# (a first start of its own) when that server stops.
SERVER_JVM_PLAIN=$SERVER_JVM
SERVER_JVM="$SERVER_JVM_PLAIN -XX:ArchiveClassesAtExit=$WORK/orderly.jsa"
start_server "$WORK/training.log" --data-dir "$WORK/training"; stop_server
SERVER_JVM="$SERVER_JVM_PLAIN -XX:SharedArchiveFile=$WORK/orderly.jsa"
sync
start_server "$WORK/cds-embedded.log" --data-dir "$WORK/cds-data"
READY_CDS_EMBEDDED=$(ready_ms "$WORK/cds-embedded.log"); stop_server
start_server "$WORK/cds-restart.log" --data-dir "$WORK/cds-data"
READY_CDS_RESTART=$(ready_ms "$WORK/cds-restart.log"); stop_server
SERVER_JVM=$SERVER_JVM_PLAIN

cat <<REPORT
--- orderly http benchmark ---
machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average at end $(cut -d' ' -f1-3 /proc/loadavg)
pgbench_single_row_inserts_per_s: $PGBENCH
trivial_grizzly_per_s: $TRIVIAL
create_per_s: $CREATE  (x$(python3 -c "print(round($CREATE/$PGBENCH,2))") pgbench, x$(python3 -c "print(round($CREATE/$TRIVIAL,2))") trivial endpoint)
create_latency_ms_at_peak: p50 $P50, p99 $P99
e2e_per_s: $E2E  (completed exactly once: $ONCE of $ORDERS)
server_rss_mb_at_${CONNECTIONS}_connections: $RSS_MB
create_latency_ms_at_half_peak ($HALF/s): p50 $HALF_P50, p99 $HALF_P99 (pgbench INSERT at the same rate: p50/p99 $PGBENCH_HALF)
pickup_latency_ms_idle: p50/p99 $PICKUP
sustained_${SUSTAINED_RATE}_per_s_for_60s: e2e $SUSTAINED_E2E/s, completed exactly once: $SUSTAINED_OK
metrics_latency_ms_with_${STORED}_orders: p50/p99 $METRICS
ready_ms (from start / JVM running for): in memory $READY_MEMORY, embedded first start $READY_EMBEDDED, embedded restart $READY_RESTART
ready_ms_with_a_cds_archive: embedded first start $READY_CDS_EMBEDDED, embedded restart $READY_CDS_RESTART
--- end ---
REPORT
