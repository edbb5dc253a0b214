#!/usr/bin/env bash
# `cellar server` at rest and on time (docs/server.md, "Measured"), against the goals of issue 11:
#   (a) idle RSS and CPU of the server process over a minute with no job running, once fresh
#       (before any job) and once after it has run jobs;
#       VmRSS sampled every second from /proc/PID/status, CPU from utime+stime in /proc/PID/stat;
#   (b) the time from a scheduled instant to the job's start, for SLOTS slots: the server's log
#       line "run full:<db> for <slot> started" carries both its own clock's instant and the slot.
# Goals: idle RSS < 256 MB, start < 1 s.
#
# Sets up a throwaway PostgreSQL cluster with a small database, a repository, the catalog in a
# database of that same cluster (catalog.url), and one `cellar server` whose full backup is a cron
# expression naming SLOTS consecutive minutes (the other jobs off), so the server is idle between
# its start and the first slot, and for most of an hour after the last one.
#
# Usage (as root or as a user that can run initdb):  bench/server.sh
# Settings by environment: PERF (work folder, default a new temp folder), SLOTS (3), IDLE_SECONDS
# (60), PORT (PostgreSQL, 5496), HTTP_PORT (/metrics and /health, 9196), CELLAR_JAVA_OPTS (extra
# JVM flags for the launcher, to compare), KEEP=1 to keep the cluster and files.
# Takes about SLOTS + 3 minutes.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

SLOTS=${SLOTS:-3}
IDLE_SECONDS=${IDLE_SECONDS:-60}
PORT=${PORT:-5496}
HTTP_PORT=${HTTP_PORT:-9196}
PERF=${PERF:-$(mktemp -d /tmp/cellar-bench-server.XXXXXX)}
DB=bench
mkdir -p "$PERF"
chmod 711 "$PERF"

. "$here/bench/lib.sh"

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres
export CELLAR_DATABASE_HOST=127.0.0.1 CELLAR_DATABASE_PORT=$PORT CELLAR_DATABASE_USER=postgres CELLAR_DATABASE_NAME=$DB
export CELLAR_PASSPHRASE=bench-passphrase CELLAR_NO_PROGRESS=1 CELLAR_REPOSITORY_PATH=$PERF/repo
export CELLAR_CATALOG_URL="jdbc:postgresql://127.0.0.1:$PORT/cellar_catalog" CELLAR_CATALOG_USER=postgres
export CELLAR_SERVER_STATE_DIR=$PERF/state CELLAR_SERVER_LISTEN=127.0.0.1:$HTTP_PORT CELLAR_BACKUP_WORK_DIR=$PERF/work
export CELLAR_SCHEDULE_TIME_ZONE=UTC CELLAR_SCHEDULE_INCREMENTAL=off CELLAR_SCHEDULE_VERIFY=off CELLAR_SCHEDULE_SYNC=off

server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  as_pg pg_ctl -D "$PERF/pgdata" -m fast stop >/dev/null 2>&1 || true
  [[ ${KEEP:-0} == 1 ]] || rm -rf "$PERF/pgdata" "$PERF/repo" "$PERF/work" "$PERF/state"
}
trap cleanup EXIT

echo "== building cellar and a cluster in $PERF (port $PORT)"
"$here/cellar" --version >/dev/null
. "$here/.ci/find-java.sh" >/dev/null
mkdir -p "$PERF/pgdata" "$PERF/sock" "$PERF/log" "$PERF/work"
if [[ $(id -u) == 0 ]]; then chown postgres "$PERF/pgdata" "$PERF/sock" "$PERF/log"; fi
as_pg initdb -D "$PERF/pgdata" --auth=trust -U postgres --encoding=UTF8 --locale=C.UTF-8 --no-sync >/dev/null
cat >> "$PERF/pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$PERF/sock'
CONF
as_pg pg_ctl -D "$PERF/pgdata" -l "$PERF/log/server.log" -w start >/dev/null
createdb "$DB"
createdb cellar_catalog
psql -qAt -d "$DB" -c "CREATE TABLE orders AS SELECT g AS id, md5(g::text) AS note FROM generate_series(1, 20000) g" \
  -c "SELECT '$DB: ' || pg_size_pretty(pg_database_size('$DB'))"
"$here/cellar" init >/dev/null

