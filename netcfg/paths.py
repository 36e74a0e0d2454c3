"""Where netcfg finds its data (templates, prompts, schemas), keeps its cache, and reads user YAML."""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def data_path(name: str) -> Path:
    """A data folder: in $NETCFG_DATA_DIR when it has one (a copy of netcfg's data with a vendor or a kind
    added, tried without reinstalling), else inside the installed package, or at the top of a source
    checkout."""
    extra = [Path(os.environ["NETCFG_DATA_DIR"])] if os.environ.get("NETCFG_DATA_DIR") else []
    for base in (*extra, _HERE / "data", _HERE.parent):
        if (base / name).is_dir():
            return base / name
    raise FileNotFoundError(f"netcfg data folder {name!r} is missing from the installation")


_FALLBACK: dict[str, Path] = {}


def cache_dir(fallback: bool = True) -> Path:
    """The user cache directory (NETCFG_CACHE_DIR, XDG_CACHE_HOME, or the platform default), created 0700.

    When it cannot be created or written, a warning says so and a private temporary folder, removed at
    exit, stands in for this run (`fallback`), so nothing is kept but everything works; with
    `fallback=False` that is a ConfigError instead (`netcfg cache clear`).
    """
    if os.environ.get("NETCFG_CACHE_DIR"):
        base = Path(os.environ["NETCFG_CACHE_DIR"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches" / "netcfg"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "netcfg"
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not os.access(base, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied")
        return base
    except OSError as e:
        reason = f"cannot use the cache folder {base}: {e.strerror or e}"
    if not fallback:
        from .errors import ConfigError

        raise ConfigError(f"{reason}; set NETCFG_CACHE_DIR to a writable folder")
    if str(base) not in _FALLBACK:
        import atexit
        import shutil
        import tempfile

        tmp = Path(tempfile.mkdtemp(prefix="netcfg-cache-"))  # 0700
        atexit.register(shutil.rmtree, tmp, ignore_errors=True)
        _FALLBACK[str(base)] = tmp
        sys.stderr.write(f"warning: {reason}; nothing is cached in this run (set NETCFG_CACHE_DIR)\n")
    return _FALLBACK[str(base)]


def private_dir(folder: Path) -> Path:
    """`folder`, created 0700 (an existing one netcfg owns is made 0700 too)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.chmod(folder, 0o700)
    except OSError:
        pass  # a folder netcfg does not own: the files in it are still 0600
    return folder


def write_private(path: Path, data: str | bytes) -> Path:
    """Write a file readable by its owner only (0600, in a 0700 folder), atomically: a temp file in the
    same folder, fsync, rename, so a full disk never leaves a truncated file that looks whole.
    OSError is the caller's to turn into its own message."""
    import tempfile

    folder = private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")  # 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # the rename itself survives a crash once the folder is synced
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
    return path


MAX_YAML_BYTES = 10 * 2**20
MAX_YAML_DEPTH = 64  # levels of nesting, counted after alias expansion
MAX_YAML_NODES = 200_000  # values after alias expansion: a 637-byte "billion laughs" file stops here


def read_yaml(path: str | Path, what: str, schema: dict | None = None):
    """A user's YAML file (dataset, batch file, inventory), optionally checked against a JSON schema.

    UTF-8, at most 10 MB, 64 levels deep and 200,000 values after alias expansion; dates stay strings
    and binary/set tags are refused, so the data is plain JSON-like values. Any problem is one ConfigError line.
    """

    from .errors import ConfigError

    try:
        with Path(path).open("rb") as f:
            raw = f.read(MAX_YAML_BYTES + 1)
    except OSError as e:
        raise ConfigError(f"cannot read {what} {path}: {e.strerror or e}") from None
    if len(raw) > MAX_YAML_BYTES:
        raise ConfigError(f"{what} {path} is larger than {MAX_YAML_BYTES // 2**20} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ConfigError(f"{what} {path} is not UTF-8 text (invalid byte at offset {e.start})") from None
    return load_yaml(text, f"{what} {path}", schema)


def load_yaml(text: str, where: str, schema: dict | None = None):
    """YAML text already read (see read_yaml for the bounds), as plain values; problems are one line."""
    import yaml

    from .errors import ConfigError

    try:
        data = yaml.load(text, Loader=_bounded_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = " ".join(str(getattr(e, "problem", None) or e).split())
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ConfigError(f"{where} is not valid YAML: {problem}{at}") from None
    except (ValueError, TypeError, OverflowError) as e:  # an explicit tag with a bad value: !!int x
        raise ConfigError(f"{where} is not valid YAML: {' '.join(str(e).split())[:200]}") from None
    if schema is not None:
        check_schema(data, schema, where)
    return data


def check_schema(data, schema: dict, where: str) -> None:
    """The first schema violation as one ConfigError line naming where it is (`sw1 > port`)."""
    import jsonschema

    from .errors import ConfigError

    err = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if err is None:
        return
    at = " > ".join(str(p) for p in err.absolute_path)
    if err.schema.get("description"):  # the schema's own words for this value
        message = err.schema["description"]
    elif err.validator == "type":
        kinds = [err.validator_value] if isinstance(err.validator_value, str) else err.validator_value
        names = {
            "object": "a mapping",
            "array": "a list",
            "string": "text",
            "null": "empty",
            "integer": "a whole number",
            "number": "a number",
            "boolean": "true or false",
            "NoneType": "empty",
            "dict": "a mapping",
            "list": "a list",
            "str": "text",
            "int": "a number",
            "float": "a number",
            "bool": "true or false",
        }
        got = names.get(type(err.instance).__name__, type(err.instance).__name__)
        message = f"must be {' or '.join(names.get(k, k) for k in kinds if k != 'null')}, not {got}"
    elif err.validator == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})), key=str)
        message = f"unknown setting {str(extra[0])[:60]!r}" if extra else err.message
    else:
        message = " ".join(err.message.split())[:200]
    raise ConfigError(f"{where}: {at + ': ' if at else ''}{message}")


@lru_cache(maxsize=None)
def _bounded_loader():
    """A SafeLoader that bounds nesting and alias expansion, refuses recursive aliases and keeps dates as text."""
    import yaml
    from yaml.composer import ComposerError
    from yaml.constructor import ConstructorError

    class Loader(yaml.SafeLoader):
        def __init__(self, stream):
            super().__init__(stream)
            self._depth = self._values = 0
            self._done: dict[int, tuple[int, int]] = {}  # id(node) -> (values, height) once composed

        def _count(self, values: int, mark) -> None:
            self._values += values
            if self._values > MAX_YAML_NODES:
                raise ComposerError(None, None, f"has more than {MAX_YAML_NODES} values (aliases expanded)", mark)

        def compose_node(self, parent, index):
            mark = self.peek_event().start_mark
            if self.check_event(yaml.AliasEvent):
                node = super().compose_node(parent, index)
                if id(node) not in self._done:
                    raise ComposerError(None, None, "an alias refers to the value that contains it", mark)
                self._count(self._done[id(node)][0], mark)
                return node
            self._count(1, mark)
            self._depth += 1
            if self._depth > MAX_YAML_DEPTH:
                raise ComposerError(None, None, f"nested more than {MAX_YAML_DEPTH} levels deep", mark)
            node = super().compose_node(parent, index)
            self._depth -= 1
            kids = (
                node.value
                if isinstance(node, yaml.SequenceNode)
                else [n for kv in node.value for n in kv]
                if isinstance(node, yaml.MappingNode)
                else []
            )
            sizes = [self._done[id(k)] for k in kids]
            size, height = 1 + sum(s for s, _ in sizes), 1 + max((h for _, h in sizes), default=0)
            if height > MAX_YAML_DEPTH:
                raise ComposerError(None, None, f"nested more than {MAX_YAML_DEPTH} levels deep (aliases)", mark)
            self._done[id(node)] = (size, height)
            return node

    def refuse(loader, node):
        raise ConstructorError(None, None, f"the tag {node.tag} is not allowed here", node.start_mark)

    timestamp = "tag:yaml.org,2002:timestamp"
    Loader.yaml_implicit_resolvers = {
        c: [r for r in rs if r[0] != timestamp] for c, rs in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    for tag in ("timestamp", "binary", "set", "omap", "pairs"):
        Loader.add_constructor(f"tag:yaml.org,2002:{tag}", refuse)
    return Loader
