"""`netcfg shell`: the model loaded once, intents typed one after another against one vendor or device,
each added to a pending change set that can be shown, undone, planned, saved and pushed.

`Shell` holds the state and handles one line (`handle`), with no terminal involved; `run` is the
prompt_toolkit loop around it (history, completion, Ctrl-C and Ctrl-D)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from . import defaults, vendors
from .errors import ConfigError, NetcfgError
from .present import PlanFormat, emit, print_config, show_plan, show_problems, stderr_line

HELP = """\
Type a change in plain words to add it to the pending change set, or a command:
  show            the pending changes and their config
  diff            the change against the running config, as a unified diff
  plan            remediation, rollback and diff against the running config
  undo            drop the last change          clear   drop every pending change
  vendor NAME     switch vendor (see `netcfg vendors`)
  device NAME     connect to an inventory device and read its running config (kept for the session)
  running FILE    plan against a running config file instead
  apply           push the pending changes to the device: backup, verify, save, or roll back
  save FILE       write the pending config to FILE
  help            this text                     exit    leave (Ctrl-D); Ctrl-C cancels the line
A command word that starts a change ("clear the description of gi0/1", "apply acl WEB to vlan 10 in")
is read as a change; put / before a command to be explicit (/clear)."""

# commands alone on the line, and commands that take one word
_BARE = {"show", "diff", "plan", "undo", "clear", "apply", "help", "exit", "quit"}
_ONE_ARG = {"vendor", "device", "running", "save"}
COMMANDS = sorted(_BARE | _ONE_ARG)


def _is_command(words: list[str]) -> bool:
    """Whether a line's words are a shell command rather than a change."""
    cmd = words[0].lstrip("/").lower()
    return words[0].startswith("/") or cmd in _BARE and len(words) == 1 or cmd in _ONE_ARG and len(words) == 2


@dataclass
class Pending:
    """One intent line and the typed changes it was understood as."""

    text: str
    changes: list[dict]
    summary: list[str]


