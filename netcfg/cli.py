"""The netcfg command line. Heavy modules are imported inside the commands that need them."""

from __future__ import annotations

import functools
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import ConfigError, NetcfgError

app = typer.Typer(
    help="Turn a network change in plain words into checked vendor configuration.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class OutFormat(str, Enum):
    text = "text"
    json = "json"


def _err(message: str, label: str = "error", style: str = "bold red") -> None:
    from rich.console import Console
    from rich.text import Text

    line = Text.assemble((f"{label}: ", style), message)
    Console(stderr=True, highlight=False, soft_wrap=True).print(line)


def cli_errors(fn):
    """The one error boundary: a domain error becomes one line on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NetcfgError as e:
            _err(str(e))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            _err("interrupted")
            raise typer.Exit(130) from None

    return wrapper


def read_text_file(path: Optional[Path], what: str) -> Optional[str]:
    """Read a user-supplied file, turning OS and encoding problems into one-line errors."""
    if path is None:
        return None
    try:
        return Path(path).read_text()
    except FileNotFoundError:
        raise ConfigError(f"{what} file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read {what} file {path}: {getattr(e, 'strerror', None) or e}") from None


def print_config(config: str) -> None:
    """Candidate config to stdout: highlighted on a terminal, plain when piped."""
    if not sys.stdout.isatty():
        sys.stdout.write(config)
        return
    from rich.console import Console
    from rich.text import Text

    out = Console(highlight=False)
    for line in config.splitlines():
        t = Text(line)
        stripped = line.lstrip()
        if stripped.startswith(("no ", "delete ")):
            t.stylize("red")
        elif line == stripped:
            t.stylize("bold cyan")
        t.highlight_regex(r"\b\d+\.\d+\.\d+\.\d+(/\d+)?\b", "yellow")
        out.print(t)


ModelOpt = Annotated[Optional[str], typer.Option("--model", help="GGUF model file (default: $NETCFG_MODEL, else the embedded model).")]
VendorOpt = Annotated[str, typer.Option("--vendor", "-v", help="Target vendor; see `netcfg vendors`.")]


@app.command()
@cli_errors
def generate(
    intent: Annotated[str, typer.Argument(help="The change in plain words, e.g. \"put Gi0/5-8 in vlan 30\".")],
    vendor: VendorOpt = "cisco_ios",
    running: Annotated[Optional[Path], typer.Option("--running", "-r", help="Running config file, for checks.")] = None,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="text or json.")] = OutFormat.text,
    model: ModelOpt = None,
):
    """Generate the candidate configuration for an intent."""
    from . import vendors
    from .generate import generate as run
    from .model import get_backend

    vendors.get(vendor)
    running_text = read_text_file(running, "running config")
    result = run(intent, vendor, get_backend(model), running_text)
    if fmt is OutFormat.json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
    else:
        print_config(result.config)
        for w in result.warnings:
            _err(w, "warning", "bold yellow")
        for e in result.errors:
            _err(e)
    if result.errors:
        raise typer.Exit(1)


@app.command("vendors")
@cli_errors
def list_vendors(fmt: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.text):
    """List vendors and the features each supports."""
    from . import intent, vendors

    kinds = list(intent.kinds())
    names = vendors.names()
    if fmt is OutFormat.json:
        data = {n: {"title": vendors.get(n).title, "features": list(vendors.get(n).features)} for n in names}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="netcfg vendors x features")
    table.add_column("feature")
    for n in names:
        table.add_column(n, justify="center")
    for k in kinds:
        table.add_row(k, *("yes" if vendors.get(n).supports(k) else "-" for n in names))
    Console().print(table)


@app.command("eval")
@cli_errors
def evaluate(
    dataset: Annotated[Path, typer.Argument(help="YAML list of {id, intent, vendor, expect, optional?, running?}.")],
    model: ModelOpt = None,
    vendor: Annotated[Optional[str], typer.Option("--vendor", "-v", help="Only cases of this vendor.")] = None,
    limit: Annotated[Optional[int], typer.Option(help="Only the first N cases.")] = None,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.text,
):
    """Measure accuracy and latency of a model on your own intents."""
    from . import evaluate as ev
    from .generate import generate as run
    from .model import get_backend

    cases = ev.load_dataset(dataset)
    if vendor:
        cases = [c for c in cases if c["vendor"] == vendor]
    cases = cases[:limit] if limit else cases
    backend = get_backend(model)
    results = []
    for case in cases:
        r = ev.run_case(case, lambda text, v, running: run(text, v, backend, running))
        results.append(r)
        if fmt is OutFormat.text:
            mark = "PASS" if r.passed else "FAIL"
            print(f"{mark} {r.id} ({r.seconds:.2f}s) {r.intent}")
            if r.error:
                print(f"     error: {r.error}")
            for m in r.missing:
                print(f"     missing: {m}")
            for x in r.extra:
                print(f"     extra:   {x}")
    s = ev.summary(results)
    s["model"] = backend.name
    if fmt is OutFormat.json:
        sys.stdout.write(json.dumps({"summary": s, "cases": [r.__dict__ for r in results]}, indent=2) + "\n")
    else:
        print(f"accuracy {s['passed']}/{s['cases']} = {s['accuracy']:.1%}  p50 {s['p50_s']:.2f}s  "
              f"p95 {s['p95_s']:.2f}s  model {s['model']}")


def main() -> None:
    app()
