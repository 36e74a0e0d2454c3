"""The netcfg command line. Heavy modules are imported inside the commands that need them."""

from __future__ import annotations

import functools
import json
import sys
from contextlib import closing
from pathlib import Path
from typing import Annotated, Callable, Optional, overload

import typer

from . import defaults
from .errors import ConfigError, ModelError, NetcfgError
from .present import (
    OutFormat,
    PlanFormat,
    TableFormat,
    batch_table,
    emit,
    print_config,
    run_batch_with_progress,
    show_plan,
    show_problems,
    show_report,
    show_vendors,
    stderr_line,
)

app = typer.Typer(
    help="Turn a network change in plain words into checked vendor configuration.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def cli_errors(fn):
    """The one error boundary: a domain error becomes one line on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NetcfgError as e:
            stderr_line(str(e))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            stderr_line("interrupted")
            raise typer.Exit(130) from None

    return wrapper


MAX_TEXT_CHARS = 50 * 2**20  # a running config of a big chassis is a few MB


@overload
def read_text_file(path: Path, what: str) -> str: ...


@overload
def read_text_file(path: None, what: str) -> None: ...


def read_text_file(path: Optional[Path], what: str) -> Optional[str]:
    """Read a user-supplied file, turning OS and encoding problems into one-line errors."""
    if path is None:
        return None
    try:
        with Path(path).open(encoding="utf-8") as f:
            text = f.read(MAX_TEXT_CHARS + 1)
        if len(text) > MAX_TEXT_CHARS:
            raise ConfigError(f"{what} file {path} is larger than {MAX_TEXT_CHARS // 2**20} MB")
        return text
    except FileNotFoundError:
        raise ConfigError(f"{what} file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read {what} file {path}: {getattr(e, 'strerror', None) or e}") from None


NoInputOpt = Annotated[
    bool,
    typer.Option(
        "--no-input", help="Never ask a question: refuse what cannot be placed (the default without a terminal)."
    ),
]


def asker(no_input: bool):
    """A function that asks the person at the terminal one question, or None (--no-input, no terminal):
    then netcfg refuses what it would have asked about."""
    if no_input or not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None

    def ask(question: str) -> str:
        stderr_line(question, "question", "bold yellow")
        try:
            return input("> ")
        except EOFError:
            return ""

    return ask


ModelOpt = Annotated[
    Optional[str], typer.Option("--model", help="GGUF model file (default: $NETCFG_MODEL, else the embedded model).")
]
BackendOpt = Annotated[
    Optional[str],
    typer.Option(
        "--backend",
        help="An OpenAI-compatible model server to ask instead, e.g. http://gpu1:8000/v1 (default: $NETCFG_BACKEND; "
        "API key: $NETCFG_API_KEY; model: $NETCFG_BACKEND_MODEL, else the first it serves).",
    ),
]


def model_choice(model: str | None, backend: str | None) -> str | None:
    """--model (a GGUF file) or --backend (a model server's URL), the one given."""
    if model and backend:
        raise ConfigError("give --model (a GGUF file) or --backend (a model server), not both")
    if backend is not None:
        from .model_server import server_url

        server_url(backend)  # a ConfigError for what is no URL
    return backend or model


VendorOpt = Annotated[str, typer.Option("--vendor", "-v", help="Target vendor; see `netcfg vendors`.")]


@app.command()
@cli_errors
def generate(
    intent: Annotated[str, typer.Argument(help='The change in plain words, e.g. "put Gi0/5-8 in vlan 30".')],
    vendor: VendorOpt = defaults.VENDOR,
    running: Annotated[Optional[Path], typer.Option("--running", "-r", help="Running config file, for checks.")] = None,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="text or json.")] = OutFormat.text,
    model: ModelOpt = None,
    server: BackendOpt = None,
    no_input: NoInputOpt = False,
):
    """Generate the candidate configuration for an intent."""
    model = model_choice(model, server)
    from . import vendors
    from .generate import generate
    from .model import get_backend, get_fallback

    vendors.get(vendor)
    running_text = read_text_file(running, "running config")
    ask = asker(no_input) if fmt is OutFormat.text else None
    result = generate(intent, vendor, get_backend(model), running_text, ask=ask, fallback=get_fallback(model))
    if fmt is OutFormat.json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
    else:
        stderr_line(" · ".join(result.summary), "understood", "bold green")  # stderr: the config stays pipeable
        print_config(result.config)
    show_problems(result.warnings, result.errors, show_warnings=fmt is OutFormat.text)
    if result.errors:
        raise typer.Exit(1)


