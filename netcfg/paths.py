"""Where netcfg finds its data (templates, prompts, schemas), keeps its cache, and reads user YAML."""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def data_path(name: str) -> Path:
    """A data folder: inside the installed package, or at the top of a source checkout."""
    for base in (_HERE / "data", _HERE.parent):
        if (base / name).is_dir():
            return base / name
    raise FileNotFoundError(f"netcfg data folder {name!r} is missing from the installation")


def cache_dir() -> Path:
    """The user cache directory (NETCFG_CACHE_DIR, XDG_CACHE_HOME, or the platform default)."""
    if os.environ.get("NETCFG_CACHE_DIR"):
        base = Path(os.environ["NETCFG_CACHE_DIR"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches" / "netcfg"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "netcfg"
    base.mkdir(parents=True, exist_ok=True)
    return base


def read_yaml(path: str | Path, what: str):
    """A user's YAML file (dataset, batch file, inventory); unreadable or malformed ones are ConfigErrors."""
    import yaml

    from .errors import ConfigError

    try:
        return yaml.safe_load(Path(path).read_text())
    except OSError as e:
        raise ConfigError(f"cannot read {what} {path}: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{what} {path} is not valid YAML: {str(e).splitlines()[0]}") from None
