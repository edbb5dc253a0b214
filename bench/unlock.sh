#!/usr/bin/env bash
# What each way of unlocking costs a command: 'cellar key list' (JVM start, open, list) five times
# unlocked by the passphrase (Argon2id), a random key file (HKDF) and a SoftHSM2 token (PKCS#11).
# KMS is left out: only a test stand-in runs here. Usage: bench/unlock.sh [path/to/cellar.jar]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/.ci/find-java.sh"
jar=${1:-$here/target/cellar.jar}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
export SOFTHSM2_CONF=$w/softhsm2.conf CELLAR_NO_PROGRESS=1
mkdir -p "$w/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$w" > "$SOFTHSM2_CONF"
printf '1234-bench\n' > "$w/pin"; printf 'bench passphrase\n' > "$w/pass"; chmod 600 "$w/pin" "$w/pass"
softhsm2-util --init-token --free --label bench --pin 1234-bench --so-pin 99-bench >/dev/null
cellar() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" "$@"; }
printf 'repository:\n  path: %s/repo\n  passphrase-file: %s/pass\n  pkcs11:\n    pin-file: %s/pin\n' "$w" "$w" "$w" > "$w/passphrase.yaml"
printf 'repository:\n  path: %s/repo\n  key-file: %s/key\n' "$w" "$w" > "$w/key-file.yaml"
printf 'repository:\n  path: %s/repo\n  pkcs11:\n    key-label: bench\n    pin-file: %s/pin\n' "$w" "$w" > "$w/pkcs11.yaml"
cellar init --config "$w/passphrase.yaml" >/dev/null
cellar key add --new-key-file "$w/key" --config "$w/passphrase.yaml" >/dev/null
cellar key add --pkcs11 --label bench --config "$w/passphrase.yaml" >/dev/null
for method in passphrase key-file pkcs11; do
  printf '%-10s' "$method"
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N); cellar key list --config "$w/$method.yaml" >/dev/null; end=$(date +%s%N)
    printf ' %5d ms' $(( (end - start) / 1000000 ))
  done
  echo
done
