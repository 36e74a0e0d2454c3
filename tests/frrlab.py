"""Real FRRouting test routers behind a real OpenSSH server on 127.0.0.1.

    with FrrLab(2, tmp_path) as lab:
        r = lab.routers[0]
        conn = netmiko.ConnectHandler(**r.netmiko_params())

Needs root, the Debian packages ``frr`` and ``openssh-server`` (see .ci/install_frr.sh) and nothing
else; no pytest inside this module (tests/test_frrlab.py wraps it). ``FrrLab.unavailable()`` says why
a lab cannot run here (``None`` when it can).

What one lab creates, all removed again by ``stop()`` (idempotent, safe after a half-done start):
  * per router ``<prefix><tag>r<k>`` (e.g. ``nc3fa1r1``; ``tag`` is random so parallel labs never
    collide): an FRR ``-N`` pathspace instance (/etc/frr/<name>/ with daemons bgpd+ospfd+staticd,
    vtysh.conf, frr.conf; /var/run/frr/<name>/), started and stopped with
    ``/usr/lib/frr/frrinit.sh start|stop <name>``; a system login of the same name in groups frr and
    frrvty whose shell is /etc/frr/<name>/vtysh-shell (``exec /usr/bin/vtysh -N <name> "$@"``),
    listed in /etc/shells.
  * when network namespaces work (root in a VM or a privileged container): one netns per router,
    also named <name>, holding the instance's daemons (in their own UTS namespace, so the running
    config says ``hostname <name>``) and a veth pair eth0<->eth1. Routes pushed in tests then never
    reach the host's routing table and bgpd can listen on its own port 179. Without netns the
    daemons share the host's network stack (``lab.isolated`` is False): bgpd does not listen
    (-p 0), and routes with a reachable next hop WOULD land in the host's kernel table.
  * one sshd of its own: ``/usr/sbin/sshd -D -f <base_dir>/sshd_config`` on 127.0.0.1:<free port>,
    its own ed25519 host key in base_dir, password logins for the lab's users only, no PAM.
    Only that PID (and its session children) is ever killed.
  * per router one small reaper (``python frrlab.py --reap ...``, a child subreaper) that runs
    frrinit.sh start and reaps the daemons as they exit, so ``frrinit.sh stop`` never waits on a
    slow PID 1 (here PID 1 reaps only every ~2 s: stop took 6 s per lab, now 0.5-0.7 s). It exits
    by itself when its daemons are gone.
  * a marker /etc/frr/<name>/netcfg-frrlab.json naming the owning process, so
    ``FrrLab.cleanup_stale()`` can remove what a killed test run left behind.

Starting state of every router (``Router.initial_config`` holds these lines):
    frr defaults traditional / hostname <name> (netns mode only) / service integrated-vtysh-config /
    interface lo + " description netcfg-lab" -- nothing else (no static route, no bgp, no ospf).
    In netns mode ``Router.interfaces`` is lo, eth0, eth1 (eth0/eth1: the two ends of one veth pair,
    link up); without netns it is just lo (the host's own interfaces are visible, do not touch them).
Measured here (2 routers, VM, other jobs running): start 1.0-1.7 s in all, stop 0.7 s; one
Netmiko connect 0.35-0.5 s; save_config 0.12 s. Four labs of 3 routers started in parallel: 2.5 s.

Netmiko findings (netmiko 4.8, FRR 8.4.4, vtysh as the login shell, device_type "cisco_ios"); each is
asserted by tests/test_frrlab.py:
  * connect: ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=r.port,
    username=r.username, password=r.password)  (= r.netmiko_params()). No secret/enable needed: the
    login is privileged at once, prompt "<name>#" (from ``hostname`` in the instance's vtysh.conf);
    check_enable_mode() is True, enable() is a harmless no-op. In session_preparation vtysh accepts
    "terminal length 0" and answers "% Unknown command: terminal width 511" (ignored by Netmiko).
  * read back: send_command("show running-config") -> "Building configuration...\n\nCurrent
    configuration:\n!\nfrr version 8.4.4\n...\nend", no paging. send_command never raises on a
    rejected command: it returns "% Unknown command: ..." as text, so check for a leading "%".
  * push: send_config_set(lines, error_pattern=r"% Unknown command|% Invalid|% Ambiguous|
    % Command incomplete") works: "configure terminal" ... "end"; sub-modes (config-router),
    (config-router-af), (config-if) and " exit-address-family"/"exit" lines are fine.
    config_mode(), check_config_mode(), exit_config_mode() ("end") all behave.
  * error detection: FRR answers a bad line with "% Unknown command: <line>" (also a bad address
    like 300.1.1.0/24) or "% Command incomplete"; with error_pattern Netmiko raises
    netmiko.exceptions.ConfigInvalidException("Invalid input detected at command: <line>, matched
    error: % Unknown command"), sends nothing after it, and LEAVES THE SESSION IN CONFIG MODE, where a
    plain "show running-config" is itself "% Unknown command" -> call exit_config_mode() (or use
    "do show running-config") before reading back. Lines before the bad one ARE applied (FRR config
    is live, no commit): the apply code must roll them back itself.
    Some rejections carry no "%": "router bgp 65002" when 65001 runs prints "BGP is already
    running; AS is 65001" and raises nothing, so only reading the config back proves a push.
  * save: save_config() works (sends "write mem"; returns "write mem\nNote: this version of vtysh
    never writes vtysh.conf\nBuilding Configuration...\nIntegrated configuration saved to
    /etc/frr/<name>/frr.conf\n[OK]\n<name># "); send_command("write memory") works the same.
    Check for "[OK]".
  * "hostname X" typed over SSH only renames that vtysh session (the prompt changes mid-session) and
    adds a second "hostname X" line to what that session shows; the daemons keep theirs. Never push
    hostname in tests.
  * wrong password: netmiko.exceptions.NetmikoAuthenticationException (about 0.1 s).
  * nothing listening on the port: netmiko.exceptions.NetmikoTimeoutException("TCP connection to
    device failed. ...") at once (a subclass of paramiko's SSHException, not of the auth one).
  * session killed mid-way (server side dies, lab.kill_sessions(r)): the next send_command /
    send_config_set raises plain OSError("Socket is closed") -- not a Netmiko exception;
    conn.is_alive() returns False; a new ConnectHandler works again at once.
  * without netns (lab.isolated False) the running config shows "hostname <system name>" AND
    "hostname <name>" (vtysh.conf), and a static route whose next hop the host can reach goes
    into the host's kernel table (on this VM the host's gateway IS 192.0.2.1).
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

FRRINIT = "/usr/lib/frr/frrinit.sh"
VTYSH = "/usr/bin/vtysh"
SSHD = "/usr/sbin/sshd"
ETC_FRR = Path("/etc/frr")
RUN_FRR = Path("/var/run/frr")
ETC_SHELLS = Path("/etc/shells")
LOCK_FILE = Path("/run/lock/netcfg-frrlab.lock")
MARKER = "netcfg-frrlab.json"
OSPF_GR_FILE = RUN_FRR / "ospfd-gr.json"
SHELL_NAME = "vtysh-shell"
DAEMONS = ("zebra", "bgpd", "ospfd", "staticd")
BASE_DESCRIPTION = "netcfg-lab"


class FrrLabError(RuntimeError):
    """The lab could not be started; the message says which step failed and why."""


@dataclass
class Router:
    name: str
    host: str
    port: int
    username: str
    password: str
    netns: str | None = None
    interfaces: list[str] = field(default_factory=list)
    initial_config: list[str] = field(default_factory=list)

    def netmiko_params(self, **extra) -> dict:
        params = {
            "device_type": "cisco_ios",
            "host": self.host,
            "port": self.port,
            "username": self.username,
            "password": self.password,
        }
        params.update(extra)
        return params

    def vtysh(self, *commands: str, timeout: float = 20) -> str:
        """Run vtysh commands locally as root (no SSH): for checks behind Netmiko's back."""
        args = [VTYSH, "-N", self.name]
        for c in commands:
            args += ["-c", c]
        res = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        if res.returncode != 0:
            raise FrrLabError(f"vtysh -N {self.name} {commands!r} failed ({res.returncode}): {res.stdout}{res.stderr}")
        return res.stdout

    def running_config(self) -> str:
        return self.vtysh("show running-config")


