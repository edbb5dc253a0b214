#!/usr/bin/env bash
# Logical backup and restore: Cellar against the seed's pg_dump --format=custom --compress=9
# and pg_restore -j 2, on the same cluster, in one run.
#
# Builds two databases on a throwaway cluster: restaurant_ordering (about 1 GB at scale 100)
# and pgbench (scale 100), then for each, RUNS times (page cache dropped before every run when
# permitted):
#   pg_dump -Fc -Z9 to a file           vs  cellar backup logical into a fresh repository
#   createdb + pg_restore -j 2 of that dump  vs  cellar restore logical --jobs 2 (which creates its target)
# and prints medians, the time and size ratios, and peak RSS (largest process of the client
# side; the server backend is not counted, for either tool).
#
# Usage (as root or as a user that can run initdb):  bench/logical.sh
# Settings by environment: PERF (work folder, default a new temp folder), RUNS (3),
# RESTAURANT_SCALE (100), PGBENCH_SCALE (100), PORT (5497), LEVEL (Cellar's zstd level, default:
# the configuration default), KEEP=1 to keep the cluster and files, BASELINE (another Cellar
# checkout with its jar built: its `restore logical` of the same backup is timed too, in the same
# run, for before/after comparisons).
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

RUNS=${RUNS:-3}
RESTAURANT_SCALE=${RESTAURANT_SCALE:-100}
PGBENCH_SCALE=${PGBENCH_SCALE:-100}
PORT=${PORT:-5497}
PERF=${PERF:-$(mktemp -d /tmp/cellar-bench-logical.XXXXXX)}
RESULTS=$PERF/results.csv
mkdir -p "$PERF"
chmod 711 "$PERF"

. "$here/bench/lib.sh"

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres
export CELLAR_DATABASE_HOST=127.0.0.1 CELLAR_DATABASE_PORT=$PORT CELLAR_DATABASE_USER=postgres
export CELLAR_PASSPHRASE=bench-passphrase CELLAR_NO_PROGRESS=1 CELLAR_BACKUP_WORK_DIR=$PERF/work
[[ -n ${LEVEL:-} ]] && export CELLAR_BACKUP_COMPRESSION_LEVEL=$LEVEL

cleanup() {
  as_pg pg_ctl -D "$PERF/pgdata" -m fast stop >/dev/null 2>&1 || true
  [[ ${KEEP:-0} == 1 ]] || rm -rf "$PERF/pgdata" "$PERF/out" "$PERF/repo" "$PERF/work"
}
trap cleanup EXIT

echo "== building cellar and a cluster in $PERF (port $PORT)"
"$here/cellar" --version >/dev/null
mkdir -p "$PERF/pgdata" "$PERF/sock" "$PERF/log" "$PERF/out" "$PERF/work"
if [[ $(id -u) == 0 ]]; then chown postgres "$PERF/pgdata" "$PERF/sock" "$PERF/log"; fi
as_pg initdb -D "$PERF/pgdata" --auth=trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >/dev/null
cat >> "$PERF/pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$PERF/sock'
shared_buffers = 512MB
max_wal_size = 4GB
maintenance_work_mem = 256MB
CONF
as_pg pg_ctl -D "$PERF/pgdata" -l "$PERF/log/server.log" -w start >/dev/null

echo "== loading restaurant_ordering (scale $RESTAURANT_SCALE) and pgbench (scale $PGBENCH_SCALE)"
"$here/cellar" sample load --scale "$RESTAURANT_SCALE" -d restaurant_ordering | head -1
createdb pgbench && pgbench -i -q -s "$PGBENCH_SCALE" pgbench 2>&1 | tail -1
for db in restaurant_ordering pgbench; do
  psql -qAt -d "$db" -c "VACUUM ANALYZE" -c "SELECT '$db: ' || pg_size_pretty(pg_database_size('$db'))"
done

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }

echo "label,db,run,wall_s,max_rss_kb,out_bytes,exit" > "$RESULTS"
# timed LABEL DB RUN OUTPATH CMD...: one run under /usr/bin/time, appended to the results
timed() {
  local label=$1 db=$2 run=$3 out=$4; shift 4
  local tf rc=0 wall rss size=0
  tf=$(mktemp)
  drop_caches
  /usr/bin/time -v -o "$tf" "$@" >"$PERF/last.out" 2>"$PERF/last.err" || rc=$?
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$tf" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tf")
  [[ -n $out && -e $out ]] && size=$(du -sb "$out" | cut -f1)
  echo "$label,$db,$run,$wall,$rss,$size,$rc" >> "$RESULTS"
  printf '  %-16s %-20s run %s: %6.2f s  rss %6d KB  out %12d B  exit %s\n' "$label" "$db" "$run" "$wall" "$rss" "$size" "$rc"
  if [[ $rc != 0 ]]; then echo "    failed: $(tail -3 "$PERF/last.err")" >&2; fi
  rm -f "$tf"
}