@app.command("vendors")
@cli_errors
def list_vendors(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="text, json or markdown.")] = TableFormat.text,
):
    """List vendors and the kinds of change each supports."""
    show_vendors(fmt)


@app.command("eval")
@cli_errors
def evaluate(
    dataset: Annotated[Path, typer.Argument(help="YAML list of {id, intent, vendor, expect, optional?, running?}.")],
    model: ModelOpt = None,
    server: BackendOpt = None,
    vendor: Annotated[Optional[str], typer.Option("--vendor", "-v", help="Only cases of this vendor.")] = None,
    limit: Annotated[Optional[int], typer.Option(help="Only the first N cases.")] = None,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.text,
):
    """Measure accuracy and latency of a model on your own intents."""
    model = model_choice(model, server)
    from . import evaluate as ev
    from .generate import generate
    from .model import get_backend, get_fallback

    cases = ev.load_dataset(dataset)
    if vendor:
        cases = [c for c in cases if c["vendor"] == vendor]
    cases = cases[:limit] if limit else cases
    backend, fallback = get_backend(model), get_fallback(model)
    results = []
    for case in cases:
        r = ev.run_case(case, lambda text, v, running: generate(text, v, backend, running, fallback=fallback))
        results.append(r)
        if fmt is OutFormat.text:
            mark = {"exact": "PASS", "refused": "REFUSED", "silently wrong": "WRONG"}[r.outcome]
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
        cases = [dict(r.__dict__, outcome=r.outcome) for r in results]
        sys.stdout.write(json.dumps({"summary": s, "cases": cases}, indent=2) + "\n")
    else:
        print(f"{ev.outcome_line(s)}  p50 {s['p50_s']:.2f}s  p95 {s['p95_s']:.2f}s  model {s['model']}")


def read_intents(intents: list[str], file: Optional[Path]) -> list[str]:
    """Intents from arguments and/or a file (one per line, or a YAML list)."""
    out = list(intents or [])
    if file is not None:
        from .paths import load_yaml

        text = read_text_file(file, "intents")
        try:  # bounded like every user YAML file (nesting, aliases)
            data = load_yaml(text, f"intents file {file}")
        except ConfigError:
            data = None
        if isinstance(data, list) and all(isinstance(x, str) for x in data):
            out += data
        else:
            out += [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not out:
        raise ConfigError("no intent given: pass it as an argument or with -f FILE")
    return out


DeviceOpt = Annotated[Optional[str], typer.Option("--device", "-d", help="Device name in the inventory.")]
InventoryOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--inventory",
        "-i",
        help="Nornir SimpleInventory folder or hosts.yaml, or a Nornir config file naming any inventory plugin "
        "(default: ./inventory or $NETCFG_INVENTORY).",
    ),
]
TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--timeout", help="Seconds to wait for the device: to connect, and for each show, push, save or commit."
    ),
]


def _host_keys_option(value: Optional[str]) -> Optional[str]:
    """--host-keys, set while the command line is read, holds for every SSH connection the command opens."""
    from .device import set_host_key_mode

    try:
        set_host_key_mode(value)
    except NetcfgError as e:
        stderr_line(str(e))
        raise typer.Exit(1) from None
    return value


HostKeysOpt = Annotated[
    Optional[str],
    typer.Option(
        "--host-keys",
        callback=_host_keys_option,
        metavar="accept-new|strict|off",
        help="SSH host keys, checked against netcfg's known_hosts in the cache folder: accept-new (default: learn an "
        "unknown key, refuse a changed one), strict (refuse unknown keys too) or off. Default: $NETCFG_HOST_KEYS.",
    ),
]


