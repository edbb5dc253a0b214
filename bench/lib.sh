# Sourced by the bench scripts: PostgreSQL's server programs on the PATH (the newest major under
# /usr/lib/postgresql that has them), and how to run a command as the cluster's owner: postgres
# when the script runs as root, else the caller. Sets bindir and owner; defines as_pg.
bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  [[ -x $d/initdb && -x $d/pg_ctl && -x $d/pg_dump ]] && { bindir=$d; break; }
done
[[ -n $bindir ]] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin" >&2; exit 1; }
export PATH="$bindir:$PATH"
if [[ $(id -u) == 0 ]]; then as_pg() { runuser -u postgres -- "$@"; }; owner=postgres; else as_pg() { "$@"; }; owner=$(id -un); fi
# The launcher assembles a command's start-up cache (JDK 25's AOT cache) in a detached process after
# the command's first run after a build (docs/operations.md, "Start-up caches"): a timed run must
# not share the two cores with it. Waits (at most a minute) until none is running.
await_start_up_caches() {
  local i
  for (( i = 0; i < 600; i++ )); do
    pgrep -f cellar-start-up-cache >/dev/null || return 0
    sleep 0.1
  done
}
