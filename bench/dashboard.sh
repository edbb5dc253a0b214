#!/usr/bin/env bash
# The dashboard's speed and accessibility (docs/dashboard.md, "Measured"), against issue 12's goals:
#   (a) the status board for 100 databases and a year of history renders in under 300 ms: the
#       service's query, the server's whole answer (GET / on loopback) and the page load in
#       Chromium (navigation start to load event), each the median of RUNS;
#   (b) axe-core finds no serious or critical violation on any page (exit 1 if it does).
#
# Fills a catalog on a throwaway PostgreSQL cluster with 100 databases x 365 days (a daily logical
# backup, hourly physical incrementals 07:00-23:00, weekly restore tests, daily verifies: about
# 680,000 backup_log rows), serves the dashboard on loopback (with the tests' cookie login: the
# page reads the catalog exactly as under the real login), and drives Debian's chromium.
# axe-core is not on Maven Central: it is installed with npm into a temporary folder.
#
# Usage (as root or as a user that can run initdb):  bench/dashboard.sh
# Settings by environment: RUNS (20), CHROMIUM (default: chromium on the PATH), KEEP=1 keeps the
# npm folder. Needs network access for npm and Maven the first time. Takes 2-4 minutes.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
RUNS=${RUNS:-20}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[[ -n $CHROMIUM ]] || { echo "no chromium on the PATH: apt-get install chromium" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is needed to fetch axe-core: apt-get install npm" >&2; exit 1; }

axe_dir=$(mktemp -d /tmp/cellar-bench-axe.XXXXXX)
[[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$axe_dir"' EXIT
echo "installing axe-core into $axe_dir"
npm install --silent --no-audit --no-fund --prefix "$axe_dir" axe-core >/dev/null
axe_js="$axe_dir/node_modules/axe-core/axe.min.js"
echo "axe-core $(node -p "require('$axe_dir/node_modules/axe-core/package.json').version")"

cd "$here"
. .ci/find-java.sh >/dev/null
mvn -B -q -ntp test-compile
mvn -B -q -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$axe_dir/classpath.txt" >/dev/null
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
java -cp "target/test-classes:target/classes:$(cat "$axe_dir/classpath.txt")" dev.cellar.web.ui.DashboardBench "$axe_js" "$CHROMIUM" "$RUNS"