# ---------------------------------------------------------------------------------------- helpers


def _reap_main(cmd: list[str]) -> int:
    """`python frrlab.py --reap CMD...`: run CMD as a child subreaper (prctl
    PR_SET_CHILD_SUBREAPER); print its exit status and output, close stdout, then reap every daemon
    orphaned below us the moment it exits, and exit once none is left."""
    import ctypes

    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # 36: PR_SET_CHILD_SUBREAPER
    res = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    sys.stdout.write(f"{res.returncode}\n{res.stdout}{res.stderr}")
    sys.stdout.flush()
    os.close(1)  # EOF for the lab, which is waiting for the result
    os.open(os.devnull, os.O_WRONLY)
    while True:
        try:
            os.wait()
        except ChildProcessError:
            return 0


def _reaper_result(proc: subprocess.Popen, timeout: float) -> tuple[int, str]:
    """Exit status and output of the command run by _reap_main (its stdout up to EOF)."""
    import selectors

    chunks = []
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise FrrLabError(f"{proc.args[3:]} still running after {timeout}s")
            if sel.select(left):
                data = os.read(proc.stdout.fileno(), 65536)
                if not data:
                    break
                chunks.append(data)
    text = b"".join(chunks).decode(errors="replace")
    first, _, rest = text.partition("\n")
    return (int(first) if first.strip().lstrip("-").isdigit() else -1), rest.strip()