@app.command()
@cli_errors
def plan(
    intents: Annotated[Optional[list[str]], typer.Argument(help="The change(s) in plain words.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Intents, one per line or a YAML list.")] = None,
    vendor: Annotated[
        Optional[str], typer.Option("--vendor", "-v", help="Vendor of --running (default cisco_ios).")
    ] = None,
    running: Annotated[Optional[Path], typer.Option("--running", "-r", help="Running config file.")] = None,
    device: DeviceOpt = None,
    inventory: InventoryOpt = None,
    fmt: Annotated[PlanFormat, typer.Option("--format", help="text, json, markdown or patch.")] = PlanFormat.text,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the plan to this file.")] = None,
    detailed_exitcode: Annotated[
        bool, typer.Option("--detailed-exitcode", help="Exit 0 no change, 2 changes, 1 error.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Allow a change that would cut off the management session (lock-out check).")
    ] = False,
    mgmt_interface: Annotated[
        Optional[str],
        typer.Option(
            "--mgmt-interface", help="Interface the management session uses (found automatically with --device)."
        ),
    ] = None,
    model: ModelOpt = None,
    server: BackendOpt = None,
    timeout: TimeoutOpt = defaults.TIMEOUT_S,
    host_keys: HostKeysOpt = None,
):
    """Show what would change on the device: remediation, rollback and diff (a dry run)."""
    model = model_choice(model, server)
    from .workflow import plan_change

    texts = read_intents(intents or [], file)
    if (running is None) == (device is None):
        raise ConfigError("give the running config with --running FILE or --device NAME (one of them)")
    p = plan_change(
        texts,
        vendor_name=vendor,
        running=read_text_file(running, "running config"),
        device=device,
        inventory=inventory,
        model=model,
        force=force,
        mgmt_interface=mgmt_interface,
        timeout=timeout,
    )
    show_plan(p, fmt, out)
    if p.errors:
        raise typer.Exit(1)
    if detailed_exitcode and p.changed:
        raise typer.Exit(2)


def _confirm(yes: bool, question: str) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise ConfigError("refusing to change the device without confirmation: no terminal to ask, pass --yes")
    if not typer.confirm(question, default=False):
        raise ConfigError("cancelled: nothing was changed")


@app.command()
@cli_errors
def apply(
    intents: Annotated[Optional[list[str]], typer.Argument(help="The change(s) in plain words.")] = None,
    device: Annotated[str, typer.Option("--device", "-d", help="Device name in the inventory.")] = ...,  # type: ignore[assignment]  # typer: required
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Intents, one per line or a YAML list.")] = None,
    inventory: InventoryOpt = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    no_rollback: Annotated[bool, typer.Option("--no-rollback", help="On failure, leave the device as it is.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Allow a change that would cut off the management session (lock-out check).")
    ] = False,
    backup_dir: Annotated[
        Optional[Path],
        typer.Option("--backup-dir", help="Where backups go (default ./netcfg-backups or $NETCFG_BACKUP_DIR)."),
    ] = None,
    fmt: Annotated[PlanFormat, typer.Option("--format", help="How to show the plan first.")] = PlanFormat.text,
    model: ModelOpt = None,
    server: BackendOpt = None,
    timeout: TimeoutOpt = defaults.TIMEOUT_S,
    host_keys: HostKeysOpt = None,
    no_input: NoInputOpt = False,
):
    """Plan, confirm, then push: backup, push, verify, save — or roll back."""
    model = model_choice(model, server)
    from .generate import build
    from .workflow import client_address, device_plan, open_device, plan_change

    texts = read_intents(intents or [], file)
    host, vendor, session, running = open_device(device, inventory, timeout)
    with closing(session):
        p = plan_change(
            texts,
            device=device,
            inventory=inventory,
            model=model,
            force=force,
            timeout=timeout,
            session=session,
            running=running,
            ask=asker(no_input or yes) if fmt is PlanFormat.text else None,
        )

        def replan(now: str):  # the same typed changes, planned again on a running config that moved
            _, candidate, warnings, errors = build(p.changes, vendor, now)
            return device_plan(
                texts,
                p.changes,
                candidate,
                now,
                vendor,
                host=host,
                device=device,
                force=force,
                warnings=warnings,
                errors=errors,
                client=client_address(session),
            )

        push_plan(
            p,
            host,
            vendor,
            running,
            session,
            replan,
            yes=yes,
            question=f"Apply these changes to {device}?",
            fmt=fmt,
            rollback=not no_rollback,
            backups=backup_dir,
            timeout=timeout,
        )