class Shell:
    """One shell session: vendor, device, running config and the pending changes. `ask(question)` answers
    the parser's clarifying questions and `confirm(question)` the push; without them netcfg refuses
    what it would ask about, and does not push."""

    def __init__(
        self,
        vendor: str = defaults.VENDOR,
        *,
        model: str | None = None,
        inventory: str | Path | None = None,
        timeout: float = defaults.TIMEOUT_S,
        ask: Callable[[str], str] | None = None,
        confirm: Callable[[str], bool] | None = None,
    ):
        self.vendor = vendors.get(vendor)
        self.model, self.inventory, self.timeout = model, inventory, timeout
        self.ask, self.confirm = ask, confirm
        self.device: str | None = None
        self.host = None  # the device's inventory entry (inventory.Host)
        self.running: str | None = None
        self.pending: list[Pending] = []
        self._runnings: dict[str, str] = {}  # device -> running config, read once per session
        self._backend = self._fallback = None
        self._loading: threading.Thread | None = None
        self._prefilling: threading.Thread | None = None
        self._typed: str | None = None  # the line being typed, to evaluate ahead

    # --- the model, loaded once -------------------------------------------------------------------

    def preload(self) -> None:
        """Start loading the model in the background, while the first line is typed."""
        backend = self.backend
        load = getattr(backend, "load", None)
        if load is not None and self._loading is None:
            self._loading = threading.Thread(target=_quietly(load), daemon=True)
            self._loading.start()

    @property
    def backend(self):
        if self._backend is None:
            from .model import get_backend, get_fallback

            self._backend, self._fallback = get_backend(self.model), get_fallback(self.model)
        return self._backend

    def prefill(self, line: str) -> None:
        """While a line is typed: have the model evaluate ahead what its answer's prompt will start with
        (parse.prefill), in the background once the model is loaded, for the line as it stands when
        the work before is done. Never for a command."""
        words = line.split()
        typing_one = len(words) == 1 and words[0].lower() in _ONE_ARG  # "vendor" before its word
        command = not words or _is_command(words) or typing_one
        self._typed = None if command else line
        if command or self._loading is not None and self._loading.is_alive():
            return
        if self._prefilling is None or not self._prefilling.is_alive():
            self._prefilling = threading.Thread(target=self._prefill_typed, daemon=True)
            self._prefilling.start()

    def _prefill_typed(self) -> None:
        from .parse import prefill

        done: str | None = None

        def stale() -> bool:  # a newer line: what the two lines' prompts share stays evaluated for the next
            return self._typed != done

        while self._typed is not None and self._typed != done:
            done = self._typed
            try:
                prefill(done, self.backend, naming=self.vendor.naming, stale=stale)
            except Exception:  # noqa: BLE001 - work done ahead may fail unseen: the answer does it again and says why
                return

    def _ready(self):
        backend = self.backend
        if self._loading is not None:
            self._loading.join()
            self._loading = None
        return backend

    # --- one line -----------------------------------------------------------------------------------

    def prompt(self) -> str:
        where = f"{self.vendor.name} {self.device}" if self.device else self.vendor.name
        return f"netcfg {where}{f' [{len(self.pending)}]' if self.pending else ''}> "

    def handle(self, line: str) -> bool:
        """Run one line; False when the shell should end. A domain error is one line on stderr, and the
        shell goes on."""
        self._typed = None  # nothing more ahead of time: the line is in
        words = line.strip().split()
        if not words:
            return True
        cmd = words[0].lstrip("/").lower()
        try:
            if _is_command(words):
                return self._command(cmd, words[1:])
            self.add(line.strip())
        except NetcfgError as e:
            stderr_line(str(e))
        return True

    def _command(self, cmd: str, args: list[str]) -> bool:
        if cmd in _ONE_ARG and len(args) != 1 or cmd in _BARE and args:
            raise ConfigError(f"{cmd} takes {'one word' if cmd in _ONE_ARG else 'nothing'}; type help")
        if cmd in ("exit", "quit"):
            return False
        if cmd == "help":
            print(HELP)
        elif cmd == "show":
            self.show()
        elif cmd in ("diff", "plan"):
            show_plan(self.plan(), PlanFormat.patch if cmd == "diff" else PlanFormat.text)
        elif cmd == "undo":
            if not self.pending:
                raise ConfigError("nothing to undo")
            gone = self.pending.pop()
            stderr_line(" · ".join(gone.summary), "undone", "bold yellow")
        elif cmd == "clear":
            n, self.pending = len(self.pending), []
            stderr_line(f"{n} pending change{'s' * (n != 1)} dropped", "cleared", "bold yellow")
        elif cmd == "vendor":
            self.use_vendor(args[0])
        elif cmd == "device":
            self.use_device(args[0])
        elif cmd == "running":
            self.use_running(Path(args[0]))
        elif cmd == "save":
            emit(self.candidate()[1], Path(args[0]))
            stderr_line(f"the pending config is in {args[0]}", "saved", "bold green")
        elif cmd == "apply":
            self.apply()
        else:
            raise ConfigError(f"unknown command {cmd!r}; type help")
        return True

    # --- the pending change set ------------------------------------------------------------------------

    def add(self, text: str) -> Pending:
        """Parse one intent against the vendor (and running config) and add it to the pending set; one that
        netcfg refuses adds nothing."""
        from .generate import generate

        result = generate(text, self.vendor.name, self._ready(), self.running, ask=self.ask, fallback=self._fallback)
        if result.errors:
            show_problems(result.warnings, result.errors)
            raise ConfigError("not added to the pending changes")
        entry = Pending(text, result.changes, result.summary)
        self.pending.append(entry)
        stderr_line(" · ".join(entry.summary), "understood", "bold green")
        show_problems(result.warnings, [])
        return entry

    def _changes(self) -> list[dict]:
        return [c for p in self.pending for c in p.changes]

    def candidate(self, running: str | None = None) -> tuple[list[dict], str, list[str], list[str]]:
        """The pending changes rendered together for the vendor, checked against `running` (default: the
        session's): (normalised, config, warnings, errors)."""
        from .generate import build

        if not self.pending:
            raise ConfigError('no pending changes; type one, e.g. "create vlan 30 named GUESTS"')
        return build(self._changes(), self.vendor, running if running is not None else self.running)

    def show(self) -> None:
        _, config, warnings, errors = self.candidate()
        for i, p in enumerate(self.pending, 1):
            print(f"# {i}. {p.text}  ->  {' · '.join(p.summary)}")
        print_config(config)
        show_problems(warnings, errors)

    def plan(self, running: str | None = None, session=None):
        """The plan of the pending changes against the running config (the device's, or a file's)."""
        from .workflow import client_address, device_plan

        running = running if running is not None else self.running
        if running is None:
            raise ConfigError("no running config to compare with: `device NAME` connects, `running FILE` loads one")
        _, candidate, warnings, errors = self.candidate(running)
        texts = [p.text for p in self.pending]
        return device_plan(
            texts,
            self._changes(),
            candidate,
            running,
            self.vendor,
            host=self.host,
            device=self.device,
            warnings=warnings,
            errors=errors,
            client=client_address(session) if session is not None else None,
        )

    # --- where the changes go --------------------------------------------------------------------------

    def use_vendor(self, name: str) -> None:
        vendor = vendors.get(name)
        if self.device is not None and vendor.name != self.vendor.name:
            stderr_line(f"{self.device} is {self.vendor.name}: left it; plan against a file or another device", "note")
            self.device, self.host, self.running = None, None, None
        self.vendor = vendor

    def use_device(self, name: str) -> None:
        """Connect to an inventory device once per session and keep its running config."""
        from .workflow import load_device

        host, vendor = load_device(name, self.inventory)
        if name not in self._runnings:
            from contextlib import closing

            from .device import connect

            with closing(connect(host, vendor, self.timeout)) as session:
                self._runnings[name] = session.running_config()
        self.device, self.host, self.vendor, self.running = name, host, vendor, self._runnings[name]
        lines = len(self.running.splitlines())
        stderr_line(f"{name} ({vendor.name}, {host.hostname}): running config of {lines} lines", "device", "bold green")

    def use_running(self, path: Path) -> None:
        from .cli import read_text_file
        from .generate import check_running

        self.running, self.device, self.host = check_running(read_text_file(path, "running config")), None, None
        stderr_line(f"planning against {path} ({len(self.running.splitlines())} lines)", "running", "bold green")

    def apply(self) -> None:
        """Push the pending changes to the device with apply's backup, verify, save and rollback, after the
        plan is shown and confirmed; then the pending set is empty and the running config the new one."""
        from contextlib import closing

        import typer

        from .cli import push_plan
        from .workflow import open_device

        if self.device is None:
            raise ConfigError("apply needs a device: `device NAME` first")
        if self.confirm is None:
            raise ConfigError("apply needs a terminal to confirm at")
        host, vendor, session, running = open_device(self.device, self.inventory, self.timeout)
        with closing(session):
            try:
                push_plan(
                    self.plan(running, session),
                    host,
                    vendor,
                    running,
                    session,
                    lambda now: self.plan(now, session),
                    yes=False,
                    question=f"Apply these changes to {self.device}?",
                    confirm=self.confirm,
                    timeout=self.timeout,
                )
            except typer.Exit as e:
                if e.exit_code:  # what happened (refused, rolled back, interrupted) is on the lines above
                    raise ConfigError("not applied; the pending changes are kept") from None
                return
        self.pending = []
        del self._runnings[self.device]  # the push closed its session: read the new config afresh
        self.use_device(self.device)

    # --- completion -----------------------------------------------------------------------------------

    def completions(self, before: str, word: str) -> Iterable[str]:
        """What the word being typed may become: a command first, a vendor or device after `vendor` or
        `device`, an interface of the running config anywhere in an intent."""
        words = before.split()
        if not words:
            return [c for c in COMMANDS if c.startswith(word.lower())]
        if len(words) == 1 and words[0].lstrip("/") == "vendor":
            return [v for v in vendors.names() if v.startswith(word)]
        if len(words) == 1 and words[0].lstrip("/") == "device":
            return [d for d in self._inventory_names() if d.startswith(word)]
        return [i for i in self.interfaces() if word and i.lower().startswith(word.lower())]

    def interfaces(self) -> list[str]:
        """The running config's interfaces, as the vendor's `running.interfaces` pattern reads them."""
        return sorted(set(self.vendor.running_facts(self.running).get("interfaces", [])))

    def _inventory_names(self) -> list[str]:
        try:
            from .inventory import load

            return load(defaults.inventory_path(self.inventory)).names()
        except (NetcfgError, OSError):
            return []


