import json
import os
import signal

import pytest

# The optional large model answers only where the embedded one fails; tests of the embedded model's own
# behaviour run without it, and tests of the cascade turn it on (tests/test_multi.py).
os.environ.setdefault("NETCFG_LARGE", "0")

# A shell starts a job put in the background with `&` (no job control) with SIGINT ignored, and Python then
# raises no KeyboardInterrupt: the Ctrl-C tests (test_interrupt, test_safety_net) would push to the end. Tests
# run as from a terminal, however they were started.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


class QueuedBackend:
    """A fake model for unit tests of the logic around it: answers from a queue, records prompts.

    A draft (a call that may answer faster, less exactly) gets the answer the exact evaluation of the
    same prompt will get, the queue's next, without taking it; `prompts` records exact calls only."""

    name = "queued-fake"

    def __init__(self, *answers):
        self.answers = [a if isinstance(a, str) else json.dumps({"changes": a}) for a in answers]
        self.prompts = []
        self.drafts = []
        self.schemas = []

    def complete(self, messages, schema, prefix="", follow=None, draft=False):
        self.schemas.append(schema)
        if not self.answers:
            from netcfg.errors import ModelError

            raise ModelError("the queued fake has no more answers")
        if draft:
            self.drafts.append(messages)
            return self.answers[0]
        self.prompts.append(messages)
        return self.answers.pop(0)


@pytest.fixture
def fake():
    return QueuedBackend


@pytest.fixture(scope="session")
def real_backend():
    """The real embedded model, loaded once for the whole session."""
    from netcfg.model import get_backend

    return get_backend()


@pytest.fixture(autouse=True)
def _own_known_hosts(tmp_path_factory, monkeypatch):
    """Each test learns SSH host keys into a known_hosts file of its own (lab routers reuse ports with new keys)."""
    if "NETCFG_KNOWN_HOSTS" not in os.environ:
        monkeypatch.setenv("NETCFG_KNOWN_HOSTS", str(tmp_path_factory.mktemp("known_hosts") / "known_hosts"))
    yield
    from netcfg import device

    device.set_host_key_mode(None)  # a CLI run's --host-keys holds for the process; not for the next test


@pytest.fixture
def lab_inventory(monkeypatch, tmp_path):
    """use(routers, extra_hosts=None, **settings): netcfg's inventory ($NETCFG_INVENTORY, tmp_path/inventory)
    lists FrrLab routers as r1, r2, ..., each with `settings` and its password as ${LAB_PW_<i>} (set here),
    never the password itself; `extra_hosts` are added as given. Backups go to tmp_path/backups.
    Returns the inventory folder, for a test to add groups.yaml or defaults.yaml."""

    def use(routers, extra_hosts=None, **settings):
        folder = tmp_path / "inventory"
        folder.mkdir(exist_ok=True)
        hosts = {}
        for i, r in enumerate(routers, 1):
            monkeypatch.setenv(f"LAB_PW_{i}", r.password)
            hosts[f"r{i}"] = {
                "hostname": r.host,
                "port": r.port,
                "username": r.username,
                "password": f"${{LAB_PW_{i}}}",
                **settings,
            }
        (folder / "hosts.yaml").write_text(json.dumps({**hosts, **(extra_hosts or {})}))
        monkeypatch.setenv("NETCFG_INVENTORY", str(folder))
        monkeypatch.setenv("NETCFG_BACKUP_DIR", str(tmp_path / "backups"))
        return folder

    return use