# SLOTS consecutive whole minutes, the first at least 100 s away: time for the JVM to start and
# for a fresh idle minute before it
first=$(( ( $(date +%s) + 100 + 59 ) / 60 * 60 ))
minutes=$(for i in $(seq 0 $((SLOTS - 1))); do date -u -d "@$((first + 60 * i))" +%-M; done | paste -sd, -)
export CELLAR_SCHEDULE_FULL="$minutes * * * *"
echo "== cellar server, full backup of $DB at '$CELLAR_SCHEDULE_FULL' (UTC); first slot $(date -u -d "@$first" +%H:%M:%S)Z"
log=$PERF/log/cellar-server.log
"$here/cellar" server --node bench >"$log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do grep -q " node bench started" "$log" && break; kill -0 "$server_pid" || { cat "$log"; exit 1; }; sleep 0.1; done
grep -q " node bench started" "$log" || { echo "the server did not start within 60 s:" >&2; cat "$log" >&2; exit 1; }
# the java process itself (the launcher execs it)
pid=$server_pid
jvm_flags=$(tr '\0' ' ' < "/proc/$pid/cmdline" | sed 's/ -jar .*//; s/^[^ ]* //; s/ -XX:[A-Za-z]*SharedArchiveFile=[^ ]*//')
echo "   pid $pid, JVM flags: $jvm_flags"

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }
# idle LABEL SECONDS: samples the server's RSS every second and its CPU over the window
idle() {
  local label=$1 seconds=$2 c0 c1 t0 t1 samples=()
  c0=$(cpu_ticks "$pid"); t0=$(date +%s.%N)
  for _ in $(seq "$seconds"); do samples+=("$(rss_kb "$pid")"); sleep 1; done
  c1=$(cpu_ticks "$pid"); t1=$(date +%s.%N)
  printf '%s\n' "${samples[@]}" | awk -v label="$label" -v c="$((c1 - c0))" -v hz="$ticks" -v t0="$t0" -v t1="$t1" '
    { s += $1; if ($1 > max) max = $1; if (min == "" || $1 < min) min = $1; last = $1; n++ }
    END { wall = t1 - t0; printf "%-34s RSS min %4.0f / mean %4.0f / max %4.0f / last %4.0f MB; CPU %.2f s in %.0f s = %.2f%% of one core\n",
          label, min / 1024, s / n / 1024, max / 1024, last / 1024, c / hz, wall, 100 * c / hz / wall }' | tee -a "$PERF/results.txt"
}
: > "$PERF/results.txt"

sleep 5
window=$(( first - $(date +%s) - 3 ))
(( window > IDLE_SECONDS )) && window=$IDLE_SECONDS
if (( window >= 10 )); then
  echo "== idle, fresh (no job has run yet): ${window} s"
  idle "idle, fresh" "$window"
else
  echo "== the server took too long to start for a fresh idle window before the first slot; skipped"
fi

echo "== waiting for $SLOTS slots"
last=$(( first + 60 * (SLOTS - 1) ))
until (( $(grep -c "run full:$DB for .* \(ok\|failed\|interrupted\|timed_out\):" "$log" || true) >= SLOTS )); do
  kill -0 "$server_pid" || { echo "the server stopped:" >&2; tail -20 "$log" >&2; exit 1; }
  (( $(date +%s) > last + 600 )) && { echo "the runs did not finish within 10 min of the last slot:" >&2; tail -20 "$log" >&2; exit 1; }
  sleep 1
done
grep "run full:$DB for " "$log" | sed 's/^/   /'

echo "== idle after $SLOTS runs: ${IDLE_SECONDS} s, starting 10 s after the last run ended"
sleep 10
idle "idle, after $SLOTS runs" "$IDLE_SECONDS"

echo "== scheduled instant to start (server clock, from its log)"
python3 - "$log" "$DB" <<'PY' | tee -a "$PERF/results.txt"
import re, sys
from datetime import datetime
def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
pattern = re.compile(r"^(\S+) \S+ run full:" + re.escape(sys.argv[2]) + r" for (\S+)( .*)? started$")
delays = []
for line in open(sys.argv[1]):
    m = pattern.match(line.strip())
    if m:
        delay = (instant(m.group(1)) - instant(m.group(2))).total_seconds()
        delays.append(delay)
        print(f"slot {m.group(2)}: started {delay * 1000:6.0f} ms after it")
if delays:
    print(f"{'start after the slot':34} min {min(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms (n={len(delays)})")
PY

echo "== /health: $(curl -s -m 5 "http://127.0.0.1:$HTTP_PORT/health" | head -c 300 || echo unreachable)"
echo "== stopping (SIGTERM)"
t0=$(date +%s%N); kill "$server_pid"; wait "$server_pid" || true; server_pid=""
echo "   stopped in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
echo
echo "== results (goals: idle RSS < 256 MB, start < 1 s)"
echo "   machine: $(nproc) CPU ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/{printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1 || true)"
echo "   JVM flags: $jvm_flags"
sed 's/^/   /' "$PERF/results.txt"
