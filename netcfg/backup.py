"""Backups: safe file names, private atomic writes, and the sanity check before a restore."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import ConfigError
from .vendors import Vendor

MIN_LINES = 3  # fewer configuration lines than this is not a device's config
MIN_SHARE = 0.5  # a backup with less than this share of the running config's lines looks truncated


def safe_name(device: str) -> str:
    """A device name as a file name: only [A-Za-z0-9._-], no leading dot, no `..`."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", device)
    name = re.sub(r"\.{2,}", "_", name).lstrip(".")
    return name[:100] or "device"


def write_private(folder: Path, name: str, text: str) -> Path:
    """Write a backup to folder/name, private and atomic (paths.write_private); never outside `folder`."""
    from .paths import write_private as write

    folder = Path(folder)
    path = folder / name
    if path.parent != folder or name in ("", ".", ".."):
        raise ConfigError(f"refusing to write {name!r} outside {folder}")
    try:
        return write(path, text)
    except OSError as e:
        raise ConfigError(f"cannot write the backup {path}: {e.strerror or e}") from None


def _config_lines(text: str, vendor: Vendor) -> list[str]:
    comment = vendor.rendering.comment
    lines = (ln.strip() for ln in vendor.clean_running(text).splitlines())
    return [ln for ln in lines if ln and not ln.startswith(comment)]


def backup_problem(text: str, vendor: Vendor, running: str | None = None) -> str | None:
    """Why `text` does not look like a complete backup of this vendor's device (None when it does).

    Checks: not empty or tiny, each of the vendor's `backup_markers` present (hostname line, end
    marker), and not far fewer lines than the device's running config when that is given.
    """
    lines = _config_lines(text, vendor)
    if not lines:
        return "the backup is empty"
    if len(lines) < MIN_LINES:
        return f"the backup has only {len(lines)} configuration line{'s' if len(lines) > 1 else ''}"
    raw = [ln.rstrip() for ln in text.splitlines()]
    for what, pattern in vendor.reading.backup_markers.items():
        rx = re.compile(pattern)
        if not any(rx.search(ln) for ln in raw):
            return f"the backup has no {what} ({pattern}): it may be truncated or not a {vendor.name} config"
    if running is not None:
        now = len(_config_lines(running, vendor))
        if len(lines) < MIN_SHARE * now:
            return (
                f"the backup has {len(lines)} configuration lines, under {MIN_SHARE:.0%} of the "
                f"{now} in the running config: it may be truncated"
            )
    return None