for db in restaurant_ordering pgbench; do
  echo "== $db"
  for run in $(seq 1 "$RUNS"); do
    dump=$PERF/out/$db.dump
    rm -f "$dump"
    timed pg_dump_Z9 "$db" "$run" "$dump" pg_dump --format=custom --compress=9 -d "$db" -f "$dump"

    repo=$PERF/repo/$db-$run
    rm -rf "$repo"
    CELLAR_REPOSITORY_PATH=$repo "$here/cellar" init >/dev/null
    CELLAR_REPOSITORY_PATH=$repo timed cellar_backup "$db" "$run" "$repo" \
      "$here/cellar" backup logical -d "$db"

    dropdb --if-exists "${db}_pgr"
    # cellar restore creates its target database; pg_restore needs createdb for the same work
    timed createdb "$db" "$run" "" createdb -T template0 "${db}_pgr"
    timed pg_restore_j2 "$db" "$run" "" pg_restore -j 2 -d "${db}_pgr" "$dump"

    dropdb --if-exists "${db}_cellar"
    CELLAR_REPOSITORY_PATH=$repo timed cellar_restore "$db" "$run" "" \
      "$here/cellar" restore logical latest --target-db "${db}_cellar" --jobs 2
    if [[ -n ${BASELINE:-} ]]; then
      dropdb --if-exists "${db}_baseline"
      CELLAR_REPOSITORY_PATH=$repo CELLAR_NO_BUILD=1 timed baseline_restore "$db" "$run" "" \
        "$BASELINE/cellar" restore logical latest --target-db "${db}_baseline" --jobs 2
      dropdb --if-exists "${db}_baseline"
    fi
    rm -rf "$repo"
  done
  dropdb --if-exists "${db}_pgr"; dropdb --if-exists "${db}_cellar"
done

python3 - "$RESULTS" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def med(label, db, field):
    values = [float(r[field]) for r in rows if r["label"] == label and r["db"] == db and r["exit"] == "0"]
    return statistics.median(values) if values else float("nan")
def med_sum(labels, db, field):
    """Median over runs of the labels' sum within each run: createdb + pg_restore is one restore."""
    by_run = {}
    for r in rows:
        if r["label"] in labels and r["db"] == db and r["exit"] == "0":
            by_run.setdefault(r["run"], []).append(float(r[field]))
    sums = [sum(v) for v in by_run.values() if len(v) == len(labels)]
    return statistics.median(sums) if sums else float("nan")
print()
print(f"{'database':<20} {'measure':<34} {'seed/pg tool':>14} {'cellar':>12} {'ratio':>8}")
for db in ("restaurant_ordering", "pgbench"):
    d_t, c_t = med("pg_dump_Z9", db, "wall_s"), med("cellar_backup", db, "wall_s")
    d_s, c_s = med("pg_dump_Z9", db, "out_bytes"), med("cellar_backup", db, "out_bytes")
    r_t, cr_t = med_sum(("createdb", "pg_restore_j2"), db, "wall_s"), med("cellar_restore", db, "wall_s")
    r_alone = med("pg_restore_j2", db, "wall_s")
    rss_b, rss_r = med("cellar_backup", db, "max_rss_kb"), med("cellar_restore", db, "max_rss_kb")
    print(f"{db:<20} {'backup time s (pg_dump -Fc -Z9)':<34} {d_t:>14.2f} {c_t:>12.2f} {c_t/d_t:>8.2f}")
    print(f"{'':<20} {'backup size MB':<34} {d_s/1e6:>14.1f} {c_s/1e6:>12.1f} {c_s/d_s:>8.3f}")
    print(f"{'':<20} {'restore s (createdb+pg_restore -j2)':<34} {r_t:>14.2f} {cr_t:>12.2f} {cr_t/r_t:>8.2f}")
    print(f"{'':<20} {'  pg_restore -j 2 alone':<34} {r_alone:>14.2f} {'':>12} {cr_t/r_alone:>8.2f}")
    b_t = med("baseline_restore", db, "wall_s")
    if b_t == b_t:
        print(f"{'':<20} {'restore time s, BASELINE checkout':<34} {r_t:>14.2f} {b_t:>12.2f} {b_t/r_t:>8.2f}")
    print(f"{'':<20} {'cellar peak RSS MB backup/restore':<34} {'':>14} {rss_b/1024:>6.0f}/{rss_r/1024:<5.0f}")
print(f"\nmedians of runs per cell; raw figures in {sys.argv[1]}")
PY
