"""Talking to devices through Netmiko: connect, read the running config, push lines, save.

Every transport failure becomes a DeviceError with one clear line; passwords never appear in it.
"""

from __future__ import annotations

import getpass
import os
import re
import sys
from typing import Protocol

from .errors import DeviceError
from .inventory import Host
from .vendors import Vendor

DEFAULT_ERROR_PATTERN = r"% ?(Unknown command|Invalid|Ambiguous|Incomplete)|\^$|[Ee]rror:|syntax error"


class Session(Protocol):
    """What apply needs from a device connection (Netmiko in production, a fake in unit tests)."""

    def running_config(self) -> str: ...

    def push(self, lines: list[str]) -> str: ...

    def save(self) -> str: ...

    def close(self) -> None: ...


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
    """A Netmiko connection to one device, speaking the vendor's CLI."""

    def __init__(self, host: Host, vendor: Vendor, timeout: float = 20.0):
        self.host, self.vendor = host, vendor
        self.error_pattern = vendor.data.get("error_pattern", DEFAULT_ERROR_PATTERN)
        from netmiko import ConnectHandler
        from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

        where = f"{host.name} ({host.hostname}:{host.port})"
        # With strict_host_keys (inventory data), unknown or changed host keys are refused.
        strict = bool(host.data.get("strict_host_keys"))
        try:
            self.conn = ConnectHandler(
                device_type=vendor.netmiko, host=host.hostname, port=host.port, username=host.username,
                password=password_for(host), timeout=timeout, conn_timeout=timeout, auth_timeout=timeout,
                banner_timeout=timeout, fast_cli=False, secret=os.environ.get("NETCFG_ENABLE_SECRET", ""),
                ssh_strict=strict, system_host_keys=strict,
            )
        except NetmikoAuthenticationException:
            raise DeviceError(f"{where}: authentication failed for user {host.username!r}") from None
        except NetmikoTimeoutException:
            raise DeviceError(f"{where}: unreachable (connection timed out or refused)") from None
        except (OSError, EOFError) as e:
            raise DeviceError(f"{where}: cannot connect: {e.__class__.__name__}: {e}") from None
        except Exception as e:
            if "known_hosts" in str(e) or "host key" in str(e).lower() or e.__class__.__name__ == "BadHostKeyException":
                raise DeviceError(f"{where}: host key problem: the key is unknown or has changed "
                                  "(check ~/.ssh/known_hosts)") from None
            raise DeviceError(f"{where}: SSH session failed: {e.__class__.__name__}: "
                              f"{str(e).splitlines()[0] if str(e) else ''}") from None
        if self.vendor.data.get("enable", True) and not self.vendor.data.get("commit"):
            self._guard("entering enable mode", self._enable)

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
            raise DeviceError(f"{self.host.name}: {what} failed: {e.__class__.__name__}: {msg[-1] if msg else ''}") from None

    def running_config(self) -> str:
        cmd = self.vendor.data.get("show_running", "show running-config")
        return self._guard("reading the running config", self.conn.send_command, cmd, read_timeout=60)

    def push(self, lines: list[str]) -> str:
        """Send config lines; stop and raise DeviceError at the first line the device rejects."""
        from netmiko.exceptions import ConfigInvalidException

        try:
            return self.conn.send_config_set(lines, error_pattern=self.error_pattern, read_timeout=60,
                                             exit_config_mode=not self.vendor.data.get("commit"))
        except ConfigInvalidException as e:
            m = re.search(r"at command: (.*?), matched error", str(e))
            line = m.group(1).strip() if m else None
            self._leave_config_mode()
            raise DeviceError(f"{self.host.name}: the device rejected {line!r}" if line else
                              f"{self.host.name}: the device rejected a line: {str(e).strip()}", line=line) from None
        except Exception as e:
            msg = str(e).strip().splitlines()
            raise DeviceError(f"{self.host.name}: push failed: {e.__class__.__name__}: {msg[-1] if msg else ''}") from None

    def _leave_config_mode(self) -> None:
        try:
            if self.vendor.data.get("commit"):
                self.conn.send_command_timing("rollback 0")
            self.conn.exit_config_mode()
        except Exception:
            pass

    def is_alive(self) -> bool:
        try:
            return bool(self.conn.is_alive())
        except Exception:
            return False

    def save(self) -> str:
        """Make the change permanent: `write memory` and friends, or Junos `commit confirmed` then `commit`."""
        if self.vendor.data.get("commit"):
            def commit() -> str:
                out = self.conn.commit(confirm=True, confirm_delay=int(self.vendor.data.get("confirm_minutes", 5)))
                out += self.conn.commit()
                self.conn.exit_config_mode()
                return out
            return self._guard("commit", commit)
        cmd = self.vendor.data.get("save_command", "write memory")
        return self._guard("saving the config", self.conn.send_command, cmd, read_timeout=60)

    def close(self) -> None:
        try:
            self.conn.disconnect()
        except Exception:
            pass


def connect(host: Host, vendor: Vendor, timeout: float = 20.0) -> Session:
    return NetmikoSession(host, vendor, timeout)