def _run(args, timeout=30, check=True, **kw):
    res = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)
    if check and res.returncode != 0:
        raise FrrLabError(
            f"{' '.join(map(str, args))} failed ({res.returncode}): {res.stdout.strip()} {res.stderr.strip()}"
        )
    return res


@contextmanager
def _system_lock():
    """Serialise edits of /etc/passwd, /etc/shells between labs on this machine."""
    LOCK_FILE.parent.mkdir(parents=True, exist_ok=True)
    with open(LOCK_FILE, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _proc_start_time(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22, starttime


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def _alive(pid: int) -> bool:
    """True while pid exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _all_pids():
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            yield int(p.name)


def _ppid_uid(pid: int):
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None, None
    ppid = uid = None
    for line in status.splitlines():
        if line.startswith("PPid:"):
            ppid = int(line.split()[1])
        elif line.startswith("Uid:"):
            uid = int(line.split()[1])
    return ppid, uid


def _children_map():
    kids: dict[int, list[int]] = {}
    for pid in _all_pids():
        ppid, _ = _ppid_uid(pid)
        if ppid is not None:
            kids.setdefault(ppid, []).append(pid)
    return kids


def _subtree(root: int, kids=None) -> list[int]:
    kids = _children_map() if kids is None else kids
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def _kill(pids, sig=signal.SIGKILL):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def _wait_gone(pids, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return not any(_alive(p) for p in pids)


def _uid_of(user: str) -> int | None:
    import pwd

    try:
        return pwd.getpwnam(user).pw_uid
    except KeyError:
        return None


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _ssh_banner(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.settimeout(timeout)
            return s.recv(64).startswith(b"SSH-")
    except OSError:
        return False


def _netns_works() -> bool:
    probe = f"ncprobe{os.getpid()}"
    if shutil.which("ip") is None or shutil.which("unshare") is None:
        return False
    if _run(["ip", "netns", "add", probe], check=False).returncode != 0:
        return False
    try:
        ok = _run(["ip", "netns", "exec", probe, "unshare", "--uts", "true"], check=False)
        return ok.returncode == 0
    finally:
        _run(["ip", "netns", "del", probe], check=False)


# -------------------------------------------------------------------- per-router removal (reused)


def _instance_pids(name: str) -> list[int]:
    """PIDs of this instance's FRR daemons: from its pid files and from its netns, each checked
    against /proc/<pid>/cmdline so a recycled PID is never touched."""
    pids = set()
    run_dir = RUN_FRR / name
    for pidfile in run_dir.glob("*.pid") if run_dir.is_dir() else []:
        try:
            pids.add(int(pidfile.read_text().strip()))
        except (OSError, ValueError):
            pass
    for pid in _all_pids():  # also daemons whose pid file is gone (e.g. killed mid-start)
        cmd = _cmdline(pid)
        if cmd and cmd[0].startswith("/usr/lib/frr/") and "-N" in cmd:
            i = cmd.index("-N")
            if i + 1 < len(cmd) and cmd[i + 1] == name:
                pids.add(pid)
    ours = []
    for pid in pids:
        cmd = _cmdline(pid)
        if "-N" in cmd and name in cmd and _alive(pid):
            ours.append(pid)
    return ours


def _stop_instance(name: str, netns: str | None, timeout: float = 20.0) -> list[str]:
    """Stop one FRR instance and remove everything created for it. Returns problems (empty = ok)."""
    problems = []
    if (ETC_FRR / name / "daemons").exists() and _instance_pids(name):
        try:
            _run([FRRINIT, "stop", name], timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            problems.append(f"{FRRINIT} stop {name} timed out")
    left = _instance_pids(name)
    if left:
        _kill(left, signal.SIGKILL)
        _wait_gone(left, 5)
    if netns and Path(f"/var/run/netns/{netns}").exists():
        res = _run(["ip", "netns", "pids", netns], check=False)
        in_ns = [int(p) for p in res.stdout.split() if p.isdigit()]
        _kill(in_ns, signal.SIGKILL)
        _wait_gone(in_ns, 5)
        if _run(["ip", "netns", "del", netns], check=False).returncode != 0:
            problems.append(f"could not delete netns {netns}")
    # the login: kill whatever still runs under it (vtysh sessions), then remove it
    uid = _uid_of(name)
    if uid is not None:
        mine = [p for p in _all_pids() if _ppid_uid(p)[1] == uid]
        _kill(mine, signal.SIGKILL)
        _wait_gone(mine, 5)
        with _system_lock():
            for _ in range(20):
                res = _run(["userdel", name], check=False)
                if res.returncode in (0, 6):  # 6: no such user
                    break
                time.sleep(0.2)
            else:
                problems.append(f"userdel {name}: {res.stderr.strip()}")
    _remove_shell(ETC_FRR / name / SHELL_NAME)
    for d in (ETC_FRR / name, RUN_FRR / name):
        shutil.rmtree(d, ignore_errors=True)
        if d.exists():
            problems.append(f"could not remove {d}")
    return problems


def _add_shell(path: Path):
    with _system_lock():
        lines = ETC_SHELLS.read_text().splitlines() if ETC_SHELLS.exists() else []
        if str(path) not in lines:
            with open(ETC_SHELLS, "a") as fh:
                fh.write(f"{path}\n")


def _remove_shell(path: Path):
    with _system_lock():
        if not ETC_SHELLS.exists():
            return
        text = ETC_SHELLS.read_text()
        lines = text.splitlines()
        if str(path) in lines:
            kept = [ln for ln in lines if ln != str(path)]
            with open(ETC_SHELLS, "w") as fh:  # in place: /etc/shells may be a bind mount
                fh.write("".join(f"{ln}\n" for ln in kept))


def _remove_ospf_gr_file():
    """ospfd writes /var/run/frr/ospfd-gr.json outside its -N pathspace; remove it once no ospfd
    runs any more (never while another lab's or the system's ospfd may use it)."""
    if OSPF_GR_FILE.exists() and not any(_cmdline(p)[:1] == ["/usr/lib/frr/ospfd"] for p in _all_pids()):
        OSPF_GR_FILE.unlink(missing_ok=True)


def _kill_sshd(pid: int | None, config: str | None):
    """Kill our sshd listener and its session children, only if it still is ours."""
    if not pid or not _alive(pid):
        return
    if config and config not in " ".join(_cmdline(pid)):  # sshd rewrites its title
        return
    tree = _subtree(pid)
    _kill(tree[1:], signal.SIGKILL)  # sessions first: they survive their listener otherwise
    _kill([pid], signal.SIGTERM)
    if not _wait_gone([pid], 5):
        _kill([pid], signal.SIGKILL)
        _wait_gone([pid], 5)
    _wait_gone(tree, 5)


# ------------------------------------------------------------------------------------- the lab


class FrrLab:
    """``count`` FRR routers, each reachable as a vtysh login over SSH on 127.0.0.1.

    FrrLab(count, base_dir) starts everything (raises FrrLabError after cleaning up if it cannot);
    pass start=False and call start() yourself to separate the two. stop() is idempotent.
    """

    def __init__(
        self,
        count: int = 1,
        base_dir: str | os.PathLike | None = None,
        *,
        prefix: str = "nc",
        host: str = "127.0.0.1",
        netns: bool | None = None,
        timeout: float = 30.0,
        start: bool = True,
        extra_daemons: tuple[str, ...] = (),
    ):
        if not 1 <= count <= 50:
            raise ValueError("count must be 1..50")
        self.count = count
        self._own_base_dir = not base_dir  # made up here: removed again by stop()
        self.base_dir = Path(base_dir) if base_dir else Path(f"/tmp/netcfg-frrlab-{os.getpid()}-{secrets.token_hex(3)}")
        self.prefix = prefix
        self.host = host
        self.want_netns = netns
        self.isolated = False
        self.timeout = timeout
        self.daemons = DAEMONS + tuple(extra_daemons)  # e.g. ("vrrpd",): also started, and waited for
        self.routers: list[Router] = []
        self.port: int | None = None
        self.sshd_pid: int | None = None
        self._sshd: subprocess.Popen | None = None
        self._sshd_config: Path | None = None
        self._names: list[str] = []  # everything created so far, for stop()
        self._reapers: list[subprocess.Popen] = []
        self._starting: list[tuple[subprocess.Popen, list[str]]] = []
        self._stopped = False
        self.timings: dict[str, float] = {}
        self._gr_file_preexisting = OSPF_GR_FILE.exists()
        if start:
            self.start()

    # -- public ---------------------------------------------------------------------------
    @staticmethod
    def unavailable() -> str | None:
        """Why a lab cannot run on this machine, or None."""
        if os.geteuid() != 0:
            return "FRR lab needs root (it adds users and starts FRR and sshd)"
        for path in (
            FRRINIT,
            VTYSH,
            SSHD,
            "/usr/lib/frr/zebra",
            "/usr/lib/frr/bgpd",
            "/usr/lib/frr/ospfd",
            "/usr/bin/ssh-keygen",
        ):
            if not os.access(path, os.X_OK):
                return f"{path} missing: run .ci/install_frr.sh (apt packages frr, openssh-server)"
        for tool in ("useradd", "userdel", "chpasswd"):
            if shutil.which(tool) is None:
                return f"{tool} missing (package passwd)"
        import grp

        for g in ("frr", "frrvty"):
            try:
                grp.getgrnam(g)
            except KeyError:
                return f"group {g} missing: is the frr package installed?"
        return None

    def start(self) -> "FrrLab":
        reason = self.unavailable()
        if reason:
            raise FrrLabError(reason)
        t0 = time.monotonic()
        try:
            self.base_dir.mkdir(parents=True, exist_ok=True)
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation dir
            self.isolated = _netns_works() if self.want_netns is None else self.want_netns
            self._pick_names()
            for name in self._names:
                self._create_instance(name)  # launches frrinit.sh start, does not wait
            for reaper, cmd in self._starting:
                rc, out = _reaper_result(reaper, self.timeout)
                if rc != 0:
                    raise FrrLabError(f"{' '.join(cmd)} failed ({rc}): {out}")
            self.timings["frr_started"] = time.monotonic() - t0
            self._start_sshd()
            self.timings["sshd_started"] = time.monotonic() - t0
            for name in self._names:
                self._wait_instance(name)
            self.timings["ready"] = time.monotonic() - t0
        except BaseException:
            try:
                self.stop()
            except Exception:  # the original error matters more
                pass
            raise
        return self

    def stop(self) -> list[str]:
        """Stop sshd and the routers, remove users/config/netns. Safe to call any number of times;
        returns the problems met (also logged nowhere else; an empty list means clean)."""
        problems: list[str] = []
        if self._sshd is not None:
            _kill_sshd(self._sshd.pid, str(self._sshd_config))
            try:
                self._sshd.wait(timeout=5)
            except subprocess.TimeoutExpired:
                problems.append(f"sshd {self._sshd.pid} did not exit")
            self._sshd = None
        results: dict[str, list[str]] = {}

        def one(name):
            try:
                results[name] = _stop_instance(name, name if self.isolated else None)
            except Exception as exc:  # keep going with the other routers
                results[name] = [f"{name}: {exc!r}"]

        threads = [threading.Thread(target=one, args=(n,)) for n in self._names]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for name in self._names:
            problems += results.get(name, [f"{name}: stop thread died"])
        for reaper in self._reapers:  # they exit by themselves once their daemons are gone
            try:
                reaper.wait(timeout=5)
            except subprocess.TimeoutExpired:
                reaper.kill()
                reaper.wait(timeout=5)
            if reaper.stdout:
                reaper.stdout.close()
        self._reapers = []
        self._names = []
        self.routers = []
        self._stopped = True
        if not self._gr_file_preexisting:
            _remove_ospf_gr_file()
        if self._own_base_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)
        return problems

    def kill_sessions(self, router: Router | None = None) -> int:
        """SIGKILL the server side of current SSH sessions (of one router's login, or all) while
        the lab's sshd keeps listening. Returns how many sessions were killed."""
        if self._sshd is None:
            return 0
        kids = _children_map()
        uid = _uid_of(router.username) if router else None
        if router and uid is None:
            return 0
        killed = 0
        for child in kids.get(self._sshd.pid, []):
            tree = _subtree(child, kids)
            if uid is None or any(_ppid_uid(p)[1] == uid for p in tree):
                _kill(tree, signal.SIGKILL)
                killed += 1
        return killed

    @staticmethod
    def cleanup_stale() -> list[str]:
        """Remove labs whose owning process is gone (a test run that was SIGKILLed)."""
        stale: list[dict] = []
        if not ETC_FRR.is_dir():
            return []
        for marker in ETC_FRR.glob(f"*/{MARKER}"):
            try:
                info = json.loads(marker.read_text())
            except (OSError, ValueError):
                continue
            owner = info.get("owner_pid")
            if owner and _alive(owner) and _proc_start_time(owner) == info.get("owner_start"):
                continue  # its lab is still running
            _kill_sshd(info.get("sshd_pid"), info.get("sshd_config"))
            stale.append(info)
        threads = [threading.Thread(target=_stop_instance, args=(i["name"], i.get("netns"))) for i in stale]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return [i["name"] for i in stale]

    def __enter__(self):
        if not self.routers and not self._stopped:
            self.start()
        return self

    def __exit__(self, *exc):
        problems = self.stop()
        if problems:
            import warnings

            warnings.warn(f"FrrLab.stop: {problems}", RuntimeWarning, stacklevel=2)
        return False

    def __repr__(self):
        return f"FrrLab({[r.name for r in self.routers]}, port={self.port}, isolated={self.isolated})"

    # -- steps ----------------------------------------------------------------------------
    def _pick_names(self):
        for _ in range(100):
            tag = secrets.token_hex(2)
            names = [f"{self.prefix}{tag}r{k}" for k in range(1, self.count + 1)]
            if not any(
                (ETC_FRR / n).exists()
                or (RUN_FRR / n).exists()
                or _uid_of(n) is not None
                or Path(f"/var/run/netns/{n}").exists()
                for n in names
            ):
                claimed = []
                try:  # claim the names right away: mkdir is atomic, a parallel lab loses
                    for n in names:
                        (ETC_FRR / n).mkdir(mode=0o750)
                        claimed.append(n)
                except FileExistsError:
                    for n in claimed:
                        (ETC_FRR / n).rmdir()
                    continue
                self._names = claimed
                return
        raise FrrLabError("no free lab name found")

    def _create_instance(self, name: str):
        conf = ETC_FRR / name
        os.chown(conf, _uid_of("frr"), _gid("frr"))
        os.chmod(conf, 0o750)  # login reaches it through group frr
        isolated = self.isolated
        marker = {
            "name": name,
            "netns": name if isolated else None,
            "owner_pid": os.getpid(),
            "owner_start": _proc_start_time(os.getpid()),
            "base_dir": str(self.base_dir),
            "sshd_pid": None,
            "sshd_config": None,
        }
        _write(conf / MARKER, json.dumps(marker), 0o600, "root", "root")
        bgp_port = "" if isolated else " -p 0"  # shared network stack: one port 179 only
        _write(
            conf / "daemons",
            "\n".join(
                [
                    "# netcfg test lab instance (tests/frrlab.py)",
                    "bgpd=yes",
                    "ospfd=yes",
                    *(f"{d}=yes" for d in self.daemons if d not in DAEMONS),
                    "vtysh_enable=yes",
                    'zebra_options="-A 127.0.0.1 -P 0 -s 90000000"',
                    f'bgpd_options="-A 127.0.0.1 -P 0{bgp_port}"',
                    'ospfd_options="-A 127.0.0.1 -P 0"',
                    'staticd_options="-A 127.0.0.1 -P 0"',
                    *(f'{d}_options="-A 127.0.0.1 -P 0"' for d in self.daemons if d not in DAEMONS),
                    'frr_profile="traditional"',
                    "",
                ]
            ),
        )
        _write(conf / "vtysh.conf", f"service integrated-vtysh-config\nhostname {name}\n")
        initial = ["frr defaults traditional"]
        if isolated:
            initial.append(f"hostname {name}")
        initial += ["service integrated-vtysh-config", "interface lo", f" description {BASE_DESCRIPTION}", "exit"]
        _write(conf / "frr.conf", "\n".join(initial[:-3]) + "\n!\n" + "\n".join(initial[-3:]) + "\n!\n")
        # login: shell wrapper, user in frr + frrvty, password
        shell = conf / SHELL_NAME
        _write(shell, f'#!/bin/sh\nexec {VTYSH} -N {name} "$@"\n', 0o750, "root", "frr")
        _add_shell(shell)
        password = secrets.token_urlsafe(12)
        with _system_lock():
            for _ in range(20):
                res = _run(
                    [
                        "useradd",
                        "--system",
                        "-M",
                        "-d",
                        str(conf),
                        "-s",
                        str(shell),
                        "-N",
                        "-g",
                        "frrvty",
                        "-G",
                        "frr",
                        "-c",
                        "netcfg FRR test lab",
                        name,
                    ],
                    check=False,
                )
                if res.returncode == 0:
                    break
                if res.returncode != 10:  # 10: cannot lock /etc/passwd (another tool has it)
                    raise FrrLabError(f"useradd {name}: {res.stderr.strip()}")
                time.sleep(0.2)
            _run(["chpasswd"], input=f"{name}:{password}\n")
        # network namespace with a veth pair, then the daemons inside it
        interfaces = ["lo"]
        if isolated:
            _run(["ip", "netns", "add", name])
            _run(["ip", "-n", name, "link", "set", "lo", "up"])
            _run(["ip", "-n", name, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1"])
            _run(["ip", "-n", name, "link", "set", "eth0", "up"])
            _run(["ip", "-n", name, "link", "set", "eth1", "up"])
            interfaces += ["eth0", "eth1"]
            cmd = [
                "ip",
                "netns",
                "exec",
                name,
                "unshare",
                "--uts",
                "sh",
                "-c",
                f'hostname "$1" && exec {FRRINIT} start "$1"',
                "sh",
                name,
            ]
        else:
            cmd = [FRRINIT, "start", name]
        # frrinit.sh start runs under a small subreaper of ours: the daemons it forks off are
        # reaped the moment they exit, so `frrinit.sh stop` (which polls `kill -0 PID`) does not
        # wait for a slow PID 1 to reap zombies (about 2 s per daemon in some VMs/containers).
        reaper = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--reap", *cmd],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._reapers.append(reaper)
        self._starting.append((reaper, cmd))
        self.routers.append(
            Router(
                name=name,
                host=self.host,
                port=0,
                username=name,
                password=password,
                netns=name if isolated else None,
                interfaces=interfaces,
                initial_config=initial,
            )
        )

    def _wait_instance(self, name: str):
        """Ready = watchfrr reports every daemon Up and the startup config is loaded."""
        deadline = time.monotonic() + self.timeout
        last = ""
        while time.monotonic() < deadline:
            res = subprocess.run(
                [VTYSH, "-N", name, "-c", "show watchfrr", "-c", "show running-config"],
                capture_output=True,
                text=True,
                timeout=self.timeout,
            )
            last = res.stdout + res.stderr
            state = {
                w[0]: w[-1] for w in map(str.split, last.splitlines()) if len(w) >= 2 and w[0] in self.daemons
            }  # "  zebra    Up"
            if (
                res.returncode == 0
                and all(state.get(d) == "Up" for d in self.daemons)
                and f" description {BASE_DESCRIPTION}" in last
            ):
                return
            time.sleep(0.1)
        raise FrrLabError(f"FRR instance {name} not ready after {self.timeout}s: {last[-2000:]}")

    def _start_sshd(self):
        key = self.base_dir / "ssh_host_ed25519_key"
        if not key.exists():
            _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "netcfg-frrlab", "-f", str(key)])
        os.chmod(key, 0o600)
        self._sshd_config = self.base_dir / "sshd_config"
        log = self.base_dir / "sshd.log"
        users = " ".join(self._names)
        for _ in range(5):
            port = _free_port(self.host)
            _write(
                self._sshd_config,
                "\n".join(
                    [
                        "# netcfg FRR test lab (tests/frrlab.py); not the system sshd",
                        f"ListenAddress {self.host}:{port}",
                        f"HostKey {key}",
                        f"PidFile {self.base_dir / 'sshd.pid'}",
                        "UsePAM no",  # plain /etc/shadow check: works in containers without PAM setup
                        "PasswordAuthentication yes",
                        "KbdInteractiveAuthentication no",
                        "PubkeyAuthentication no",
                        "PermitRootLogin no",
                        "PermitEmptyPasswords no",
                        f"AllowUsers {users}",
                        "StrictModes no",
                        "UseDNS no",
                        "PrintMotd no",
                        "PrintLastLog no",
                        "X11Forwarding no",
                        "AllowTcpForwarding no",
                        "AllowAgentForwarding no",
                        "PermitTunnel no",
                        "LoginGraceTime 30",
                        "MaxStartups 50:30:100",
                        "MaxAuthTries 6",
                        "LogLevel VERBOSE",
                        "",
                    ]
                ),
                0o600,
                "root",
                "root",
            )
            _run([SSHD, "-t", "-f", str(self._sshd_config)])
            self._sshd = subprocess.Popen(
                [SSHD, "-D", "-f", str(self._sshd_config), "-E", str(log)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            self.sshd_pid = self._sshd.pid
            for name in self._names:
                _update_marker(name, sshd_pid=self.sshd_pid, sshd_config=str(self._sshd_config))
            deadline = time.monotonic() + self.timeout
            while time.monotonic() < deadline and self._sshd.poll() is None:
                if _ssh_banner(self.host, port):
                    self.port = port
                    for r in self.routers:
                        r.port = port
                    return
                time.sleep(0.05)
            text = log.read_text(errors="replace") if log.exists() else ""
            _kill_sshd(self._sshd.pid, str(self._sshd_config))
            self._sshd.wait(timeout=5)
            self._sshd = None
            if "Address already in use" not in text:
                raise FrrLabError(f"sshd did not start on {self.host}:{port}: {text[-2000:]}")
        raise FrrLabError("sshd: no free port after 5 tries")


def _gid(group: str) -> int:
    import grp

    return grp.getgrnam(group).gr_gid


def _write(path: Path, text: str, mode: int = 0o640, owner: str = "frr", group: str = "frr"):
    path.write_text(text)
    os.chown(path, _uid_of(owner), _gid(group))
    os.chmod(path, mode)


def _update_marker(name: str, **kw):
    path = ETC_FRR / name / MARKER
    try:
        info = json.loads(path.read_text())
    except (OSError, ValueError):
        return
    info.update(kw)
    path.write_text(json.dumps(info))


@contextmanager
def module_lab(tmp_path_factory, count: int, name: str):
    """`count` routers for a test module's fixture (`with module_lab(...) as lab: yield lab`): skipped where
    no lab can run, leftovers of a killed earlier run cleaned first, and stopped with nothing left behind."""
    import pytest

    if FrrLab.unavailable():
        pytest.skip(FrrLab.unavailable())
    FrrLab.cleanup_stale()
    lab = FrrLab(count, tmp_path_factory.mktemp(name))
    yield lab
    assert lab.stop() == []


if __name__ == "__main__":
    if sys.argv[1:2] == ["--reap"]:  # internal, see _reap_main
        sys.exit(_reap_main(sys.argv[2:]))

    # python tests/frrlab.py [COUNT]: a lab to poke at by hand; Ctrl-C or SIGTERM stops it
    def _interrupt(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    lab = FrrLab(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    try:
        print(f"started in {lab.timings['ready']:.2f}s, isolated={lab.isolated}", flush=True)
        for r in lab.routers:
            print(f"ssh -p {r.port} {r.username}@{r.host}   password {r.password}", flush=True)
        print("Ctrl-C to stop", flush=True)
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        print("stop:", lab.stop() or "clean", flush=True)
