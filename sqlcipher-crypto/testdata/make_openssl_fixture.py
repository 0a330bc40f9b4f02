#!/usr/bin/env python3
"""Writes sqlcipher4-openssl.db: a database written by SQLCipher 4 with its OpenSSL provider.

The store's tests open it with the core's own crypto provider, which proves the provider
reads SQLCipher 4's format byte for byte (the same AES-256-CBC pages, HMAC-SHA512 and
PBKDF2-HMAC-SHA512 key derivations). Reproduce with `pip install sqlcipher3-binary`, then
run this script in this folder. The raw key matches `OPENSSL_FIXTURE_KEY` in src/provider.rs.
"""

import os

import sqlcipher3

KEY = "2b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfe"
PATH = "sqlcipher4-openssl.db"

if os.path.exists(PATH):
    os.remove(PATH)
conn = sqlcipher3.connect(PATH)
conn.execute(f"PRAGMA key = \"x'{KEY}'\"")
conn.execute("CREATE TABLE fixture (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
conn.executemany(
    "INSERT INTO fixture (text) VALUES (?)",
    [("æøå written by SQLCipher with OpenSSL",)] + [(f"row {i}",) for i in range(200)],
)
conn.commit()
provider = conn.execute("PRAGMA cipher_provider").fetchone()
version = conn.execute("PRAGMA cipher_version").fetchone()
conn.close()
print(f"wrote {PATH} with {version[0]}, provider {provider[0] if provider else 'openssl'}")
