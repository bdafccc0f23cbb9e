#!/usr/bin/env bash
# Runs the JMH benchmarks of order-benchmarks (see docs/performance.md, "JMH benchmarks").
# A benchmark, not a test. Builds the jar when it is missing.
#
# Usage: bench/jmh.sh [JMH options] [benchmark regex]
#   bench/jmh.sh                          every benchmark, 1 fork, 3 warmup and 5 measured iterations
#   bench/jmh.sh GroupCommitBenchmark     one class
#   bench/jmh.sh -i 10 -rf json -rff jmh.json Store
#   bench/jmh.sh -h                       JMH's own options
# An option given here replaces its default (JMH refuses an option given twice). Database (StoreBenchmark, GroupCommitBenchmark):
# ORDERLY_BENCH_DB_URL (default jdbc:postgresql://127.0.0.1:5432/test), ORDERLY_BENCH_DB_USER and
# ORDERLY_BENCH_DB_PASSWORD (default postgres / postgres); each trial uses a schema of its own and
# drops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=order-benchmarks/target/benchmarks.jar
if [ ! -f "$JAR" ]; then
  ./mvnw -B -q -pl order-benchmarks -am clean package -DskipTests
fi
# The defaults, each only when the caller did not choose it.
has() {
  local wanted=$1 arg
  shift
  for arg in "$@"; do
    [ "$arg" = "$wanted" ] && return 0
  done
  return 1
}
DEFAULTS=()
has -f "$@" || DEFAULTS+=(-f 1)
has -wi "$@" || DEFAULTS+=(-wi 3)
has -i "$@" || DEFAULTS+=(-i 5)
# shellcheck disable=SC2086 # ORDERLY_BENCH_JAVA_OPTS holds several JVM options on purpose.
exec java ${ORDERLY_BENCH_JAVA_OPTS:-} -jar "$JAR" "${DEFAULTS[@]}" "$@"
