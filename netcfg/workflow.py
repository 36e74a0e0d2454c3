"""Plan against a file or a device: the steps `netcfg plan` runs, shared by apply and batch."""

from __future__ import annotations

from pathlib import Path

from . import vendors
from .errors import ConfigError
from .generate import generate
from .model import get_backend
from .plan import Plan, make_plan


def load_device(device: str, inventory: str | Path | None):
    """(Host, Vendor) for a device name in the inventory (default ./inventory or $NETCFG_INVENTORY)."""
    import os

    from .inventory import Inventory

    inv = Inventory(inventory or os.environ.get("NETCFG_INVENTORY") or "inventory")
    host = inv.host(device)
    return host, vendors.get(host.platform)


def mgmt_interface_for(running: str, vendor: vendors.Vendor, address: str) -> str | None:
    """The interface that holds the address the management session connects to, if any."""
    for a in vendor.running_facts(running).get("addresses", []):
        if a["address"].split()[0].split("/")[0] == address:
            return a["interface"]
    return None


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


def plan_change(intents: list[str], *, vendor_name: str | None = None, running: str | None = None,
                device: str | None = None, inventory: str | Path | None = None, model: str | None = None,
                force: bool = False, mgmt_interface: str | None = None, timeout: float = 20.0,
                session=None) -> Plan:
    """Intents -> plan, with the running config from text or fetched from an inventory device."""
    host = None
    if device is not None:
        host, vendor = load_device(device, inventory)
        if vendor_name and vendor_name != vendor.name:
            raise ConfigError(f"device {device} is {vendor.name}, not {vendor_name}")
        if session is None:
            from .device import connect

            session = connect(host, vendor, timeout)
            try:
                running = session.running_config()
            finally:
                session.close()
        else:
            running = session.running_config()
        mgmt_interface = mgmt_interface or mgmt_interface_for(running, vendor, host.hostname)
    else:
        vendor = vendors.get(vendor_name or "cisco_ios")
    result = generate(intents, vendor.name, get_backend(model), running)
    p = make_plan(intents, result.changes, result.config, running or "", vendor,
                  device=device, mgmt_interface=mgmt_interface, force=force)
    p.warnings = result.warnings + p.warnings
    p.errors = result.errors + p.errors
    return p
