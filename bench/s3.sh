#!/usr/bin/env bash
# Backup and restore throughput to an S3 API server on loopback against a local repository, in
# one run, on the same cluster and data:
#
#   logical backup   cellar backup logical -d restaurant_ordering  into a folder  vs  into s3://bench/...
#   logical restore  cellar restore logical latest --jobs 2       from the folder  vs  from the bucket
#   physical backup  cellar backup physical (full)                into a folder  vs  into the bucket
#   physical restore cellar restore pitr --target-immediate (files + recovery settings, no start)
#   pg_dump -Fc -Z9 of the same database is timed too, as the yardstick everyone knows.
#
# The S3 server is S3Proxy (the one the tests use) with its filesystem backend under $PERF, on
# 127.0.0.1, started from the project's test classpath; Cellar talks to it with
# s3.checksum-mode: when-required (S3Proxy rejects the SDK's newer checksum headers). Each step
# runs RUNS times into a fresh repository / prefix, with the page cache dropped first when
# permitted; medians, MB/s of database size and the S3/local ratio are printed at the end.
#
# Usage (as root or a user that can run initdb): bench/s3.sh
# Settings by environment: PERF (work folder), RUNS (3), RESTAURANT_SCALE (30), PGBENCH_SCALE (50),
# PORT (5498), S3_PORT (18181), KEEP=1 keeps everything. S3_LATENCY_MS (0): when set, Cellar reaches
# S3Proxy through a proxy (the tests' FaultInjectingProxy, on S3_PORT+1) that holds every request
# back that long, as a store across a network would; 10-30 ms is a cloud region away; the proxy's log
# ($S3DIR/latency-proxy.log, kept with KEEP=1) ends with the requests it saw by kind. STEPS (all):
# a regular expression of the steps to run, e.g. STEPS=physical_backup for the physical backup rows only.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

RUNS=${RUNS:-3}
RESTAURANT_SCALE=${RESTAURANT_SCALE:-30}
PGBENCH_SCALE=${PGBENCH_SCALE:-50}
PORT=${PORT:-5498}
S3_PORT=${S3_PORT:-18181}
S3_LATENCY_MS=${S3_LATENCY_MS:-0}
STEPS=${STEPS:-.}
PERF=${PERF:-$(mktemp -d /tmp/cellar-bench-s3.XXXXXX)}
RESULTS=$PERF/results.csv
mkdir -p "$PERF"
chmod 711 "$PERF"

. "$here/bench/lib.sh"

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres
export CELLAR_NO_PROGRESS=1
CELLAR="$here/cellar"
DATA=$PERF/pgdata RDATA=$PERF/restored S3DIR=$PERF/s3

s3_pid="" latency_pid=""
cleanup() {
  if [[ -n $latency_pid ]]; then
    kill "$latency_pid" 2>/dev/null && wait "$latency_pid" 2>/dev/null || true
    grep -h "requests by kind" "$S3DIR/latency-proxy.log" 2>/dev/null || true
  fi
  as_pg pg_ctl -D "$DATA" -m fast stop >/dev/null 2>&1 || true
  [[ -n $s3_pid ]] && kill "$s3_pid" 2>/dev/null || true
  [[ ${KEEP:-0} == 1 ]] || rm -rf "$DATA" "$RDATA" "$PERF/repo" "$S3DIR" "$PERF/out"
}
trap cleanup EXIT

