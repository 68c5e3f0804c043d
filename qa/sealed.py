"""Cache entries that cannot run code: every pickle copydesk keeps between runs (the result cache
in `.copydesk_cache`, the parsed data in ~/.cache/copydesk/data) is sealed with an HMAC-SHA256
under a per-user key, and unpickled only when the seal checks.

A cache folder is easy to plant: it sits in a repository anyone can commit to, or in a shared
home. The key is not in it: it lives in the user's configuration folder
($XDG_CONFIG_HOME/copydesk/cache.key, else ~/.config/copydesk/cache.key; COPYDESK_KEY_FILE
overrides), 32 random bytes made on first use, readable by the user alone. An entry written by
anyone without the key, a truncated or bit-flipped entry and an entry of another format are all
the same thing: a miss, checked again and replaced. Without a usable key nothing is cached.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

MAGIC = b"copydesk-sealed-1\n"
_TAG = hashlib.sha256().digest_size
KEY_BYTES = 32


def key_path() -> Path:
    explicit = os.environ.get("COPYDESK_KEY_FILE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "copydesk" / "cache.key"


def _read_key(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if len(data) == KEY_BYTES else None


@lru_cache(maxsize=4)
def _key(path: Path) -> bytes | None:
    if path.exists():
        return _read_key(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it just now: use theirs
        return _read_key(path)
    except OSError:
        return None  # a read-only home: no key, so no cache
    key = secrets.token_bytes(KEY_BYTES)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def key(create: bool = True) -> bytes | None:
    """This user's key; made on first use unless `create` is false (reading a cache never
    writes: nothing could have been sealed without a key)."""
    path = key_path()
    if not create and not path.exists():
        return None
    return _key(path)


def seal(value: Any) -> bytes | None:
    """`value` pickled and sealed, or None when there is no key (or it will not pickle)."""
    k = key()
    if k is None:
        return None
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return None
    return MAGIC + hmac.new(k, payload, hashlib.sha256).digest() + payload


def unseal(data: bytes) -> Any | None:
    """The value sealed in `data`, or None for anything not sealed by this user's key."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _TAG:
        return None
    k = key(create=False)
    if k is None:
        return None
    tag = data[len(MAGIC) : len(MAGIC) + _TAG]
    payload = data[len(MAGIC) + _TAG :]
    if not hmac.compare_digest(tag, hmac.new(k, payload, hashlib.sha256).digest()):
        return None
    try:
        return pickle.loads(payload)  # noqa: S301 - authenticated: written by this user's copydesk
    except Exception:  # noqa: BLE001 - an entry of another build: a miss like any other
        return None
