#!/usr/bin/env bash
# Physical backup, restore and WAL archiving: Cellar against pgBackRest (zst level 3,
# process-max 2, as in ../shared/bench/BASELINE.md) on the same cluster, in one run.
#
#   full backup     pgbackrest --type=full backup            vs  cellar backup physical (fresh repository each run)
#   incremental     after 2% of pgbench_accounts changed:    --type=incr  vs  cellar backup physical --type incr
#   restore         pgbackrest restore --type=immediate       vs  cellar restore pitr --target-immediate (files + settings)
#   WAL under load  pgbench -c4 -j2 for WAL_SECONDS: archiver lag (segments, 1 s samples) and per-segment
#                   archive_command latency, for pgbackrest sync, pgbackrest async and cellar
#   WAL backlog     ~1 GB of WAL held back, then released: segments per second drained
# Each timed step runs RUNS times with the page cache dropped before it (when permitted);
# medians and ratios are printed at the end, raw numbers are in $PERF/results.csv.
#
# Usage (as root, or a user that can run initdb and pgbackrest): bench/physical.sh
# Needs pgbackrest (apt-get install pgbackrest) and PostgreSQL server binaries.
# Settings by environment: PERF (work folder, default a new temp folder), RUNS (3), SCALE (100),
# PORT (5496), WAL_SECONDS (60), KEEP=1 keeps the cluster and repositories,
# STEPS (all; or a comma list of full,incr,restore,wal,drain: e.g. STEPS=restore times only the
# restores, from one untimed full backup of each tool), BASELINE (another Cellar checkout with its jar
# built, e.g. of main: its restore of the same backup is timed too, in the same run, for before/after).
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

RUNS=${RUNS:-3}
SCALE=${SCALE:-100}
PORT=${PORT:-5496}
WAL_SECONDS=${WAL_SECONDS:-60}
STEPS=${STEPS:-all}
step() { [[ $STEPS == all || ,$STEPS, == *,$1,* ]]; }
PERF=${PERF:-$(mktemp -d /tmp/cellar-bench-physical.XXXXXX)}
RESULTS=$PERF/results.csv
command -v pgbackrest >/dev/null || { echo "pgbackrest is not installed: apt-get install pgbackrest" >&2; exit 1; }

. "$here/bench/lib.sh"
export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres CELLAR_NO_PROGRESS=1

