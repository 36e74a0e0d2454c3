"""A persistent cache of parsed intents (SQLite in the user cache directory).

The key holds the model's checksum, the prompt version (a hash of prompts/ and the intent schema),
the vendor and the intent text, so a result made by another model or prompt can never come back.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import threading
import time
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError
from .paths import cache_dir, data_path


@lru_cache(maxsize=None)
def prompt_version() -> str:
    """A hash of everything that shapes the model's answer besides the model itself."""
    from .parse import PROMPT_VERSION

    h = hashlib.sha256(PROMPT_VERSION.encode())
    files = sorted(data_path("prompts").glob("*")) + [data_path("vendor_schemas") / "intent.yaml"]
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def default_path() -> Path:
    return cache_dir(fallback=False) / "parse-cache.sqlite3"


def _warn(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")


def _corrupt(e: sqlite3.Error) -> bool:
    """Whether an SQLite error means a damaged file (not a busy or locked one)."""
    code = getattr(e, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    return not isinstance(e, sqlite3.OperationalError) or "malformed" in str(e) or "not a database" in str(e)


class ParseCache:
    """(model, prompt version, vendor, intent) -> typed changes; safe to share between threads.

    The file is 0600 in a 0700 folder. A damaged file is moved aside (`.corrupt-<time>`) with a
    warning and a fresh cache started; any other SQLite failure (locked, disk full) is a warning and
    a miss: the cache only ever saves model calls, it never fails a run.
    """

    def __init__(self, path: Path | None = None, timeout: float = 5.0):
        self.path = Path(path or default_path())
        self.timeout = timeout  # seconds to wait for another process's lock before going on without the cache
        self._lock = threading.Lock()
        try:
            try:
                self._db = self._open()
            except sqlite3.Error as e:
                if not _corrupt(e):
                    raise
                self._db = self._heal(e)
        except (sqlite3.Error, OSError) as e:
            raise ConfigError(f"cannot open the parse cache {self.path}: {getattr(e, 'strerror', None) or e}") from None

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        os.chmod(self.path, 0o600)
        db = sqlite3.connect(self.path, check_same_thread=False, timeout=self.timeout)
        try:
            db.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, changes TEXT NOT NULL)")
            db.commit()
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _heal(self, e: sqlite3.Error) -> sqlite3.Connection:
        """Move the damaged file aside and start a fresh one (the caller holds the lock or is __init__)."""
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        for suffix in ("", "-journal", "-wal", "-shm"):
            src = Path(str(self.path) + suffix)
            if src.exists():
                os.replace(src, Path(str(aside) + suffix))
        _warn(f"the parse cache {self.path} was damaged ({e}); moved it to {aside.name} and started a fresh one")
        return self._open()

    def _run(self, what: str, fn, default):
        """fn(db) under the lock; a damaged file heals, any other SQLite or OS failure is a warning."""
        with self._lock:
            try:
                return fn(self._db)
            except sqlite3.Error as e:
                try:
                    self._db.rollback()
                except sqlite3.Error:
                    pass
                if _corrupt(e):
                    try:
                        self._db.close()
                        self._db = self._heal(e)
                    except (sqlite3.Error, OSError) as e2:
                        _warn(f"the parse cache {self.path} is damaged and cannot be replaced: {e2}")
                else:
                    _warn(f"parse cache {what} failed ({e}); going on without it")
            except (OSError, ValueError, TypeError) as e:
                _warn(f"parse cache {what} failed ({e}); going on without it")
            return default

    @staticmethod
    def key(model_id: str, vendor: str, intent: str) -> str:
        return hashlib.sha256("\0".join([model_id, prompt_version(), vendor, intent]).encode()).hexdigest()

    def get(self, key: str) -> list[dict] | None:
        """The changes stored for `key`, or None (a miss; also for a row that is not a list of objects).
        They are not checked against the intent here: the caller must (parse.answer_problems)."""

        def read(db):
            row = db.execute("SELECT changes FROM parsed WHERE key = ?", (key,)).fetchone()
            return row[0] if row else None

        raw = self._run("read", read, None)
        if raw is None:
            return None
        try:
            found = json.loads(raw)
        except (ValueError, TypeError):
            found = None
        if isinstance(found, list) and found and all(isinstance(c, dict) for c in found):
            return found
        self.delete(key)
        return None

    def put(self, key: str, changes: list[dict]) -> None:
        def write(db):
            db.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?)", (key, json.dumps(changes)))
            db.commit()

        self._run("write", write, None)

    def delete(self, key: str) -> None:
        """Forget one row (one that failed the checks)."""

        def drop(db):
            db.execute("DELETE FROM parsed WHERE key = ?", (key,))
            db.commit()

        self._run("delete", drop, None)

    def clear(self) -> int:
        """Empty the cache; returns how many rows there were (0 for a damaged file, which is replaced)."""

        def drop(db):
            n = db.execute("DELETE FROM parsed").rowcount
            db.commit()
            return n

        return self._run("clear", drop, 0)

    def close(self) -> None:
        self._db.close()
