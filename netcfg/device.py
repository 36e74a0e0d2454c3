"""Talking to devices through Netmiko: connect (checking SSH host keys), read the running config, push
lines, save; and, for vendors with a candidate configuration, a NAPALM-like lifecycle.

Every transport failure becomes a DeviceError with one clear line; passwords never appear in it.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import os
import re
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from . import defaults
from .errors import ConfigError, DeviceError
from .inventory import Host
from .vendors import Vendor

PROMPT = r"[>#]\s*$"  # the end of any CLI prompt (exec or config mode), even after a hostname change


class Refused(DeviceError):
    """The device answered a command with an error (not a transport failure); `said`: what it answered."""

    def __init__(self, message: str, said: str = "", reason: str = ""):
        super().__init__(message)
        self.said, self.reason = said, reason or message


class Session(Protocol):
    """What apply needs from a device connection (Netmiko in production, a fake in unit tests)."""

    def running_config(self) -> str: ...

    def push(self, lines: list[str]) -> str: ...

    def save(self) -> str: ...

    def close(self) -> None: ...


class CandidateSession(Session, Protocol):
    """A session of a vendor with a candidate configuration (`lifecycle` in its schema), shaped like NAPALM:
    load the lines into a private candidate, check it, commit it with a revert timer, then confirm the
    commit (from a new connection, after verifying) — or discard the candidate, or revert the commit."""

    def load(self, lines: list[str], change: str) -> str: ...

    def check(self, change: str) -> str: ...

    def commit(self, change: str) -> str: ...

    def confirm(self, change: str) -> str: ...

    def discard(self, change: str) -> str: ...

    def revert(self, change: str) -> str: ...


class SafetyNetSession(Session, Protocol):
    """A session of a vendor that pushes into the running config with a safety net (`safety_net` in its
    schema): arm it before the push (IOS: configure mode with a revert timer; NX-OS: a checkpoint), confirm
    it after verifying, revert to it on a failure, release it at the end (NX-OS: delete the checkpoint)."""

    def arm(self, change: str) -> str: ...

    def confirm(self, change: str) -> str: ...

    def revert(self, change: str) -> str: ...

    def release(self, change: str) -> str: ...


# SSH host keys, checked against netcfg's own known_hosts file like OpenSSH's StrictHostKeyChecking.
HOST_KEY_MODES = ("accept-new", "strict", "off")
_host_key_mode: str | None = None
_known_hosts_lock = threading.Lock()


def set_host_key_mode(mode: str | None) -> None:
    """Host key checking for this process (the CLI's --host-keys); None: $NETCFG_HOST_KEYS, else accept-new."""
    global _host_key_mode
    if mode is not None and mode not in HOST_KEY_MODES:
        raise ConfigError(f"--host-keys {mode!r}: use one of {', '.join(HOST_KEY_MODES)}")
    _host_key_mode = mode


def host_key_mode(host: Host | None = None) -> str:
    """accept-new (learn an unknown key, refuse a changed one), strict (refuse unknown keys too) or off.

    An inventory host with `strict_host_keys: true` in its data is always strict."""
    if host is not None and isinstance(host.data, dict) and host.data.get("strict_host_keys") is True:
        return "strict"
    mode = _host_key_mode or os.environ.get("NETCFG_HOST_KEYS") or "accept-new"
    if mode not in HOST_KEY_MODES:
        raise ConfigError(f"NETCFG_HOST_KEYS={mode!r}: use one of {', '.join(HOST_KEY_MODES)}")
    return mode


def known_hosts_file() -> Path:
    """netcfg's known_hosts: $NETCFG_KNOWN_HOSTS, else `known_hosts` in the cache directory; created 0600."""
    from .paths import cache_dir

    path = Path(os.environ.get("NETCFG_KNOWN_HOSTS") or cache_dir() / "known_hosts")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        os.chmod(path, 0o600)
    except OSError as e:
        raise DeviceError(f"cannot use the known_hosts file {path}: {e.strerror or e}") from None
    return path


def known_hosts_name(hostname: str, port: int) -> str:
    """How OpenSSH (and paramiko) name a host in known_hosts: `host`, or `[host]:port` off port 22."""
    return hostname if int(port) == 22 else f"[{hostname}]:{port}"


def fingerprint(key) -> str:
    """A key's fingerprint as `ssh-keygen -l` shows it (SHA256:base64)."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(key.asbytes()).digest()).decode().rstrip("=")


def changed_key_message(where: str, name: str, key, expected, path: Path) -> str:
    return (
        f"{where}: the SSH host key has CHANGED ({key.get_name()} {fingerprint(key)}; {path} has "
        f"{fingerprint(expected)}): refusing to connect. If the device was re-keyed on purpose, remove "
        f"the old key with: ssh-keygen -R '{name}' -f {path}"
    )


@contextmanager
def _locked(path: Path):
    """The known_hosts file opened for appending, locked against other threads and netcfg processes."""
    with _known_hosts_lock, open(path, "a") as f:
        try:
            import fcntl

            fcntl.flock(f, fcntl.LOCK_EX)
        except ImportError:  # no flock (Windows): the thread lock still serializes this process
            pass
        yield f


def host_key_policy(mode: str, path: Path, where: str):
    """The paramiko policy for a host absent from netcfg's known_hosts when the connection started:
    learn its key (accept-new) or refuse it (strict). `.problem` keeps the one-line reason for a
    refusal, because Netmiko rewraps paramiko's exceptions."""
    import paramiko
    from paramiko.hostkeys import HostKeyEntry

    class Policy(paramiko.MissingHostKeyPolicy):
        problem: str | None = None

        def missing_host_key(self, client, hostname, key):
            with _locked(path) as f:
                known = paramiko.HostKeys(str(path)).lookup(hostname)  # learned meanwhile by another worker?
                if known is not None:
                    if known.get(key.get_name()) == key:
                        return
                    expected = known.get(key.get_name()) or next(iter(known.values()))
                    self.problem = changed_key_message(where, hostname, key, expected, path)
                    raise paramiko.BadHostKeyException(hostname, key, expected)
                if mode == "strict":
                    self.problem = (
                        f"{where}: unknown SSH host key ({key.get_name()} {fingerprint(key)}) and "
                        f"--host-keys strict: add the key to {path} first (for example by "
                        "connecting once with --host-keys accept-new)"
                    )
                    raise paramiko.SSHException(self.problem)
                f.write(HostKeyEntry([hostname], key).to_line())
                f.flush()
            client.get_host_keys().add(hostname, key.get_name(), key)

    return Policy()


def _bad_host_key(e: BaseException | None):
    """paramiko's BadHostKeyException behind a Netmiko exception, if that is what it was."""
    seen = 0
    while e is not None and seen < 10:
        if e.__class__.__name__ == "BadHostKeyException" and hasattr(e, "expected_key"):
            return e
        e, seen = e.__cause__ or e.__context__, seen + 1
    return None


def password_for(host: Host) -> str | None:
    """The inventory password (already ${VAR}-expanded), else $NETCFG_PASSWORD, else a prompt on a terminal."""
    if host.password:
        return host.password
    if os.environ.get("NETCFG_PASSWORD"):
        return os.environ["NETCFG_PASSWORD"]
    if sys.stdin.isatty():
        return getpass.getpass(f"password for {host.username}@{host.name}: ")
    raise DeviceError(f"{host.name}: no password (set it in the inventory as ${{VAR}}, or NETCFG_PASSWORD)")


class NetmikoSession:
    """A Netmiko connection to one device, speaking the vendor's CLI.

    `timeout` bounds the connection and every read: the running config, a push, a save, a commit."""

    def __init__(self, host: Host, vendor: Vendor, timeout: float = defaults.TIMEOUT_S):
        self.host, self.vendor, self.timeout = host, vendor, timeout
        self.error_pattern = vendor.device.error_pattern
        self.lifecycle = vendor.device.lifecycle
        self.safety_net = vendor.device.safety_net
        self.change: str | None = None  # the change loaded into a candidate through this session
        from netmiko import ConnectHandler

        where = f"{host.name} ({host.hostname}:{host.port})"
        mode = host_key_mode(host)
        keys = known_hosts_file() if mode != "off" else None
        policy = host_key_policy(mode, keys, where) if keys else None
        self.conn: Any = None  # a Netmiko connection while open
        try:
            # Known keys come from netcfg's file (a changed one is refused by paramiko); an unknown key
            # goes to our policy, set before Netmiko opens the connection (its auto_connect=False split).
            self.conn = ConnectHandler(
                device_type=vendor.netmiko,
                host=host.hostname,
                port=host.port,
                username=host.username,
                password=password_for(host),
                timeout=timeout,
                conn_timeout=timeout,
                auth_timeout=timeout,
                banner_timeout=timeout,
                fast_cli=False,
                secret=os.environ.get("NETCFG_ENABLE_SECRET", ""),
                ssh_strict=False,
                system_host_keys=False,
                alt_host_keys=keys is not None,
                alt_key_file=str(keys or ""),
                auto_connect=False,
            )
            if policy is not None:
                self.conn.key_policy = policy
            self.conn._open()
        except Exception as e:
            if self.conn is not None:
                self.close()
            raise self._connect_error(e, where, policy, keys) from None
        if self.vendor.device.enable:
            self._guard("entering enable mode", self._enable)

    def _connect_error(self, e: Exception, where: str, policy, keys: Path | None) -> DeviceError:
        from netmiko.exceptions import (
            NetmikoAuthenticationException,
            NetmikoTimeoutException,
        )

        if isinstance(e, DeviceError):
            return e
        if policy is not None and policy.problem:
            return DeviceError(policy.problem)
        bad = _bad_host_key(e)
        if bad is not None:
            name = known_hosts_name(self.host.hostname, self.host.port)
            return DeviceError(changed_key_message(where, name, bad.key, bad.expected_key, keys or Path("known_hosts")))
        if isinstance(e, NetmikoAuthenticationException):
            return DeviceError(f"{where}: authentication failed for user {self.host.username!r}")
        if isinstance(e, NetmikoTimeoutException):
            return DeviceError(f"{where}: unreachable (connection timed out or refused)")
        if isinstance(e, (OSError, EOFError)):
            return DeviceError(f"{where}: cannot connect: {e.__class__.__name__}: {e}")
        first = str(e).strip().splitlines()
        return DeviceError(f"{where}: SSH session failed: {e.__class__.__name__}: {first[0] if first else ''}")

    def _enable(self) -> None:
        if not self.conn.check_enable_mode():
            self.conn.enable()

    def _guard(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DeviceError:
            raise
        except Exception as e:
            msg = str(e).strip().splitlines()
            raise DeviceError(
                f"{self.host.name}: {what} failed: {e.__class__.__name__}: {msg[-1] if msg else ''}"
            ) from None

    def running_config(self) -> str:
        cmd = self.vendor.device.show_running
        return self._guard("reading the running config", self.conn.send_command, cmd, read_timeout=self.timeout)

    def push(self, lines: list[str]) -> str:
        """Send config lines (configure terminal); stop and raise DeviceError at the first line the device rejects."""
        return self._send_lines(lines, enter_config_mode=True, exit_config_mode=True)

    def _send_lines(self, lines: list[str], **mode) -> str:
        from netmiko.exceptions import ConfigInvalidException

        try:
            return self.conn.send_config_set(lines, error_pattern=self.error_pattern, read_timeout=self.timeout, **mode)
        except ConfigInvalidException as e:
            m = re.search(r"at command: (.*?), matched error", str(e))
            line = m.group(1).strip() if m else None
            self._leave_config_mode()
            raise DeviceError(
                f"{self.host.name}: the device rejected {line!r}"
                if line
                else f"{self.host.name}: the device rejected a line: {str(e).strip()}",
                line=line,
            ) from None
        except Exception as e:
            msg = str(e).strip().splitlines()
            self._leave_config_mode()
            raise DeviceError(
                f"{self.host.name}: push failed: {e.__class__.__name__}: {msg[-1] if msg else ''}"
            ) from None

    def _leave_config_mode(self) -> None:
        """After a failed push leave configure mode; a candidate stays for the caller to discard (or `close`)."""
        if self.lifecycle:
            return
        try:
            self.conn.exit_config_mode()
        except Exception:
            pass

    def is_alive(self) -> bool:
        try:
            return bool(self.conn.is_alive())
        except Exception:
            return False

    def client_address(self) -> str | None:
        """Our end of the SSH session: the address the device sees the session come from."""
        try:
            return str(self.conn.remote_conn.get_transport().sock.getsockname()[0])
        except Exception:
            return None

    def save(self) -> str:
        """Make the change permanent: the vendor's `write memory` or `copy running-config startup-config`."""
        cmd = self.vendor.device.save_command
        return self._guard("saving the config", self.conn.send_command, cmd, read_timeout=self.timeout)

    # The candidate lifecycle: each step is data in the vendor schema (`lifecycle`, see juniper_junos.yaml).

    def load(self, lines: list[str], change: str) -> str:
        """Enter the private candidate (`configure exclusive`, `configure session NAME`) and type the lines;
        a rejected line raises DeviceError naming it, leaving the candidate for the caller to `discard`."""
        self.change = change
        self._guard(f"entering {self._open_command()!r}", self._enter_candidate)
        return self._send_lines(lines, enter_config_mode=False, exit_config_mode=False)

    def check(self, change: str) -> str:
        """Validate the candidate without applying it (Junos `commit check`); a no-op where the vendor has none."""
        return self._steps("check", change)

    def commit(self, change: str) -> str:
        """Commit the candidate with the vendor's revert timer (`commit confirmed N`, `commit timer`)."""
        return self._steps("commit", change, leave=True)

    def confirm(self, change: str) -> str:
        """Confirm a commit made with a revert timer (and save, where the vendor needs it)."""
        return self._steps("confirm", change, leave=True)

    def discard(self, change: str) -> str:
        """Throw the uncommitted candidate away (`rollback 0`, `abort`) and leave configure mode."""
        return self._steps("discard", change, leave=True)

    def revert(self, change: str) -> str:
        """Undo a commit that is not confirmed yet, now, instead of waiting for its timer (with a safety net:
        go back to it, e.g. IOS `configure revert now`, NX-OS `rollback running-config checkpoint`)."""
        return self._steps("revert", change, leave=True)

    # The safety net of a push into the running config: steps are data too (`safety_net`, see cisco_ios.yaml);
    # `confirm` and `revert` above run its steps of those names.

    def arm(self, change: str) -> str:
        """Set the safety net up before a push: IOS enters configure mode with a revert timer (the push goes
        on in it), NX-OS takes a checkpoint. A device that will not raises Refused; its `reason` says why,
        in the vendor's words for known causes (`unavailable`)."""
        try:
            return self._steps("arm", change)
        except Refused as e:
            for pattern, reason in (self.safety_net.get("unavailable") or {}).items():
                if re.search(pattern, e.said):
                    e.reason = reason
            raise

    def release(self, change: str) -> str:
        """Remove what `arm` left on the device once it is no longer needed (NX-OS: delete the checkpoint)."""
        return self._steps("release", change, leave=True)

    def _open_command(self) -> str:
        return self.lifecycle.get("open", "configure").format(session=self.change)

    def _enter_candidate(self) -> None:
        if not self.conn.check_config_mode():
            self.conn.config_mode(config_command=self._open_command())

    def _leave_candidate(self) -> None:
        """Leave configure mode, never answering yes to the vendor's question about uncommitted changes
        (`close_question` in its lifecycle, answered with `close_answer`)."""
        if not self.conn.check_config_mode():
            return
        question = self.lifecycle.get("close_question")
        expect = rf"{PROMPT}|{re.escape(question)}" if question else PROMPT
        out = self.conn.send_command(
            self.lifecycle.get("close", "end"), expect_string=expect, read_timeout=self.timeout
        )
        if question and question in out:
            self.conn.send_command(self.lifecycle["close_answer"], expect_string=PROMPT, read_timeout=self.timeout)
            raise DeviceError(f"{self.host.name}: the candidate still has uncommitted changes; not leaving them")

    def _steps(self, name: str, change: str, leave: bool = False) -> str:
        """Run one step of the vendor's `lifecycle` (or `safety_net`): commands (`send`) in configure mode or,
        with `mode: exec` (the step's, else the spec's), outside it; each fails (Refused) on the vendor's error
        pattern or its `fail` regex, when its `ok` text is missing, or when it `enters_config` and did not."""
        self.change = change
        spec = self.lifecycle or self.safety_net
        steps = spec.get(name) or []
        minutes = int(spec.get("confirm_minutes", 5))
        wait = max(self.timeout, float(spec.get("step_timeout", 0)))  # commits and rollbacks can take minutes
        out = ""
        for step in steps if isinstance(steps, list) else [steps]:
            step = {"send": step} if isinstance(step, str) else step
            cmd = step["send"].format(session=change, minutes=minutes, hms=f"{minutes // 60:02d}:{minutes % 60:02d}:00")
            if step.get("mode", spec.get("mode", "config")) == "config":
                self._guard(f"entering {self._open_command()!r}", self._enter_candidate)
            else:
                self._guard("leaving configure mode", self._leave_candidate)
            text = self._guard(f"{cmd!r}", self.conn.send_command, cmd, expect_string=PROMPT, read_timeout=wait)
            said = [ln.strip() for ln in text.splitlines() if ln.strip()]
            refused = (
                re.search(self.error_pattern, text)
                or (step.get("ok") and step["ok"] not in text)
                or (step.get("fail") and re.search(step["fail"], text))
            )
            if not refused and step.get("enters_config"):
                refused = not self._guard("reading the prompt", self.conn.check_config_mode)
            if refused:
                why = f"{cmd!r} failed: {said[-1] if said else 'no confirmation'}"
                raise Refused(f"{self.host.name}: {why}", said=text, reason=why)
            out += text
        if leave:
            self._guard("leaving configure mode", self._leave_candidate)
        return out

    def close(self) -> None:
        """Disconnect (once; again is a no-op); a candidate left in configure mode is discarded first, never
        committed."""
        if self.conn is None:
            return
        try:
            if self.lifecycle and self.change and self.conn.check_config_mode():
                self.discard(self.change)
        except Exception:
            pass
        try:
            if self.lifecycle and self.conn.check_config_mode():
                # Netmiko's cleanup would answer "yes" to "exit with uncommitted changes"; dropping the
                # connection instead lets the device discard them (configure exclusive / a config session).
                self.conn.cleanup = lambda *a, **k: None
        except Exception:
            pass
        try:
            self.conn.disconnect()
        except Exception:
            pass
        self.conn = None  # closing twice (execute, then the command's `with closing`) is a no-op


def connect(host: Host, vendor: Vendor, timeout: float = defaults.TIMEOUT_S) -> Session:
    """Open a session to an inventory host (host keys checked per `host_key_mode`)."""
    return NetmikoSession(host, vendor, timeout)
