"""Defaults shared by the CLI and the library, defined once."""

import os
from pathlib import Path

VENDOR = "cisco_ios"  # when a request names no vendor and no device
TIMEOUT_S = 20.0  # SSH connect, and each show, push, save and commit on a device


def inventory_path(inventory: str | os.PathLike | None = None) -> Path:
    """--inventory, else $NETCFG_INVENTORY, else ./inventory."""
    return Path(inventory or os.environ.get("NETCFG_INVENTORY") or "inventory")