def _quietly(load: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            load()
        except NetcfgError:
            pass  # the first intent says it again, on its own line

    return run


PREFILL_AFTER_S = 0.03  # a pause this long after a key starts evaluating the line so far (Shell.prefill)


class _Pause:
    """Calls `act(text)` once the text has stopped changing for `seconds`."""

    def __init__(self, seconds: float, act: Callable[[str], None]):
        self.seconds, self.act = seconds, act
        self._timer: threading.Timer | None = None

    def restart(self, text: str) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.seconds, self.act, (text,))
        self._timer.daemon = True
        self._timer.start()


def history_path() -> Path:
    from .paths import cache_dir

    return cache_dir() / "shell-history"


def run(shell: Shell) -> None:
    """The interactive loop: prompt_toolkit with history and completion. Ctrl-C cancels the line (or the
    parse under way); Ctrl-D leaves, asking first when changes are pending."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import Completer, Completion
    from prompt_toolkit.history import FileHistory

    class ShellCompleter(Completer):
        def get_completions(self, document, complete_event):
            word = document.get_word_before_cursor(WORD=True)
            before = document.text_before_cursor[: len(document.text_before_cursor) - len(word)]
            for c in shell.completions(before, word):
                yield Completion(c, start_position=-len(word))

    session: PromptSession = PromptSession(history=FileHistory(str(history_path())), completer=ShellCompleter())

    def ask(question: str) -> str:
        stderr_line(question, "question", "bold yellow")
        try:
            return session.prompt("> ")
        except (EOFError, KeyboardInterrupt):
            return ""

    def confirm(question: str) -> bool:
        try:
            return session.prompt(f"{question} [y/N] ").strip().lower() in ("y", "yes")
        except (EOFError, KeyboardInterrupt):
            return False

    shell.ask, shell.confirm = ask, confirm
    shell.preload()
    typed = _Pause(PREFILL_AFTER_S, shell.prefill)
    session.default_buffer.on_text_changed += lambda buffer: typed.restart(buffer.text)
    print(f"netcfg shell ({shell.vendor.name}): type a change, or help")
    while True:
        try:
            line = session.prompt(shell.prompt())
        except KeyboardInterrupt:
            continue
        except EOFError:
            line = "exit"
        try:
            if shell.handle(line):
                continue
        except KeyboardInterrupt:
            stderr_line("cancelled", "interrupted", "bold yellow")
            continue
        n = len(shell.pending)
        if not n or confirm(f"{n} pending change{'s' * (n != 1)} will be lost. Leave?"):
            return
