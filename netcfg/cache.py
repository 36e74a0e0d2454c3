"""A persistent cache of parsed intents (SQLite in the user cache directory).

The key holds the model's checksum, the prompt version (a hash of prompts/ and the intent schema),
the vendor and the intent text, so a result made by another model or prompt can never come back.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

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
    return cache_dir() / "parse-cache.sqlite3"


class ParseCache:
    """(model, prompt version, vendor, intent) -> typed changes; safe to share between threads."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path or default_path())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, changes TEXT NOT NULL)")
        self._db.commit()

    @staticmethod
    def key(model_id: str, vendor: str, intent: str) -> str:
        return hashlib.sha256("\0".join([model_id, prompt_version(), vendor, intent]).encode()).hexdigest()

    def get(self, key: str) -> list[dict] | None:
        with self._lock:
            row = self._db.execute("SELECT changes FROM parsed WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, changes: list[dict]) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?)", (key, json.dumps(changes)))
            self._db.commit()

    def clear(self) -> int:
        with self._lock:
            n = self._db.execute("DELETE FROM parsed").rowcount
            self._db.commit()
        return n

    def close(self) -> None:
        self._db.close()