def push_plan(
    p,
    host,
    vendor,
    running,
    session,
    replan,
    *,
    yes: bool,
    question: str,
    fmt: PlanFormat = PlanFormat.text,
    confirm: Callable[[str], bool] | None = None,
    **execute_options,
) -> None:
    """Show the plan, ask (`confirm(question)`, else at the terminal), then execute it on the open session
    (the caller closes it): the path apply, restore and the shell's apply share.

    After the answer the running config is read again: if it moved since `running` (another admin's change),
    `replan(new running)` is shown and asked again (with --yes: refused), so a plan made on a stale config is
    never pushed, and the backup to roll back to is the config read after the answer. A Ctrl-C during the
    push is finished or rolled back by `execute`, then reported on one line with exit code 130."""
    from .apply import execute, same_config

    try:
        while True:
            show_plan(p, fmt)
            if p.errors:
                raise typer.Exit(1)
            if not p.changed:
                return
            if confirm is None:
                _confirm(yes, question)
            elif not confirm(question):
                raise ConfigError("cancelled: nothing was changed")
            now = session.running_config()
            if same_config(now, running, vendor):
                break
            if yes:
                raise ConfigError(
                    f"the running config of {host.name} changed during the run, after the plan was "
                    "made: not pushing a plan made on a stale config (run again)"
                )
            stderr_line(
                f"the running config of {host.name} changed since the plan was made: planned again on it",
                "warning",
                "bold yellow",
            )
            running, p = now, replan(now)
        report = execute(p, host, vendor, now, session=session, **execute_options)
    except KeyboardInterrupt as e:  # a second Ctrl-C during the push: execute's message names the backup
        if not str(e):
            raise
        stderr_line(str(e), "interrupted")
        raise typer.Exit(130) from None
    if report.interrupted:
        from .redact import redacted_copy

        r = redacted_copy(report, report.vendor)
        stderr_line(f"{r.device}: {r.status}: {r.message}", "interrupted")
        raise typer.Exit(130)
    show_report(report)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
@cli_errors
def backup(
    device: Annotated[str, typer.Option("--device", "-d", help="Device name in the inventory.")] = ...,  # type: ignore[assignment]
    inventory: InventoryOpt = None,
    backup_dir: Annotated[Optional[Path], typer.Option("--backup-dir", help="Where backups go.")] = None,
    timeout: TimeoutOpt = defaults.TIMEOUT_S,
    host_keys: HostKeysOpt = None,
):
    """Save the device's running config to a timestamped file."""
    from .apply import write_backup
    from .workflow import open_device

    host, _, session, running = open_device(device, inventory, timeout)
    session.close()
    print(write_backup(host.name, running, backup_dir))


@app.command()
@cli_errors
def shell(
    vendor: VendorOpt = defaults.VENDOR,
    device: DeviceOpt = None,
    running: Annotated[
        Optional[Path], typer.Option("--running", "-r", help="Running config file to plan against.")
    ] = None,
    inventory: InventoryOpt = None,
    model: ModelOpt = None,
    server: BackendOpt = None,
    timeout: TimeoutOpt = defaults.TIMEOUT_S,
    host_keys: HostKeysOpt = None,
):
    """An interactive session: the model loaded once; build up a change line by line, look at it, undo a
    part, plan it against a device and push it (type help)."""
    model = model_choice(model, server)
    from .shell import Shell, run

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise ConfigError("netcfg shell needs a terminal; for scripts use generate, plan, apply or batch")
    sh = Shell(vendor, model=model, inventory=inventory, timeout=timeout)
    if device is not None:
        sh.use_device(device)
    elif running is not None:
        sh.use_running(running)
    run(sh)


@app.command()
@cli_errors
def restore(
    backup_file: Annotated[Path, typer.Argument(help="A backup (or any full config) to restore.")],
    device: Annotated[str, typer.Option("--device", "-d", help="Device name in the inventory.")] = ...,  # type: ignore[assignment]
    inventory: InventoryOpt = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    backup_dir: Annotated[
        Optional[Path], typer.Option("--backup-dir", help="Where the pre-restore backup goes.")
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Restore a backup that fails the sanity check (empty, truncated, no hostname or end line) or would cut off the management session.",
        ),
    ] = False,
    timeout: TimeoutOpt = defaults.TIMEOUT_S,
    host_keys: HostKeysOpt = None,
):
    """Bring the device back to a backup: plan from the backup as the intended config, then apply."""
    from .backup import backup_problem
    from .plan import plan_to_target
    from .workflow import client_address, management, open_device

    target = read_text_file(backup_file, "backup")
    host, vendor, session, running = open_device(device, inventory, timeout)

    def replan(now: str):  # also run again when the running config moved before the push
        problem = None if force else backup_problem(target, vendor, now)
        if problem:
            raise ConfigError(f"{backup_file}: {problem}; not restoring it (use --force to restore anyway)")
        return plan_to_target(
            now,
            target,
            vendor,
            f"restore {backup_file}",
            device,
            mgmt=management(host, client_address(session)),
            force=force,
        )

    with closing(session):
        push_plan(
            replan(running),
            host,
            vendor,
            running,
            session,
            replan,
            yes=yes,
            question=f"Restore {device} to {backup_file}?",
            backups=backup_dir,
            timeout=timeout,
        )


