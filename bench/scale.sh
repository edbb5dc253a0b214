#!/usr/bin/env bash
# A repository holding many backups: how list, expire, gc and verify --all grow with the number
# of backups, and how much memory they need.
#
# One throwaway cluster with a small restaurant_ordering (RESTAURANT_SCALE, default 1: ~10 MB),
# WAL archived through `cellar wal push`, one logical and one physical backup. Then the
# repository is grown to SMALL (default 4) backups, each command timed RUNS times; then to
# BACKUPS (default 1000), timed again. The copies are made by bench/tools/ManyBackups.java: every
# backup saved again under a new id one day further back, sharing the original's chunks (a daily
# backup of an unchanged database), so the repository grows by manifests only (half of them
# physical: a physical manifest lists every file of the cluster and its chunks).
#
# Printed per command: median wall time at SMALL and at BACKUPS backups, CPU seconds and peak RSS at BACKUPS, the time
# per backup added, and whether the growth is linear or better (time at BACKUPS / time at SMALL
# against BACKUPS / SMALL). Goals (issue 15): list under 1 s, peak RSS under 512 MB, and
# expire / gc / verify --all no worse than linear in what they touch.
#
# Usage (as root or as a user that can run initdb): bench/scale.sh
# Settings by environment: PERF (work folder, default a new temp folder), RUNS (3), SMALL (4),
# BACKUPS (1000), RESTAURANT_SCALE (1), PORT (5495), KEEP=1 keeps everything.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

RUNS=${RUNS:-3}
SMALL=${SMALL:-4}
BACKUPS=${BACKUPS:-1000}
RESTAURANT_SCALE=${RESTAURANT_SCALE:-1}
PORT=${PORT:-5495}
PERF=${PERF:-$(mktemp -d /tmp/cellar-bench-scale.XXXXXX)}
RESULTS=$PERF/results.csv
mkdir -p "$PERF"
chmod 711 "$PERF"

. "$here/bench/lib.sh"

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres CELLAR_NO_PROGRESS=1
CELLAR="$here/cellar"
DATA=$PERF/pgdata SPOOL=$PERF/spool CFG=$PERF/cellar.yaml

cleanup() {
  as_pg pg_ctl -D "$DATA" -m fast stop >/dev/null 2>&1 || true
  [[ ${KEEP:-0} == 1 ]] || rm -rf "$DATA" "$PERF/repo" "$SPOOL"
}
trap cleanup EXIT

echo "== building cellar and a cluster in $PERF (port $PORT)"
"$CELLAR" --version >/dev/null
JAVA_HOME=$(. "$here/.ci/find-java.sh" >/dev/null 2>&1; echo "$JAVA_HOME")
mkdir -p "$PERF"/{sock,log} "$SPOOL"
echo "bench-passphrase" > "$PERF/passphrase"
chmod 600 "$PERF/passphrase"
cat > "$CFG" <<CONF
repository:
  path: $PERF/repo
  passphrase-file: $PERF/passphrase
database:
  host: 127.0.0.1
  port: $PORT
  user: postgres
  name: restaurant_ordering
wal:
  spool-path: $SPOOL
CONF
install -d -o "$owner" -m 700 "$DATA" "$PERF/repo"
[[ $(id -u) == 0 ]] && chown -R "$owner" "$PERF"/{sock,log,passphrase} "$SPOOL" "$CFG"
as_pg initdb -D "$DATA" --auth=trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >/dev/null
cat >> "$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$PERF/sock'
archive_mode = on
archive_command = 'CELLAR_NO_BUILD=1 $CELLAR wal push --config $CFG --spool $SPOOL %p'
CONF
as_pg pg_ctl -D "$DATA" -l "$PERF/log/server.log" -w start >/dev/null
as_pg "$CELLAR" init --config "$CFG" >/dev/null
as_pg "$CELLAR" sample load --config "$CFG" --scale "$RESTAURANT_SCALE" -d restaurant_ordering | head -1
as_pg "$CELLAR" backup logical --config "$CFG" >/dev/null
as_pg "$CELLAR" backup physical --config "$CFG" >/dev/null

grow() {
  as_pg "$JAVA_HOME/bin/java" -cp "$here/target/cellar.jar" "$here/bench/tools/ManyBackups.java" "$PERF/repo" "$PERF/passphrase" "$1"
}

echo "backups,label,run,wall_s,cpu_s,max_rss_kb,exit" > "$RESULTS"
# timed BACKUPS LABEL RUN CMD...: one run under /usr/bin/time, as the repository's owner
timed() {
  local backups=$1 label=$2 run=$3; shift 3
  local tf rc=0 wall cpu rss
  tf=$(mktemp)
  chmod 666 "$tf"
  as_pg /usr/bin/time -v -o "$tf" "$@" >"$PERF/last.out" 2>"$PERF/last.err" || rc=$?
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$tf" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  # CPU seconds (user + system) move less than wall time on a machine shared with other work
  cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/{s+=$2} END{printf "%.2f", s}' "$tf")
  rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tf")
  echo "$backups,$label,$run,$wall,$cpu,$rss,$rc" >> "$RESULTS"
  printf '  %5s backups  %-14s run %s: %7.2f s  cpu %6.2f s  rss %7d KB  exit %s\n' "$backups" "$label" "$run" "$wall" "$cpu" "$rss" "$rc"
  if [[ $rc != 0 ]]; then echo "    failed: $(tail -3 "$PERF/last.err")" >&2; fi
  rm -f "$tf"
}

measure() {
  local n=$1
  echo "== $n backups"
  for run in $(seq 1 "$RUNS"); do
    timed "$n" version "$run" "$CELLAR" --version
    timed "$n" list "$run" "$CELLAR" list --config "$CFG"
    timed "$n" expire_dry_run "$run" "$CELLAR" expire --dry-run --full-days 36500 --config "$CFG"
    timed "$n" gc_dry_run "$run" "$CELLAR" gc --dry-run --config "$CFG"
    timed "$n" verify_all "$run" "$CELLAR" verify --all --config "$CFG"
  done
}

grow "$SMALL"
measure "$SMALL"
grow "$BACKUPS"
measure "$BACKUPS"

python3 - "$RESULTS" "$SMALL" "$BACKUPS" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
small, large = sys.argv[2], sys.argv[3]
def med(n, label, field):
    values = [float(r[field]) for r in rows if r["backups"] == n and r["label"] == label and r["exit"] == "0"]
    return statistics.median(values) if values else float("nan")
growth = int(large) / int(small)
print()
print(f"{'command':<16} {small + ' backups s':>12} {large + ' backups s':>14} {'ms/backup':>10} {'time x':>8} {'backups x':>10} {'CPU s':>7} {'peak RSS MB':>12}")
for label in ("version", "list", "expire_dry_run", "gc_dry_run", "verify_all"):
    a, b = med(small, label, "wall_s"), med(large, label, "wall_s")
    rss = med(large, label, "max_rss_kb") / 1024
    cpu = med(large, label, "cpu_s")
    per = (b - a) * 1000 / (int(large) - int(small))
    print(f"{label:<16} {a:>12.2f} {b:>14.2f} {per:>10.2f} {b / a:>8.1f} {growth:>10.0f} {cpu:>7.2f} {rss:>12.0f}")
print(f"\nmedians of runs per cell; raw figures in {sys.argv[1]}")
PY
