#!/usr/bin/env bash
# Small database: Cellar's fixed costs (JVM start, unlocking the repository, listing) against
# pg_dump --format=custom --compress=9 and pg_restore -j 2 on a database of a few MB, in one run.
#
# Builds a throwaway cluster with restaurant_ordering at scale SCALE (default 1) with YEARS (1) of
# history: a few MB, like pagila. Then RUNS times, page cache warm (the fixed costs are what is measured):
#   pg_dump -Fc -Z9 to a file           vs  cellar backup logical (passphrase repository)
#   createdb + pg_restore -j 2 of that dump  vs  cellar restore logical --jobs 2 (which creates its target)
# and, on a repository holding 4 backups (RUNS of them, at least), `cellar list` unlocked by a passphrase and by a key
# file (its own repository, made with `init --new-key-file`), and `cellar --version`.
# Prints medians and the ratios of issue 15's goals table.
#
# Usage (as root or as a user that can run initdb):  bench/small.sh
# Settings by environment: PERF (work folder, default a new temp folder), RUNS (3), SCALE (1), YEARS (1),
# PORT (5496), CHECKOUT (the Cellar tree whose ./cellar is measured, default this one: point
# it at a checkout of another commit to compare), KEEP=1 to keep the cluster and files.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

RUNS=${RUNS:-3}
SCALE=${SCALE:-1}
YEARS=${YEARS:-1}
PORT=${PORT:-5496}
CHECKOUT=${CHECKOUT:-$here}
cellar=$CHECKOUT/cellar
PERF=${PERF:-$(mktemp -d /tmp/cellar-bench-small.XXXXXX)}
RESULTS=$PERF/results.csv
mkdir -p "$PERF"
chmod 711 "$PERF"

. "$here/bench/lib.sh"

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres
export CELLAR_DATABASE_HOST=127.0.0.1 CELLAR_DATABASE_PORT=$PORT CELLAR_DATABASE_USER=postgres
export CELLAR_NO_PROGRESS=1 CELLAR_BACKUP_WORK_DIR=$PERF/work
unset CELLAR_PASSPHRASE CELLAR_REPOSITORY_PATH CELLAR_CONFIG

cleanup() {
  as_pg pg_ctl -D "$PERF/pgdata" -m fast stop >/dev/null 2>&1 || true
  [[ ${KEEP:-0} == 1 ]] || rm -rf "$PERF/pgdata" "$PERF/out" "$PERF/repo" "$PERF/work"
}
trap cleanup EXIT

echo "== cellar from $CHECKOUT; a cluster in $PERF (port $PORT)"
"$cellar" --version >/dev/null
"$cellar" --version >/dev/null # the first run may write the start-up cache
mkdir -p "$PERF/pgdata" "$PERF/sock" "$PERF/log" "$PERF/out" "$PERF/work" "$PERF/repo"
if [[ $(id -u) == 0 ]]; then chown postgres "$PERF/pgdata" "$PERF/sock" "$PERF/log"; fi
as_pg initdb -D "$PERF/pgdata" --auth=trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >/dev/null
cat >> "$PERF/pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$PERF/sock'
CONF
as_pg pg_ctl -D "$PERF/pgdata" -l "$PERF/log/server.log" -w start >/dev/null

db=small
echo "== loading restaurant_ordering (scale $SCALE, $YEARS year(s) of history) as $db"
"$cellar" sample load --scale "$SCALE" --history-years "$YEARS" -d "$db" | head -1
psql -qAt -d "$db" -c "VACUUM ANALYZE" -c "SELECT '$db: ' || pg_size_pretty(pg_database_size('$db'))"

echo "label,run,wall_s,cpu_s,max_rss_kb,exit" > "$RESULTS"
# timed LABEL RUN CMD...: one run under /usr/bin/time, appended to the results
timed() {
  local label=$1 run=$2; shift 2
  local tf rc=0 wall rss cpu
  tf=$(mktemp)
  /usr/bin/time -v -o "$tf" "$@" >"$PERF/last.out" 2>"$PERF/last.err" || rc=$?
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$tf" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  cpu=$(awk -F': ' '/User time|System time/{sum += $2} END {print sum}' "$tf")
  rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tf")
  echo "$label,$run,$wall,$cpu,$rss,$rc" >> "$RESULTS"
  printf '  %-18s run %s: %6.2f s  cpu %6.2f s  rss %6d KB  exit %s\n' "$label" "$run" "$wall" "$cpu" "$rss" "$rc"
  if [[ $rc != 0 ]]; then echo "    failed: $(tail -3 "$PERF/last.err")" >&2; fi
  rm -f "$tf"
}

