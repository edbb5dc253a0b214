#!/usr/bin/env bash
# Measures Cellar's WAL archiving on this machine (docs/wal-archiving.md, "Measured"):
#   1. 50 `wal push` answered by the launcher's fast path (agent marker present)
#   2. N `wal push` on the Java path with no agent (JVM + key derivation each)
#   3. 50 `wal push` of new segments handed to a running agent over its socket
#   4. backlog drain: ~1 GB of WAL made while archiving is off, then the archive_command restored
#   5. lag under pgbench: most .ready files seen at once while the agent runs
# Run as root on a machine with PostgreSQL 15; PostgreSQL and Cellar run as `postgres`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cellar="$here/cellar"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=${WORK:-/tmp/cellar-wal-bench}
java_runs=${JAVA_RUNS:-20}
port=${PORT:-5499}
as_pg() { runuser -u postgres -- "$@"; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }

rm -rf "$work"; mkdir -p "$work"; chown postgres: "$work"; chmod 700 "$work"
as_pg bash -c "echo bench-passphrase-$$ > '$work/pass'; chmod 600 '$work/pass'"
as_pg bash -c "printf 'repository:\n  path: %s/repo\n  passphrase-file: %s/pass\nwal:\n  agent-idle-minutes: 10\n' '$work' '$work' > '$work/cellar.yaml'"
cfg="$work/cellar.yaml"
as_pg "$cellar" init --config "$cfg" >/dev/null

as_pg "$bin/initdb" -D "$work/pg" --auth=trust -U postgres --no-sync >/dev/null
cat >> "$work/pg/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
archive_mode = on
archive_command = ''
max_wal_size = 4GB
CONF
as_pg "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start >/dev/null
trap 'as_pg "$bin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true; [[ -f "$work/spool/agent.lock" ]] && kill "$(cat "$work/spool/agent.lock")" 2>/dev/null || true' EXIT
psql() { "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -Atq -c "$1" postgres; }

# sample segments: real WAL from a small load
psql "create table seed as select g, md5(g::text) from generate_series(1, 600000) g"
psql "select pg_switch_wal()" >/dev/null; sleep 1
mkdir -p "$work/samples"; chown postgres: "$work/samples"
sample=$(ls "$work/pg/pg_wal" | grep -E '^[0-9A-F]{24}$' | sort | head -2 | tail -1)

report() { printf '%-58s %s\n' "$1" "$2"; }
stats() { sort -n | awk '{a[NR]=$1; s+=$1} END {printf "median %d ms, p90 %d ms, mean %.0f ms (n=%d)\n", a[int((NR+1)/2)], a[int(NR*0.9)], s/NR, NR}'; }

# 2. Java path, no agent
for i in $(seq 1 "$java_runs"); do
  name=$(printf '0000000900000000000000%02X' "$i"); as_pg cp "$work/pg/pg_wal/$sample" "$work/samples/$name"
  t0=$(ms); as_pg "$cellar" wal push --config "$cfg" --spool "$work/spool-none" --no-agent "$work/samples/$name" >/dev/null; echo $(( $(ms) - t0 ))
done | stats | { read -r line; report "wal push, Java path, no agent (16 MB real WAL)" "$line"; }

# 3. agent over the socket
as_pg setsid "$cellar" wal agent --config "$cfg" --spool "$work/spool" --pg-data "$work/pg" >>"$work/agent.out" 2>&1 &
for _ in $(seq 100); do [[ -S "$work/spool/agent.sock" ]] && break; sleep 0.2; done
for i in $(seq 1 50); do
  name=$(printf '0000000A00000000000000%02X' "$i"); as_pg cp "$work/pg/pg_wal/$sample" "$work/samples/$name"
  t0=$(ms); as_pg "$cellar" wal push --config "$cfg" --spool "$work/spool" "$work/samples/$name" >/dev/null; echo $(( $(ms) - t0 ))
done | stats | { read -r line; report "wal push, Java path, agent over the socket" "$line"; }

# 1. launcher fast path (marker present)
for i in $(seq 1 50); do
  name=$(printf '0000000B00000000000000%02X' "$i"); as_pg touch "$work/spool/pushed/$name"
  t0=$(ms); "$cellar" wal push --config "$cfg" --spool "$work/spool" "$work/samples/$name"; echo $(( $(ms) - t0 ))
done | stats | { read -r line; report "wal push, launcher fast path (marker present)" "$line"; }

# 4. backlog drain: stop the agent, make ~1 GB of WAL with archiving off, then turn archiving on
kill "$(cat "$work/spool/agent.lock")"; sleep 2
psql "create table t as select g, md5(g::text) from generate_series(1, 7000000) g"
psql "select pg_switch_wal()" >/dev/null
backlog=$(ls "$work/pg/pg_wal/archive_status" | grep -c '\.ready$' || true)
target=$(psql "select pg_walfile_name(pg_current_wal_lsn() - 1)")
t0=$(ms)
psql "alter system set archive_command = '$cellar wal push --config $cfg --spool $work/spool %p'"
psql "select pg_reload_conf()" >/dev/null
until [[ "$(psql "select coalesce(last_archived_wal, '') >= '$target' from pg_stat_archiver")" == t ]]; do sleep 0.1; done
elapsed=$(( $(ms) - t0 ))
report "backlog drain: $backlog segments (agent started by the first push)" "$(awk -v n="$backlog" -v ms="$elapsed" 'BEGIN {printf "%.1f s, %.1f segments/s", ms/1000, n*1000/ms}')"
report "pg_stat_archiver failed_count" "$(psql "select failed_count from pg_stat_archiver")"

# 5. lag under pgbench with the agent running
"$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -i -s 20 -q postgres >/dev/null 2>&1
"$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -c 4 -j 2 -T 60 postgres >"$work/pgbench.out" 2>&1 &
bench=$!
max=0
while kill -0 "$bench" 2>/dev/null; do
  n=$(ls "$work/pg/pg_wal/archive_status" | grep -c '\.ready$' || true); (( n > max )) && max=$n; sleep 0.1
done
report "pgbench -c4 -T60 (after -i -s 20): most .ready at once" "$max (tps $(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/pgbench.out" | head -1))"
report "pg_stat_archiver failed_count" "$(psql "select failed_count from pg_stat_archiver")"
