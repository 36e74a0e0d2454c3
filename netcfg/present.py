"""What netcfg shows: configs, plans, diffs, apply reports and batch tables, and one-line messages on
stderr. Rich is imported only when something is printed, so the command line starts fast."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

from .errors import ConfigError


class OutFormat(str, Enum):
    text = "text"
    json = "json"


class TableFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class PlanFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    patch = "patch"


def stderr_line(message: str, label: str = "error", style: str = "bold red") -> None:
    """One labelled line on stderr (an error, warning, question or what was understood)."""
    from rich.console import Console
    from rich.text import Text

    # Text, never markup: a value like "[/x]" prints as it is; one line whatever the message holds.
    line = Text.assemble((f"{label}: ", style), " ".join(str(message).splitlines()))
    Console(stderr=True, highlight=False, soft_wrap=True).print(line)


def _print_lines(text: str, styled) -> None:
    """Text to stdout: each line as `styled(line)` makes it (a rich Text) on a terminal, plain when piped."""
    if not sys.stdout.isatty():
        sys.stdout.write(text)
        return
    from rich.console import Console

    out = Console(highlight=False)
    for line in text.splitlines():
        out.print(styled(line))


def print_config(config: str) -> None:
    """Candidate config to stdout: highlighted on a terminal, plain when piped."""

    def styled(line: str):
        from rich.text import Text  # only on a terminal: piped output needs no rich

        t = Text(line)
        stripped = line.lstrip()
        if stripped.startswith(("no ", "delete ")):
            t.stylize("red")
        elif line == stripped:
            t.stylize("bold cyan")
        t.highlight_regex(r"\b\d+\.\d+\.\d+\.\d+(/\d+)?\b", "yellow")
        return t

    _print_lines(config, styled)


def emit(text: str, out: Optional[Path]) -> None:
    """Text to a file (one-line error when it cannot be written) or to stdout."""
    if out is not None:
        try:
            Path(out).write_text(text)
        except OSError as e:
            raise ConfigError(f"cannot write {out}: {e.strerror}") from None
    else:
        sys.stdout.write(text)


def show_plan(p, fmt: PlanFormat, out: Optional[Path] = None) -> None:
    """A plan as text (coloured on a terminal), json, markdown or patch; secrets are always redacted."""
    from .plan import render_markdown

    p = p.redacted()
    if fmt is PlanFormat.json:
        emit(json.dumps(p.to_dict(), indent=2) + "\n", out)
    elif fmt is PlanFormat.markdown:
        emit(render_markdown(p), out)
    elif fmt is PlanFormat.patch:
        emit(p.diff, out)
    elif out is not None:
        emit(render_markdown(p), out)
    elif not p.changed:
        print("# understood: " + " · ".join(p.summary))
        print("No changes: the running config already satisfies the intent.")
    else:
        print("# understood: " + " · ".join(p.summary))
        print(f"# remediation ({p.device or 'running config file'}, {p.vendor})")
        print_config(p.remediation)
        print("# rollback")
        print_config(p.rollback)
        print("# diff")
        print_diff(p.diff)
    show_problems(p.warnings, p.errors, show_warnings=fmt is PlanFormat.text and out is None)


def show_problems(warnings: list[str], errors: list[str], show_warnings: bool = True) -> None:
    """Warnings one line each (other formats carry them), then every error on one line: a failing
    command always says why on stderr."""
    for w in warnings if show_warnings else []:
        stderr_line(w, "warning", "bold yellow")
    if errors:
        stderr_line("; ".join(errors))


def print_diff(diff: str) -> None:
    """A unified diff to stdout, coloured on a terminal."""

    def styled(line: str):
        from rich.text import Text

        return Text(
            line,
            style="green"
            if line.startswith("+")
            else "red"
            if line.startswith("-")
            else "cyan"
            if line.startswith("@@")
            else "",
        )

    _print_lines(diff, styled)


def show_report(report) -> None:
    """An apply report on stderr (secrets redacted): backup, status and timings."""
    from rich.console import Console
    from rich.text import Text

    from .redact import redacted_copy

    report = redacted_copy(report, report.vendor)  # a rejected line may carry a secret
    con = Console(stderr=True, highlight=False, soft_wrap=True)  # device values are Text, never markup
    if report.backup:
        con.print(Text(f"backup: {report.backup}"))
    style = "green" if report.ok else "bold red"
    con.print(Text.assemble((f"{report.device}: {report.status}", style), f" {report.message}"))
    if report.timings:
        con.print(Text("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items())))


def run_batch_with_progress(
    b, assignments, inv, parser, do_apply, workers, inv_dir, timeout, backup_dir, done: Optional[list] = None
):
    """run_batch behind progress bars; each finished device's result is also appended to `done`."""
    import threading
    import time

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    started = time.perf_counter()
    con = Console(stderr=True)
    stages = ["connect", "plan"] + (["apply"] if do_apply else [])
    counts = {"done": 0, "failed": 0}
    lock = threading.Lock()
    with Progress(
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"),
        console=con,
        disable=not con.is_terminal,
    ) as prog:
        tasks = {s: prog.add_task(s, total=len(assignments), status="") for s in stages}
        total = prog.add_task("devices", total=len(assignments), status="")

        current: dict[str, str] = {}

        def on_stage(device, stage):  # a stage's bar counts the devices that finished it
            with lock:
                if device in current:
                    prog.advance(tasks[current[device]])
                current[device] = stage

        def on_done(r):
            if done is not None:
                done.append(r)
            with lock:
                if r.device in current:
                    prog.advance(tasks[current.pop(r.device)])
                counts["done" if r.ok else "failed"] += 1
                prog.advance(total)
                prog.update(total, status=f"done {counts['done']}  failed {counts['failed']}")

        results = b.run_batch(
            assignments,
            inv,
            parser,
            apply=do_apply,
            workers=workers,
            inventory_dir=inv_dir,
            timeout=timeout,
            backups=backup_dir,
            on_stage=on_stage,
            on_done=on_done,
            stop=threading.Event(),
        )
    return results, time.perf_counter() - started