pass_repo=$PERF/repo/passphrase key_repo=$PERF/repo/key-file key_file=$PERF/repo/cellar.key
CELLAR_PASSPHRASE=bench-passphrase "$cellar" init -r "$pass_repo" >/dev/null
"$cellar" init -r "$key_repo" --new-key-file "$key_file" >/dev/null

echo "== $db: backup and restore"
for run in $(seq 1 "$RUNS"); do
  dump=$PERF/out/$db.dump
  rm -f "$dump"
  timed pg_dump_Z9 "$run" pg_dump --format=custom --compress=9 -d "$db" -f "$dump"
  CELLAR_PASSPHRASE=bench-passphrase timed cellar_backup "$run" "$cellar" backup logical -r "$pass_repo" -d "$db"

  dropdb --if-exists "${db}_pgr"
  # cellar restore creates its target database; pg_restore needs createdb for the same work
  timed createdb "$run" createdb -T template0 "${db}_pgr"
  timed pg_restore_j2 "$run" pg_restore -j 2 -d "${db}_pgr" "$dump"

  dropdb --if-exists "${db}_cellar"
  CELLAR_PASSPHRASE=bench-passphrase timed cellar_restore "$run" \
    "$cellar" restore logical latest -r "$pass_repo" --target-db "${db}_cellar" --jobs 2
done
dropdb --if-exists "${db}_pgr"; dropdb --if-exists "${db}_cellar"

echo "== cellar list, 4 backups"
for (( i = RUNS; i < 4; i++ )); do
  CELLAR_PASSPHRASE=bench-passphrase "$cellar" backup logical -r "$pass_repo" -d "$db" >/dev/null
done
for i in 1 2 3 4; do "$cellar" backup logical -r "$key_repo" --key-file "$key_file" -d "$db" >/dev/null; done
for run in $(seq 1 "$RUNS"); do
  timed version "$run" "$cellar" --version
  CELLAR_PASSPHRASE=bench-passphrase timed list_passphrase "$run" "$cellar" list -r "$pass_repo"
  timed list_key_file "$run" "$cellar" list -r "$key_repo" --key-file "$key_file"
done

python3 - "$RESULTS" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def med(label, field="wall_s"):
    values = [float(r[field]) for r in rows if r["label"] == label and r["exit"] == "0"]
    return statistics.median(values) if values else float("nan")
def med_sum(labels, field="wall_s"):
    """Median over runs of the labels' sum within each run: createdb + pg_restore is one restore."""
    by_run = {}
    for r in rows:
        if r["label"] in labels and r["exit"] == "0":
            by_run.setdefault(r["run"], []).append(float(r[field]))
    sums = [sum(v) for v in by_run.values() if len(v) == len(labels)]
    return statistics.median(sums) if sums else float("nan")
# CPU seconds (user + system, client side only: the server backend is not counted for either tool)
# say more than wall time when other work shares the machine
for field, unit in (("wall_s", "s"), ("cpu_s", "cpu s")):
    print()
    print(f"{'measure, ' + unit:<40} {'pg tool':>9} {'cellar':>9} {'ratio':>7}  goal")
    d, b = med("pg_dump_Z9", field), med("cellar_backup", field)
    r, c = med_sum(("createdb", "pg_restore_j2"), field), med("cellar_restore", field)
    r_alone = med("pg_restore_j2", field)
    print(f"{'backup (pg_dump -Fc -Z9)':<40} {d:>9.2f} {b:>9.2f} {b/d:>7.2f}  {'<= 2' if field == 'wall_s' else ''}")
    print(f"{'restore (createdb + pg_restore -j 2)':<40} {r:>9.2f} {c:>9.2f} {c/r:>7.2f}  {'<= 2' if field == 'wall_s' else ''}")
    print(f"{'  pg_restore -j 2 alone (before 2026-12)':<40} {r_alone:>9.2f} {'':>9} {c/r_alone:>7.2f}")
    print(f"{'cellar list, 4 backups, passphrase':<40} {'':>9} {med('list_passphrase', field):>9.2f} {'':>7}  {'<= 0.3 s' if field == 'wall_s' else ''}")
    print(f"{'cellar list, 4 backups, key file':<40} {'':>9} {med('list_key_file', field):>9.2f} {'':>7}  {'<= 0.3 s' if field == 'wall_s' else ''}")
    print(f"{'cellar --version':<40} {'':>9} {med('version', field):>9.2f}")
print(f"\nmedians of {max(int(r['run']) for r in rows)} runs per cell; raw figures in {sys.argv[1]}")
PY
