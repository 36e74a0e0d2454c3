"""`netcfg plan`: what exactly would change on the device: intended config, remediation, rollback, diff.

The candidate (what the intent asks for, with negations) is applied to the running config to predict
the intended config; remediation and rollback are the commands between the two. How is the vendor's
config style: netcfg/indent_style.py (hier_config) and netcfg/set_style.py (Junos set/delete lines).
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field

from . import configtree
from .errors import ConfigError
from .vendors import Vendor


@dataclass
class Plan:
    """The dry run of a change; its JSON form is a stable contract."""

    intents: list[str]
    vendor: str
    device: str | None
    changes: list[dict] = field(default_factory=list)
    candidate: str = ""
    remediation: str = ""
    rollback: str = ""
    diff: str = ""
    intended: str = ""
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # what was understood, one line per change

    @property
    def changed(self) -> bool:
        return bool(self.remediation.strip())

    def redacted(self) -> "Plan":
        """A copy to show: every secret (vendor_schemas/<vendor>.yaml `secrets`) replaced by <redacted>."""
        from .redact import redacted_copy

        return redacted_copy(self, self.vendor)

    def to_dict(self, redact: bool = True) -> dict:
        """The JSON form, secrets redacted unless `redact=False`."""
        d = asdict(self.redacted() if redact else self)
        d["changed"] = self.changed
        return d


def intended_config(running: str, candidate: str, vendor: Vendor) -> tuple[str, list[str]]:
    """Predict the running config after the candidate is applied, with warnings for no-op removals."""
    return vendor.driver.intended(running, candidate)


def remediation(src: str, dst: str, vendor: Vendor) -> str:
    """Commands that turn config `src` into config `dst`, with the vendor's negations and ordering."""
    return vendor.driver.remediation(src, dst)


def normalized_running(running: str, vendor: Vendor) -> str:
    """The running config in the vendor's normal form (re-indented, de-commented), as the diff's left side."""
    return vendor.driver.normalized(running)


def make_plan(
    intents: list[str],
    changes: list[dict],
    candidate: str,
    running: str,
    vendor: Vendor,
    device: str | None = None,
    mgmt_interface: str | None = None,
    force: bool = False,
    mgmt=None,
) -> Plan:
    """Plan a candidate against a running config. A change that would cut off the management session
    (`mgmt`, a lockout.Mgmt, or the interface `mgmt_interface`) is an error unless `force`."""
    running = vendor.clean_running(running)
    if not configtree.read(running):
        raise ConfigError("the running config is empty or not a text configuration")
    before = normalized_running(running, vendor)
    intended, warnings = intended_config(running, candidate, vendor)
    plan = Plan(intents, vendor.name, device, changes, candidate, intended=intended, warnings=warnings)
    plan.remediation = remediation(before, intended, vendor)
    plan.rollback = remediation(intended, before, vendor)
    plan.diff = "".join(difflib.unified_diff(before.splitlines(True), intended.splitlines(True), "running", "intended"))
    _check_lockout(plan, before, intended, vendor, mgmt, mgmt_interface, force)
    return plan


def _check_lockout(
    plan: Plan, before: str, after: str, vendor: Vendor, mgmt, mgmt_interface: str | None, force: bool
) -> None:
    from .lockout import Mgmt, problems

    if force or not plan.changed or not (mgmt or mgmt_interface):
        return
    mgmt = mgmt or Mgmt()
    if mgmt_interface:
        mgmt = Mgmt(mgmt.addresses, mgmt.client, mgmt_interface, mgmt.user)
    for problem in problems(before, after, vendor, mgmt):
        plan.errors.append(f"lock-out: {problem}; use --force if you really mean it")


def plan_to_target(
    running: str, target: str, vendor: Vendor, label: str, device: str | None = None, mgmt=None, force: bool = False
) -> Plan:
    """Plan that turns the running config into a whole target config (e.g. `netcfg restore` of a backup),
    with the same lock-out check as make_plan."""
    before = normalized_running(vendor.clean_running(running), vendor)
    after = normalized_running(vendor.clean_running(target), vendor)
    if not configtree.read(after):
        raise ConfigError(f"{label}: the target config is empty")
    rem = remediation(before, after, vendor)
    plan = Plan(
        [label],
        vendor.name,
        device,
        [],
        candidate=rem,
        remediation=rem,
        rollback=remediation(after, before, vendor),
        intended=after,
        diff="".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), "running", "target")),
    )
    _check_lockout(plan, before, after, vendor, mgmt, None, force)
    return plan


def render_markdown(plan: Plan) -> str:
    """What a reviewer reads in a change ticket (secrets redacted)."""
    plan = plan.redacted()
    fence = "```"
    parts = [f"## netcfg plan: {plan.device or 'running config file'} ({plan.vendor})", "", "**Intent**", ""]
    parts += [f"- {i}" for i in plan.intents] + [""]
    if plan.summary:
        parts += ["**Understood as**", ""] + [f"- {s}" for s in plan.summary] + [""]
    if not plan.changed:
        parts += ["**No changes**: the running config already satisfies the intent.", ""]
    else:
        parts += ["**Remediation** (commands to push)", "", fence, plan.remediation.rstrip(), fence, ""]
        parts += ["**Rollback**", "", fence, plan.rollback.rstrip(), fence, ""]
        parts += ["**Diff** (running → intended)", "", f"{fence}diff", plan.diff.rstrip(), fence, ""]
    for label, items in (("Warnings", plan.warnings), ("Errors", plan.errors)):
        if items:
            parts += [f"**{label}**", ""] + [f"- {w}" for w in items] + [""]
    return "\n".join(parts)