DATA=$PERF/pgdata RDATA=$PERF/restored SPOOL=$PERF/spool CFG=$PERF/cellar.yaml
PGBR_CONF=$PERF/pgbackrest.conf
PGBR="pgbackrest --config=$PGBR_CONF --stanza=bench"
CELLAR="$here/cellar"

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
now() { date +%s.%N; }
record() { echo "$1,$2,$3,$4" >> "$RESULTS"; printf '  %-34s run %s: %8.2f s  %s\n' "$1" "$2" "$3" "${4:+$4 bytes}"; }
median() { { grep "^$1," "$RESULTS" || true; } | cut -d, -f3 | sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
median_size() { { grep "^$1," "$RESULTS" || true; } | cut -d, -f4 | sort -g | awk '{a[NR]=$1} END {if (NR==0) print 0; else print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
psql_() { psql -X -qAt "$@"; }

cleanup() {
  as_pg pg_ctl -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
  as_pg pg_ctl -D "$RDATA" -m immediate stop >/dev/null 2>&1 || true
  pkill -f -- "wal agent.*$SPOOL" 2>/dev/null || true
  [[ ${KEEP:-0} == 1 ]] || rm -rf "$DATA" "$RDATA" "$PERF/repo" "$PERF/pgbr" "$SPOOL" "$PERF/pgbr-spool"
}
trap cleanup EXIT

echo "== cluster, pgBackRest stanza and Cellar repository in $PERF (port $PORT, pgbench scale $SCALE)"
"$here/cellar" --version >/dev/null    # builds the jar once, as the caller
mkdir -p "$PERF"/{sock,log,pgbr,pgbr-spool,lock,bin} "$SPOOL"
chmod 711 "$PERF"
echo "label,run,seconds,bytes" > "$RESULTS"
as_pg true
[[ $(id -u) == 0 ]] && chown -R "$owner" "$PERF"/{sock,log,pgbr,pgbr-spool,lock,bin} "$SPOOL"
install -d -o "$owner" -m 700 "$DATA"
as_pg initdb -D "$DATA" --auth=trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >/dev/null
cat > "$PGBR_CONF" <<CONF
[global]
repo1-path=$PERF/pgbr
repo1-retention-full=99
log-path=$PERF/log
lock-path=$PERF/lock
spool-path=$PERF/pgbr-spool
log-level-console=warn
compress-type=zst
compress-level=3
process-max=2
start-fast=y

[bench]
pg1-path=$DATA
pg1-port=$PORT
pg1-socket-path=$PERF/sock
CONF
echo -n "bench-passphrase" > "$PERF/passphrase"; chmod 600 "$PERF/passphrase"
cat > "$CFG" <<CONF
repository:
  path: $PERF/repo
  passphrase-file: $PERF/passphrase
database:
  host: 127.0.0.1
  port: $PORT
  user: postgres
  name: postgres
wal:
  spool-path: $SPOOL
CONF
[[ $(id -u) == 0 ]] && chown "$owner" "$PGBR_CONF" "$PERF/passphrase" "$CFG"

# One archive_command for all modes (its name must contain "pgbackrest": pgBackRest checks): a wrapper that times each call (µs) and dispatches on $PERF/bin/mode;
# it blocks while $PERF/bin/hold exists, which builds a backlog for the drain test.
cat > "$PERF/bin/archive-via-pgbackrest-or-cellar.sh" <<WRAP
#!/bin/bash
p=\$1; f=\$2
while [[ -f $PERF/bin/hold ]]; do sleep 0.1; done
mode=\$(cat $PERF/bin/mode 2>/dev/null || echo cellar)
s=\$(date +%s%N)
case \$mode in
  cellar) CELLAR_NO_BUILD=1 $CELLAR wal push --config $CFG --spool $SPOOL "\$p" ;;
  *)      pgbackrest --config=$PGBR_CONF --stanza=bench archive-push "\$p" ;;
esac
rc=\$?
e=\$(date +%s%N)
echo "\$mode \$f \$(( (e-s)/1000 )) \$rc" >> $PERF/log/archive_times.log
exit \$rc
WRAP
chmod 755 "$PERF/bin/archive-via-pgbackrest-or-cellar.sh"
# pgBackRest's backups check that their WAL reached its own archive; Cellar's backups store their
# WAL range themselves. So archiving goes to pgBackRest until the WAL tests switch modes.
echo pgbackrest > "$PERF/bin/mode"
[[ $(id -u) == 0 ]] && chown -R "$owner" "$PERF/bin"
cat >> "$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$PERF/sock'
shared_buffers = 512MB
max_wal_size = 4GB
wal_level = replica
max_wal_senders = 4
archive_mode = on
archive_command = '$PERF/bin/archive-via-pgbackrest-or-cellar.sh %p %f'
CONF
as_pg pg_ctl -D "$DATA" -l "$PERF/log/postgres.log" -w start >/dev/null
as_pg $PGBR stanza-create >/dev/null
psql_ -c "create database bench"
t0=$(now); pgbench -i -q -s "$SCALE" bench >/dev/null 2>&1; echo "  pgbench -i -s $SCALE: $(awk -v a=$t0 -v b=$(now) 'BEGIN{printf "%.1f", b-a}') s"
psql_ -c checkpoint

wait_archived() {  # until the segment finished now is archived
  local cur; cur=$(psql_ -c "select pg_walfile_name(pg_switch_wal() - 1)")
  until [[ "$(psql_ -c "select coalesce(last_archived_wal,'') from pg_stat_archiver")" > "$cur" || \
           "$(psql_ -c "select coalesce(last_archived_wal,'') from pg_stat_archiver")" == "$cur" ]]; do sleep 0.2; done
}
fresh_cellar_repo() {  # a WAL agent holds the old repository's key: stop it first
  pkill -f -- "wal agent.*$SPOOL" 2>/dev/null || true
  rm -rf "$PERF/repo"; install -d -o "$owner" -m 700 "$PERF/repo"; as_pg "$CELLAR" init --config "$CFG" >/dev/null
}
cellar_json_field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d.get('$1', 0))"; }

