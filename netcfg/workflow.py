"""Plan against a file or a device: the steps `netcfg plan` runs, shared by apply and batch."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from . import defaults, vendors
from .errors import ConfigError
from .generate import generate, summarize
from .model import get_backend, get_fallback
from .plan import Plan, make_plan


def load_device(device: str, inventory: str | Path | None):
    """(Host, Vendor) for a device name in the inventory (default ./inventory or $NETCFG_INVENTORY): a
    SimpleInventory or a Nornir config file."""
    from .inventory import load

    inv = load(defaults.inventory_path(inventory))
    host = inv.host(device)
    return host, vendors.get(host.platform)


def management(host, client: str | None = None):
    """How netcfg reaches an inventory host (lockout.Mgmt): its resolved addresses and our own address."""
    from .lockout import Mgmt, management_addresses

    if host is None:
        return Mgmt(client=client)
    return Mgmt(management_addresses(host.hostname, host.port), client, user=host.username)


def open_device(device: str, inventory, timeout: float):
    """(host, vendor, session, running config) for an inventory device."""
    from .device import connect

    host, vendor = load_device(device, inventory)
    session = connect(host, vendor, timeout)
    try:
        running = session.running_config()
    except Exception:
        session.close()
        raise
    return host, vendor, session, running


def plan_change(
    intents: list[str],
    *,
    vendor_name: str | None = None,
    running: str | None = None,
    device: str | None = None,
    inventory: str | Path | None = None,
    model: str | None = None,
    force: bool = False,
    mgmt_interface: str | None = None,
    timeout: float = defaults.TIMEOUT_S,
    session=None,
    ask=None,
) -> Plan:
    """Intents -> plan, with the running config from text or fetched from an inventory device (with an
    open `session`, `running` is what it already read). `ask`: see generate.generate."""
    host = None
    if device is not None:
        host, vendor = load_device(device, inventory)
        if vendor_name and vendor_name != vendor.name:
            raise ConfigError(f"device {device} is {vendor.name}, not {vendor_name}")
        if session is None:
            from .device import connect

            session = connect(host, vendor, timeout)
            try:
                running, client = session.running_config(), client_address(session)
            finally:
                session.close()
        else:  # an open session: the running config it already read, else read now
            running = running if running is not None else session.running_config()
            client = client_address(session)
    else:
        vendor, client = vendors.get(vendor_name or defaults.VENDOR), None
    result = generate(intents, vendor.name, get_backend(model), running, ask=ask, fallback=get_fallback(model))
    return device_plan(
        intents,
        result.changes,
        result.config,
        running,
        vendor,
        host=host,
        device=device,
        mgmt_interface=mgmt_interface,
        force=force,
        warnings=result.warnings,
        errors=result.errors,
        client=client,
    )


def client_address(session) -> str | None:
    """netcfg's own address on a device session (the device sees the session come from it), if known."""
    get = getattr(session, "client_address", None)
    return get() if get else None


def device_plan(
    intents: list[str],
    changes: list[dict],
    candidate: str,
    running: str | None,
    vendor: vendors.Vendor,
    *,
    host=None,
    device: str | None = None,
    mgmt_interface: str | None = None,
    force: bool = False,
    warnings: Sequence[str] = (),
    errors: Sequence[str] = (),
    client: str | None = None,
) -> Plan:
    """Plan a checked candidate with every per-device check; `plan`, `apply` and `batch` all come here.

    The lock-out check (netcfg/lockout.py: the host's management addresses, the session's `client`
    address, or the interface `mgmt_interface`) is skipped only by `force`. `warnings` and `errors`
    from generating the candidate lead the plan's own.
    """
    p = make_plan(
        intents,
        changes,
        candidate,
        running or "",
        vendor,
        device=device or (host.name if host else None),
        mgmt_interface=mgmt_interface,
        force=force,
        mgmt=management(host, client),
    )
    p.summary = summarize(changes, vendor, running)
    p.warnings = list(warnings) + p.warnings
    p.errors = list(errors) + p.errors
    return p