echo "== building cellar, starting S3Proxy on 127.0.0.1:$S3_PORT and a cluster in $PERF (port $PORT)"
"$CELLAR" --version >/dev/null
(cd "$here" && . .ci/find-java.sh && mvn -B -q -ntp -o dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PERF/test-classpath.txt" >/dev/null 2>&1)
mkdir -p "$S3DIR/blobs/bench" "$PERF/out"
cat > "$S3DIR/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench-access-key
s3proxy.credential=bench-secret-key
jclouds.provider=filesystem
jclouds.filesystem.basedir=$S3DIR/blobs
PROPS
java=$(. "$here/.ci/find-java.sh" >/dev/null && echo "${JAVA_HOME:+$JAVA_HOME/bin/}java")
"$java" -Xmx1g -cp "$(cat "$PERF/test-classpath.txt")" org.gaul.s3proxy.Main --properties "$S3DIR/s3proxy.properties" \
  > "$S3DIR/s3proxy.log" 2>&1 &
s3_pid=$!
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/" && break; sleep 0.5; done
curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/" || { echo "S3Proxy did not start: $(tail -3 "$S3DIR/s3proxy.log")" >&2; exit 1; }
s3_endpoint=http://127.0.0.1:$S3_PORT
if [[ $S3_LATENCY_MS != 0 ]]; then
  (cd "$here" && . .ci/find-java.sh && mvn -B -q -ntp -o test-compile >/dev/null 2>&1)
  latency_port=$((S3_PORT + 1))
  "$java" -cp "$here/target/test-classes:$(cat "$PERF/test-classpath.txt")" dev.cellar.storage.s3.FaultInjectingProxy \
    "$s3_endpoint" "$latency_port" "$S3_LATENCY_MS" > "$S3DIR/latency-proxy.log" 2>&1 &
  latency_pid=$!
  for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$latency_port/" && break; sleep 0.5; done
  s3_endpoint=http://127.0.0.1:$latency_port
  echo "   S3 requests go through a proxy adding $S3_LATENCY_MS ms each ($s3_endpoint)"
fi

printf 'bench-passphrase' > "$PERF/passphrase"; chmod 600 "$PERF/passphrase"
printf '[default]\naws_access_key_id = bench-access-key\naws_secret_access_key = bench-secret-key\n' > "$PERF/credentials"
chmod 600 "$PERF/credentials"
[[ $(id -u) == 0 ]] && chown "$owner" "$PERF/passphrase" "$PERF/credentials"

install -d -o "$owner" -m 700 "$DATA" "$PERF/log"
as_pg initdb -D "$DATA" --auth=trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >/dev/null
cat >> "$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '/tmp'
shared_buffers = 256MB
max_wal_size = 4GB
wal_level = replica
CONF
as_pg pg_ctl -D "$DATA" -l "$PERF/log/server.log" -w start >/dev/null

echo "== loading restaurant_ordering (scale $RESTAURANT_SCALE) and pgbench (scale $PGBENCH_SCALE)"
CELLAR_DATABASE_HOST=127.0.0.1 CELLAR_DATABASE_PORT=$PORT CELLAR_DATABASE_USER=postgres \
  "$CELLAR" sample load --scale "$RESTAURANT_SCALE" -d restaurant_ordering | head -1
createdb pgbench && pgbench -i -q -s "$PGBENCH_SCALE" pgbench 2>&1 | tail -1
psql -X -qAt -c "CHECKPOINT" postgres
logical_mb=$(psql -X -qAt -c "SELECT pg_database_size('restaurant_ordering') / 1e6" postgres)
cluster_mb=$(psql -X -qAt -c "SELECT sum(pg_database_size(oid)) / 1e6 FROM pg_database" postgres)
printf '   restaurant_ordering %.0f MB, cluster %.0f MB\n' "$logical_mb" "$cluster_mb"

# config FILE LOCATION: a cellar.yaml for a repository at LOCATION (folder or s3://)
config() {
  {
    printf 'repository:\n  path: %s\n  passphrase-file: %s\n' "$2" "$PERF/passphrase"
    printf 'database:\n  host: 127.0.0.1\n  port: %s\n  user: postgres\n  name: restaurant_ordering\n' "$PORT"
    printf 's3:\n  endpoint: %s\n  checksum-mode: when-required\n  credentials-file: %s\n' "$s3_endpoint" "$PERF/credentials"
  } > "$1"
  [[ $(id -u) == 0 ]] && chown "$owner" "$1"
  return 0
}

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
now() { date +%s.%N; }
echo "label,run,seconds" > "$RESULTS"
# timed LABEL RUN CMD...: one run, appended to the results; a failure stops the benchmark
timed() {
  local label=$1 run=$2; shift 2
  local t0 t1
  [[ $label =~ $STEPS ]] || return 0  # not selected (STEPS); a restore needs its backup selected too
  drop_caches
  t0=$(now)
  if ! "$@" > "$PERF/last.out" 2> "$PERF/last.err"; then
    echo "  $label run $run failed: $(tail -3 "$PERF/last.err")" >&2; exit 1
  fi
  t1=$(now)
  local s; s=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
  echo "$label,$run,$s" >> "$RESULTS"
  printf '  %-22s run %s: %7.2f s\n' "$label" "$run" "$s"
}

for run in $(seq 1 "$RUNS"); do
  echo "== run $run"
  timed pg_dump "$run" pg_dump --format=custom --compress=9 -d restaurant_ordering -f "$PERF/out/restaurant.dump"
  for where in local s3; do
    cfg=$PERF/cellar-$where-$run.yaml
    if [[ $where == local ]]; then
      rm -rf "$PERF/repo"; install -d -o "$owner" -m 700 "$PERF/repo"
      config "$cfg" "$PERF/repo/r$run"
    else
      config "$cfg" "s3://bench/run$run"
    fi
    as_pg "$CELLAR" init --config "$cfg" >/dev/null
    timed "logical_backup_$where" "$run" as_pg "$CELLAR" backup logical --config "$cfg"
    dropdb --if-exists restaurant_restored
    timed "logical_restore_$where" "$run" as_pg "$CELLAR" restore logical latest --config "$cfg" \
      --target-db restaurant_restored --jobs 2
    timed "physical_backup_$where" "$run" as_pg "$CELLAR" backup physical --config "$cfg" --json
    id=$(python3 -c "import json,sys; print(json.load(open('$PERF/last.out'))['id'])")
    rm -rf "$RDATA"; install -d -o "$owner" -m 700 "$RDATA"
    timed "physical_restore_$where" "$run" as_pg "$CELLAR" restore pitr --config "$cfg" -D "$RDATA" \
      --backup "$id" --target-immediate --archive-mode off
  done
  dropdb --if-exists restaurant_restored
  rm -rf "$PERF/repo" "$RDATA"
done

python3 - "$RESULTS" "$logical_mb" "$cluster_mb" "$S3_LATENCY_MS" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
logical_mb, cluster_mb = float(sys.argv[2]), float(sys.argv[3])
def med(label):
    values = [float(r["seconds"]) for r in rows if r["label"] == label]
    return statistics.median(values) if values else float("nan")
print()
print(f"{'measure':<18} {'local s':>9} {'local MB/s':>11} {'S3 s':>9} {'S3 MB/s':>9} {'S3/local time':>14}")
for step, size in (("logical_backup", logical_mb), ("logical_restore", logical_mb),
                   ("physical_backup", cluster_mb), ("physical_restore", cluster_mb)):
    l, s = med(step + "_local"), med(step + "_s3")
    print(f"{step:<18} {l:>9.2f} {size / l:>11.1f} {s:>9.2f} {size / s:>9.1f} {s / l:>14.2f}")
d = med("pg_dump")
print(f"{'pg_dump -Fc -Z9':<18} {d:>9.2f} {logical_mb / d:>11.1f}   (logical backup to S3 / pg_dump: {med('logical_backup_s3') / d:.2f})")
print(f"\nMB/s = database size (restaurant_ordering {logical_mb:.0f} MB; whole cluster {cluster_mb:.0f} MB for physical)"
      f" / wall time; medians of {len(set(r['run'] for r in rows))} runs; raw figures in {sys.argv[1]}")
if sys.argv[4] != "0":
    print(f"S3 requests were held back {sys.argv[4]} ms each (S3_LATENCY_MS)")
PY
