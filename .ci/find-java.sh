# Sourced by ./cellar and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: an existing JAVA_HOME that is new enough, the default java, then the newest JDK
# found under the usual install roots.

# Bash alone where it can: ./cellar sources this at every start, and each program it would run
# (dirname, sed) costs a few ms; with four JDKs installed that was ~25 ms of every command.
java_major() {
  # prints the feature version of the java binary given, e.g. 17 or 25; reads the JDK's release
  # file when there is one, since starting a JVM only to ask costs a noticeable fraction of a second
  local home=${1%/bin/java} line
  if [[ -r "$home/release" ]]; then
    while IFS= read -r line || [[ -n "$line" ]]; do
      if [[ "$line" =~ ^JAVA_VERSION=\"([0-9]+) ]]; then echo "${BASH_REMATCH[1]}"; return; fi
    done < "$home/release"
  fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

find_java_home() {
  local candidate major best="" best_major=0 javac
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && -x "$JAVA_HOME/bin/javac" ]]; then
    major=$(java_major "$JAVA_HOME/bin/java")
    if [[ "${major:-0}" -ge 21 ]]; then echo "$JAVA_HOME"; return 0; fi
  fi
  if javac=$(command -v javac 2>/dev/null); then
    javac=$(readlink -f "$javac")
    candidate=${javac%/bin/javac}
    major=$(java_major "$candidate/bin/java")
    if [[ "${major:-0}" -ge 21 ]]; then echo "$candidate"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* "$HOME"/.sdkman/candidates/java/*; do
    [[ -x "$candidate/bin/java" && -x "$candidate/bin/javac" ]] || continue
    major=$(java_major "$candidate/bin/java")
    if [[ "${major:-0}" -ge 21 && "${major:-0}" -gt "$best_major" ]]; then
      best="$candidate"; best_major="$major"
    fi
  done
  [[ -n "$best" ]] && { echo "$best"; return 0; }
  return 1
}

if ! CELLAR_JAVA_HOME=$(find_java_home); then
  echo "cellar: no JDK 21 or newer found (checked JAVA_HOME, the default java and /usr/lib/jvm)." >&2
  echo "HINT: install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME="$CELLAR_JAVA_HOME"
export PATH="$JAVA_HOME/bin:$PATH"