echo "== full backups"
fresh_cellar_repo
if ! step full; then  # the restores still need one backup of each
  as_pg $PGBR --type=full backup
  as_pg "$CELLAR" backup physical --config "$CFG" --json > "$PERF/cellar-full.json"
fi
for i in $(seq 1 "$RUNS"); do
  step full || break
  before=$(du -sb "$PERF/pgbr/backup" | cut -f1)
  drop_caches; t0=$(now); as_pg $PGBR --type=full backup; t1=$(now)
  record pgbackrest_full "$i" "$(awk -v a=$t0 -v b=$t1 'BEGIN{print b-a}')" $(( $(du -sb "$PERF/pgbr/backup" | cut -f1) - before ))
  fresh_cellar_repo
  drop_caches; t0=$(now); as_pg "$CELLAR" backup physical --config "$CFG" --json > "$PERF/cellar-full.json"; t1=$(now)
  record cellar_full "$i" "$(awk -v a=$t0 -v b=$t1 'BEGIN{print b-a}')" "$(du -sb "$PERF/repo/chunks" | cut -f1)"
done

echo "== incremental after 2% of pgbench_accounts changed (a contiguous 2% of the rows, as recent orders change)"
for i in $(seq 1 "$RUNS"); do
  step incr || break
  rows=$(( SCALE * 100000 / 50 ))
  psql_ -d bench -c "update pgbench_accounts set abalance = abalance + 1 where aid > $(( (i - 1) * rows )) and aid <= $(( i * rows ))"
  psql_ -c checkpoint; wait_archived
  before=$(du -sb "$PERF/pgbr/backup" | cut -f1)
  drop_caches; t0=$(now); as_pg $PGBR --type=incr backup; t1=$(now)
  record pgbackrest_incr "$i" "$(awk -v a=$t0 -v b=$t1 'BEGIN{print b-a}')" $(( $(du -sb "$PERF/pgbr/backup" | cut -f1) - before ))
  before=$(du -sb "$PERF/repo/chunks" | cut -f1)
  drop_caches; t0=$(now); as_pg "$CELLAR" backup physical --type incr --config "$CFG" >/dev/null; t1=$(now)
  record cellar_incr "$i" "$(awk -v a=$t0 -v b=$t1 'BEGIN{print b-a}')" $(( $(du -sb "$PERF/repo/chunks" | cut -f1) - before ))
done

echo "== restores (files and recovery settings; no start)"
pgbr_set=$(as_pg $PGBR info --output=json | python3 -c 'import json,sys; print([b["label"] for b in json.load(sys.stdin)[0]["backup"] if b["type"]=="full"][-1])')
cellar_id=$(cellar_json_field id < "$PERF/cellar-full.json")
for i in $(seq 1 "$RUNS"); do
  step restore || break
  rm -rf "$RDATA"; install -d -o "$owner" -m 700 "$RDATA"
  drop_caches; t0=$(now)
  as_pg $PGBR restore --set="$pgbr_set" --pg1-path="$RDATA" --type=immediate --target-action=promote --archive-mode=off >/dev/null
  t1=$(now); record pgbackrest_restore "$i" "$(awk -v a=$t0 -v b=$t1 'BEGIN{print b-a}')" ""
  rm -rf "$RDATA"; install -d -o "$owner" -m 700 "$RDATA"
  drop_caches; t0=$(now)
  as_pg "$CELLAR" restore pitr --config "$CFG" -D "$RDATA" --backup "$cellar_id" --target-immediate --archive-mode off >/dev/null
  t1=$(now); record cellar_restore "$i" "$(awk -v a=$t0 -v b=$t1 'BEGIN{print b-a}')" ""
  if [[ -n ${BASELINE:-} ]]; then
    rm -rf "$RDATA"; install -d -o "$owner" -m 700 "$RDATA"
    drop_caches; t0=$(now)
    as_pg env CELLAR_NO_BUILD=1 "$BASELINE/cellar" restore pitr --config "$CFG" -D "$RDATA" --backup "$cellar_id" --target-immediate --archive-mode off >/dev/null
    t1=$(now); record baseline_restore "$i" "$(awk -v a=$t0 -v b=$t1 'BEGIN{print b-a}')" ""
  fi