def show_vendors(fmt: TableFormat) -> None:
    """`netcfg vendors`: which kinds of change each vendor has, as a table, JSON or markdown (the README's)."""
    from . import intent, vendors

    kinds, names = list(intent.kinds()), vendors.names()
    if fmt is TableFormat.json:
        data = {n: {"title": vendors.get(n).title, "features": list(vendors.get(n).features)} for n in names}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    rows = {k: ["yes" if vendors.get(n).supports(k) else "-" for n in names] for k in kinds}
    if fmt is TableFormat.markdown:
        lines = [f"| kind | {' | '.join(names)} |", "|---" * (len(names) + 1) + "|"]
        lines += [f"| {k} | {' | '.join(cells)} |" for k, cells in rows.items()]
        sys.stdout.write("\n".join(lines) + f"\n\n{len(kinds)} kinds of change.\n")
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="netcfg vendors x features")
    table.add_column("feature")
    for n in names:
        table.add_column(escape(n), justify="center")  # vendor files are data anyone may add
    for k, cells in rows.items():
        table.add_row(escape(k), *cells)
    Console().print(table)


def batch_table(results, summary) -> None:
    """The batch results as a table (secrets redacted), the summary, and one error line naming failures."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .redact import redacted_copy

    results = [redacted_copy(r, r.vendor) for r in results]  # a failure's reason may quote a secret
    table = Table(title="netcfg batch")
    for col in ("device", "vendor", "status", "seconds", "detail"):
        table.add_column(col)
    colour = {"applied": "green", "planned": "cyan", "unchanged": "dim", "failed": "red", "skipped": "yellow"}
    for r in results:
        detail = r.reason or (f"{len(r.remediation.splitlines())} lines to change" if r.remediation else "")
        table.add_row(
            Text(r.device),
            Text(r.vendor),
            Text(r.status, style=colour.get(r.status, "")),
            f"{r.seconds:.2f}",
            Text(detail),
        )  # Text: names and reasons are never markup
    con = Console()
    con.print(table)
    con.print(Text(", ".join(f"{k}: {v}" for k, v in summary.items())))
    bad = [r.device for r in results if not r.ok]
    if bad:
        stderr_line(
            f"{len(bad)} of {len(results)} devices failed or were skipped: {', '.join(bad[:5])}"
            + (", ..." if len(bad) > 5 else "")
            + " (see the table)"
        )
