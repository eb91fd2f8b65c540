"""The demo's and the tests' SECRET_KEY when none is given: drawn once, kept in instance/secret_key.

Every process of one installation must sign with the same key (CSRF tokens, anonymous session cookies):
gunicorn workers that each drew their own refused each other's forms (« Votre session a expiré »).
The first process creates the file under an exclusive lock; the others wait and read it. Never used in
production, where SECRET_KEY is required.
"""

from __future__ import annotations

import fcntl
import os
import secrets
from pathlib import Path

FILE_NAME = "secret_key"


def shared_secret(instance_path: str | os.PathLike) -> str:
    """The key in instance_path/secret_key, created (0600) by whichever process comes first."""
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    with open(folder / f"{FILE_NAME}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        try:
            key = path.read_text().strip()
        except FileNotFoundError:
            key = ""
        if len(key) < 32:
            key = secrets.token_hex(32)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w") as out:
                out.write(key)
        return key