done
rm -rf "$RDATA"

wal_mode() {  # cellar | pgbackrest_sync | pgbackrest_async
  case $1 in
    cellar) echo cellar > "$PERF/bin/mode" ;;
    pgbackrest_sync) echo pgbackrest > "$PERF/bin/mode"; sed -i '/^archive-async/d' "$PGBR_CONF" ;;
    pgbackrest_async) echo pgbackrest > "$PERF/bin/mode"; sed -i '/^archive-async/d' "$PGBR_CONF"
                      sed -i 's/^\[global\]$/[global]\narchive-async=y/' "$PGBR_CONF" ;;
  esac
}
segno() { python3 -c "import sys; f=sys.argv[1]; print(int(f[8:16],16)*256+int(f[16:24],16))" "$1"; }

echo "== WAL archiving under pgbench -c4 -j2 for $WAL_SECONDS s"
for mode in pgbackrest_sync pgbackrest_async cellar; do
  step wal || break
  if [[ $mode == cellar ]]; then
    # steady state, as under systemd (docs/wal-archiving.md): the agent runs before the load starts
    (cd "$DATA" && as_pg "$CELLAR" wal agent --pg-data "$DATA" --spool "$SPOOL" --config "$CFG" >/dev/null 2>&1 &)
    until [[ -S "$SPOOL/agent.sock" ]]; do sleep 0.2; done
  fi
  wal_mode $mode
  # each mode starts right after a checkpoint: pgbench's first writes to a page after one are full-page
  # images, so a mode that ran later would otherwise archive several times less WAL for the same tps
  psql_ -c "CHECKPOINT"
  wait_archived; wait_archived
  : > "$PERF/log/archive_times.log"
  maxlag=0
  pgbench -c 4 -j 2 -T "$WAL_SECONDS" bench > "$PERF/log/pgbench-$mode.txt" 2>&1 & bench_pid=$!
  while kill -0 $bench_pid 2>/dev/null; do
    read -r cur last < <(psql_ -F' ' -c "select pg_walfile_name(pg_current_wal_lsn()), coalesce(last_archived_wal, '') from pg_stat_archiver")
    if [[ ${#last} -ge 24 ]]; then lag=$(( $(segno "$cur") - $(segno "${last:0:24}") )); (( lag > maxlag )) && maxlag=$lag; fi
    sleep 1
  done
  wait $bench_pid || true
  wait_archived
  tps=$(grep -oP 'tps = \K[0-9.]+' "$PERF/log/pgbench-$mode.txt" | head -1)
  lat=$(awk -v m="${mode%%_*}" '$1 == m && $4 == 0 {print $3/1000}' "$PERF/log/archive_times.log" | sort -g | awk '{a[NR]=$1} END {if (NR) printf "%.1f %.1f %d", a[int((NR+1)/2)], a[int(NR*0.9+0.5)], NR; else print "nan nan 0"}')
  read -r p50 p90 calls <<< "$lat"
  echo "$mode,load,$p50,$p90,$calls,$maxlag,$tps" >> "$PERF/wal.csv"
  printf '  %-18s tps %-8s archive_command median %6s ms, p90 %6s ms (%s calls), max lag %s segments\n' "$mode" "$tps" "$p50" "$p90" "$calls" "$maxlag"
done

echo "== WAL backlog drain (~1 GB held back, then released)"
for mode in pgbackrest_async cellar; do
  step drain || break
  wal_mode $mode; psql_ -d bench -c "drop table if exists walburst"; psql_ -c checkpoint; wait_archived
  touch "$PERF/bin/hold"; psql_ -c "select pg_switch_wal()" >/dev/null; sleep 1
  psql_ -d bench -c "create table walburst as select g, md5(g::text) a, md5((g+1)::text) b from generate_series(1,7000000) g"
  psql_ -c "select pg_switch_wal()" >/dev/null
  backlog=$(ls "$DATA"/pg_wal/archive_status/*.ready | wc -l)
  psql_ -c checkpoint; drop_caches
  t0=$(now); rm -f "$PERF/bin/hold"; wait_archived; t1=$(now)
  rate=$(awk -v n="$backlog" -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", n/(b-a)}')
  echo "$mode,drain,$backlog,$rate" >> "$PERF/wal.csv"
  printf '  %-18s %s segments in %.1f s: %s segments/s\n' "$mode" "$backlog" "$(awk -v a=$t0 -v b=$t1 'BEGIN{print b-a}')" "$rate"
  psql_ -d bench -c "drop table if exists walburst"
done

echo
echo "== medians of $RUNS runs (pgbench scale $SCALE; pgBackRest zst:3 process-max 2)"
fb=$(median pgbackrest_full); fc=$(median cellar_full); ib=$(median pgbackrest_incr); ic=$(median cellar_incr)
rb=$(median pgbackrest_restore); rc=$(median cellar_restore)
sb=$(median_size pgbackrest_full); sc=$(median_size cellar_full); isb=$(median_size pgbackrest_incr); isc=$(median_size cellar_incr)
printf '%-28s %12s %12s %8s %s\n' measure pgBackRest Cellar ratio goal
printf '%-28s %11.2fs %11.2fs %8s %s\n' "full backup time" "$fb" "$fc" "$(ratio "$fc" "$fb")" "<= 0.5"
printf '%-28s %10.1fMB %10.1fMB %8s %s\n' "full backup stored" "$(ratio "$sb" 1000000)" "$(ratio "$sc" 1000000)" "$(ratio "$sc" "$sb")" "<= 1.0"
printf '%-28s %11.2fs %11.2fs %8s\n' "incremental time" "$ib" "$ic" "$(ratio "$ic" "$ib")"
printf '%-28s %10.1fMB %10.1fMB %8s %s\n' "incremental stored" "$(ratio "$isb" 1000000)" "$(ratio "$isc" 1000000)" "$(ratio "$isc" "$isb")" "only what changed"
printf '%-28s %11.2fs %11.2fs %8s %s\n' "restore time" "$rb" "$rc" "$(ratio "$rc" "$rb")" "<= 0.8"
if [[ -n ${BASELINE:-} ]]; then bl=$(median baseline_restore)
  printf '%-28s %11.2fs %11.2fs %8s %s\n' "restore time, BASELINE" "$rb" "$bl" "$(ratio "$bl" "$rb")" "(before)"; fi
touch "$PERF/wal.csv"
sync_p50=$(awk -F, '$1=="pgbackrest_sync" && $2=="load" {print $3}' "$PERF/wal.csv")
cellar_p50=$(awk -F, '$1=="cellar" && $2=="load" {print $3}' "$PERF/wal.csv")
printf '%-28s %10sms %10sms %8s %s\n' "push latency (median)" "$sync_p50" "$cellar_p50" "$(ratio "$cellar_p50" "$sync_p50")" "<= 0.5 of sync"
async_rate=$(awk -F, '$1=="pgbackrest_async" && $2=="drain" {print $4}' "$PERF/wal.csv")
cellar_rate=$(awk -F, '$1=="cellar" && $2=="drain" {print $4}' "$PERF/wal.csv")
printf '%-28s %9sseg/s %9sseg/s %8s %s\n' "backlog drain" "$async_rate" "$cellar_rate" "$(ratio "$cellar_rate" "$async_rate")" ">= 2.0 of async"
awk -F, '$2=="load" {printf "%-28s %s segments (%s)\n", "max archiver lag", $6, $1}' "$PERF/wal.csv"
echo "raw: $RESULTS, $PERF/wal.csv"