@app.command()
@cli_errors
def batch(
    file: Annotated[
        Path, typer.Argument(help="YAML jobs: intents and the devices they apply to (names, group, where).")
    ],
    inventory: InventoryOpt = None,
    do_apply: Annotated[bool, typer.Option("--apply/--plan", help="Plan only (default) or apply.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking.")] = False,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=64, help="Devices at once.")] = 8,
    model_workers: Annotated[
        Optional[int],
        typer.Option(
            "--model-workers",
            min=1,
            max=64,
            help="Distinct intents sent to a model server (--backend) at once (default 4); the in-process model "
            "answers one at a time.",
        ),
    ] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Write a report: FILE.json or FILE.md.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore the persistent parse cache.")] = False,
    backup_dir: Annotated[Optional[Path], typer.Option("--backup-dir", help="Where backups go.")] = None,
    model: ModelOpt = None,
    server: BackendOpt = None,
    timeout: TimeoutOpt = defaults.TIMEOUT_S,
    host_keys: HostKeysOpt = None,
):
    """Plan or apply many intents across many devices, concurrently, with a report at the end."""
    model = model_choice(model, server)
    import time

    from . import batch as b
    from .inventory import load as load_inventory
    from .model import get_backend, get_fallback, identity
    from .model_server import ServerBackend

    if report is not None and report.suffix not in (".json", ".md"):
        raise ConfigError("--report must end in .json or .md")
    inv_path = defaults.inventory_path(inventory)
    inv = load_inventory(inv_path)
    assignments = b.assign(b.load_jobs(file), inv)
    if do_apply:
        _confirm(yes, f"Apply to {len(assignments)} devices?")
    backend = get_backend(model)
    served = isinstance(backend, ServerBackend)
    if model_workers is not None and model_workers > 1 and not served:
        raise ConfigError(
            "--model-workers needs a model server (--backend): the in-process model answers one at a time"
        )
    try:
        answers_of = identity(backend)
    except ModelError:  # a model server that does not answer: each device fails with its line, in the report
        answers_of, no_cache = "", True
    parser = b.CachedParser(
        backend,
        None if no_cache else _open_parse_cache(),
        answers_of,
        fallback=get_fallback(model),
        model_workers=(model_workers or 4) if served else 1,
    )
    started, results = time.perf_counter(), None
    done: list[b.HostResult] = []
    try:
        results, _ = run_batch_with_progress(
            b,
            assignments,
            inv,
            parser,
            do_apply,
            workers,
            inv_path if inv_path.is_dir() else inv_path.parent,
            timeout,
            backup_dir,
            done,
        )
    finally:  # the report is written whatever happened, and before anything else can fail
        if results is None:
            seen = {r.device for r in done}
            results = done + [
                b.HostResult(
                    n, status="failed", reason="no result: the batch stopped before this device finished; check it"
                )
                for n in assignments
                if n not in seen
            ]
        summary = b.summarize(results, parser, time.perf_counter() - started)
        if parser.cache is not None:
            parser.cache.close()
        if report is not None:
            emit(
                b.report_json(results, summary) if report.suffix == ".json" else b.report_markdown(results, summary),
                report,
            )
    batch_table(results, summary)
    if not all(r.ok for r in results):
        raise typer.Exit(1)


def _open_parse_cache():
    """The persistent parse cache, or None (with a warning) when it cannot be used: it only saves time."""
    from .cache import ParseCache

    try:
        return ParseCache()
    except NetcfgError as e:
        stderr_line(f"{e}; going on without the parse cache", "warning", "bold yellow")
        return None


cache_app = typer.Typer(help="The persistent caches: parsed intents and evaluated prompts.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
@cli_errors
def cache_clear():
    """Forget every cached model answer and evaluated prompt (a damaged cache file is moved aside)."""
    from .cache import ParseCache
    from .model import clear_prompt_states

    cache = ParseCache()
    try:
        removed = cache.clear()
    finally:
        cache.close()
    print(f"removed {removed} cached intents and {clear_prompt_states()} prompt states")


def main() -> None:
    app()
