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
