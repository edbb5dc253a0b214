#!/usr/bin/env python3
"""Read one object of a Cellar archive without Cellar (docs/archives.md).

Every archive object is sealed with AES-256-GCM: byte 0 is the format version (1), bytes 1-12 the
nonce, the rest the ciphertext followed by the 16-byte tag. The associated data is the object's
key in the repository (for example
archives/restaurant_ordering/monthly/2026-10/tables/public.orders.csv.gz), so the key must be given
exactly. Objects whose key ends in .gz hold gzip; this script unzips them, so a table object comes
out as PostgreSQL CSV with a header line, ready for COPY ... FROM ... (FORMAT csv, HEADER).

Needs Python 3 and the 'cryptography' package (Debian: python3-cryptography).

Examples:
  # a local-folder repository: the object is read from REPOSITORY/OBJECT_KEY
  read-archive.py --key-file archive-key.hex --repository /backups/repo \\
      archives/restaurant_ordering/monthly/2026-10/manifest.json
  # an object downloaded from S3 (aws s3 cp s3://bucket/prefix/archives/... payments.sealed)
  read-archive.py --key-file archive-key.hex --file payments.sealed \\
      archives/restaurant_ordering/monthly/2026-10/tables/public.payments.csv.gz -o payments.csv
"""
import argparse
import gzip
import os
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = 1
NONCE_BYTES = 12


def open_sealed(key, sealed, object_key):
    """The plaintext of one sealed object; raises ValueError when it does not authenticate."""
    if len(sealed) < 1 + NONCE_BYTES + 16 or sealed[0] != VERSION:
        raise ValueError("not a sealed Cellar object (truncated, or unknown version byte)")
    try:
        return AESGCM(key).decrypt(sealed[1:1 + NONCE_BYTES], sealed[1 + NONCE_BYTES:], object_key.encode("utf-8"))
    except InvalidTag:
        raise ValueError("does not authenticate: wrong key, wrong object key, or the bytes were changed")


def main():
    parser = argparse.ArgumentParser(description="Decrypt (and gunzip) one object of a Cellar archive.")
    key_source = parser.add_mutually_exclusive_group(required=True)
    key_source.add_argument("--key", help="the archive key in hex ('cellar archive key')")
    key_source.add_argument("--key-file", help="a file holding the archive key in hex")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--repository", help="a local-folder repository: the object is read from REPOSITORY/OBJECT_KEY")
    where.add_argument("--file", help="the object's bytes, downloaded from wherever the repository lives")
    parser.add_argument("object_key", help="the object's key in the repository, starting with archives/")
    parser.add_argument("-o", "--output", help="write here instead of standard output")
    args = parser.parse_args()

    key_hex = args.key if args.key is not None else open(args.key_file, encoding="ascii").read()
    key = bytes.fromhex(key_hex.strip())
    if len(key) != 32:
        sys.exit("error: the archive key is 32 bytes (64 hex digits), this is %d bytes" % len(key))
    path = args.file if args.file is not None else os.path.join(args.repository, *args.object_key.split("/"))
    with open(path, "rb") as sealed_file:
        sealed = sealed_file.read()
    try:
        plain = open_sealed(key, sealed, args.object_key)
    except ValueError as problem:
        sys.exit("error: %s %s" % (args.object_key, problem))
    if args.object_key.endswith(".gz"):
        plain = gzip.decompress(plain)
    if args.output:
        with open(args.output, "wb") as out:
            out.write(plain)
    else:
        sys.stdout.buffer.write(plain)


if __name__ == "__main__":
    main()
