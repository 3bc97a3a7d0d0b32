"""One cgroup per notebook run: a memory cap and a process cap for the notebook and every
process it starts, and the clean-up of groups a killed grader left behind.

Where the grader may create cgroups (cgroup v2 with the memory and pids controllers delegated,
or cgroup v1 ``memory`` and ``pids`` hierarchies), each run gets its own; the sandbox joins it
before bubblewrap starts (:func:`join`, in the forked child before ``exec``). See
:mod:`dualwheel.grading.sandbox` for why cgroups, and what happens where none can be made.
"""

from __future__ import annotations

import os
import re
import signal
import time
import uuid
from pathlib import Path
from typing import Any

_KIND: list[str | None] = []  # cached: "v2", "v1" or None


def _own_cgroup(controller: str | None) -> str | None:
    """This process's cgroup path in the hierarchy of ``controller`` (None: the v2 one)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        if controller is None and parts[0] == "0" and parts[1] == "":
            return parts[2]
        if controller is not None and controller in parts[1].split(","):
            return parts[2]
    return None


def _mount_of(fstype: str, option: str | None) -> Path | None:
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) >= 4 and fields[2] == fstype and (option is None or option in fields[3].split(",")):
            return Path(fields[1])
    return None


def _parents() -> dict[str, Path] | None:
    """Where this process may create per-run cgroups: {"memory": dir, "pids": dir}, or None."""
    v2 = _mount_of("cgroup2", None)
    own = _own_cgroup(None)
    if v2 is not None and own is not None:
        base = v2 / own.lstrip("/")
        try:
            enabled = (base / "cgroup.subtree_control").read_text().split()
        except OSError:
            enabled = []
        if {"memory", "pids"} <= set(enabled):
            return {"memory": base, "pids": base}
    found: dict[str, Path] = {}
    for controller in ("memory", "pids"):
        mount, own = _mount_of("cgroup", controller), _own_cgroup(controller)
        if mount is None or own is None:
            return None
        found[controller] = mount / own.lstrip("/")
    return found


def _cgroup_kind() -> str | None:
    """ "v2" or "v1" when per-run cgroups work here (tried once), else None."""
    if not _KIND:
        kind = None
        try:
            probe = RunGroup.create(64 * 2**20, 8)
        except OSError:
            probe = None
        if probe is not None:
            kind = probe.kind
            probe.remove()
        _KIND.append(kind)
    return _KIND[0]


def limit_mode() -> str:
    """One line for the instructor: how the memory and process limits are enforced here."""
    kind = _cgroup_kind()
    if kind:
        return f"memory and process limits: per notebook (cgroup {kind})"
    return "memory and process limits: per process only (no cgroup could be created here)"


#: A run's cgroup is named ``casebook-<owner token>-<random>`` (see :func:`owner_token`): after
#: a grader is killed (SIGKILL leaves no time to clean up), the next one removes the groups whose
#: grader is gone. A group of a grader in another pid namespace (a container), or with an older
#: name, is never removed: its pid means nothing here.
GROUP_PREFIX = "casebook-"
_TOKEN = r"([0-9]+)\.([0-9]+)\.([0-9]+)"


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (one of another user counts: it is not ours to clean)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pid_namespace() -> int:
    """This process's pid namespace (the inode of ``/proc/self/ns/pid``), or 0 if unknown."""
    try:
        return os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return 0


def start_time(pid: int) -> int | None:
    """When ``pid`` started (clock ticks after boot, ``/proc/<pid>/stat`` field 22), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def owner_token() -> str:
    """``<pid>.<pid namespace>.<start time>``: names this grader so that another one can tell it
    is gone (the pid is dead, or reused by a process started at another time), and never takes a
    grader in another pid namespace for a dead one."""
    pid = os.getpid()
    return f"{pid}.{pid_namespace()}.{start_time(pid) or 0}"


def owner_gone(token: str) -> bool:
    """Whether the grader named by ``token`` is gone: only when the token is well formed, its
    namespace is ours (and known), and its pid is dead or started at another time."""
    match = re.fullmatch(_TOKEN, token)
    if not match:
        return False
    pid, namespace, started = (int(g) for g in match.groups())
    if namespace == 0 or namespace != pid_namespace() or pid == os.getpid():
        return False
    if not pid_alive(pid):
        return True
    now = start_time(pid)
    return started != 0 and now is not None and now != started


def owner_pid(name: str, prefix: str) -> int | None:
    """The grader pid in a name ``<prefix><token>-...``, or None when the name is not one of ours."""
    match = re.match(re.escape(prefix) + _TOKEN + "-", name)
    return int(match.group(1)) if match else None


def clean_stale_groups() -> list[str]:
    """Remove the cgroups left by graders that are gone (:func:`owner_gone`); return their names."""
    parents = _parents()
    removed: list[str] = []
    if parents is None:
        return removed
    kind = "v2" if parents["memory"] == parents["pids"] else "v1"
    stale: dict[str, dict[str, Path]] = {}
    for controller, parent in parents.items():
        try:
            names = os.listdir(parent)
        except OSError:
            continue
        for name in names:
            match = re.fullmatch(re.escape(GROUP_PREFIX) + r"([0-9.]+)-[0-9a-f]{12}", name)
            if match and owner_gone(match.group(1)):
                stale.setdefault(name, {})[controller] = parent / name
    for name, dirs in stale.items():
        group = RunGroup(kind, {c: dirs.get(c, next(iter(dirs.values()))) for c in ("memory", "pids")})
        group.remove()
        if not any(d.exists() for d in dirs.values()):
            removed.append(name)
    return removed


class RunGroup:
    """One run's cgroup(s): a memory cap and a process cap for a whole process tree."""

    def __init__(self, kind: str, dirs: dict[str, Path]) -> None:
        self.kind = kind
        self.dirs = dirs

    @classmethod
    def create(cls, memory_bytes: int, processes: int) -> RunGroup | None:
        parents = _parents()
        if parents is None:
            return None
        name = f"{GROUP_PREFIX}{owner_token()}-{uuid.uuid4().hex[:12]}"
        kind = "v2" if parents["memory"] == parents["pids"] else "v1"
        dirs = {c: p / name for c, p in parents.items()}
        made: list[Path] = []
        try:
            for d in dict.fromkeys(dirs.values()):
                d.mkdir()
                made.append(d)
            if kind == "v2":
                (dirs["memory"] / "memory.max").write_text(str(memory_bytes))
                if (dirs["memory"] / "memory.swap.max").exists():
                    (dirs["memory"] / "memory.swap.max").write_text("0")
            else:
                (dirs["memory"] / "memory.limit_in_bytes").write_text(str(memory_bytes))
                memsw = dirs["memory"] / "memory.memsw.limit_in_bytes"
                if memsw.exists():
                    memsw.write_text(str(memory_bytes))
            (dirs["pids"] / "pids.max").write_text(str(processes))
        except OSError:
            for d in reversed(made):
                try:
                    d.rmdir()
                except OSError:
                    pass
            return None
        return cls(kind, dirs)

    def procs_files(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in dict.fromkeys(self.dirs.values())]

    def out_of_memory(self) -> bool:
        """Whether the kernel had to stop a process of this run for memory."""
        d = self.dirs["memory"]
        try:
            if self.kind == "v2":
                events = dict(line.split() for line in (d / "memory.events").read_text().splitlines())
                return int(events.get("oom_kill", 0)) > 0 or int(events.get("oom", 0)) > 0
            control = dict(line.split() for line in (d / "memory.oom_control").read_text().splitlines())
            if "oom_kill" in control:
                return int(control["oom_kill"]) > 0
            return int((d / "memory.failcnt").read_text()) > 0
        except (OSError, ValueError):
            return False

    def remove(self) -> None:
        """Kill whatever is left in the group, then remove it."""
        for d in dict.fromkeys(self.dirs.values()):
            for _ in range(100):
                try:
                    pids = [int(p) for p in (d / "cgroup.procs").read_text().split()]
                except (OSError, ValueError):
                    pids = []
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


def join(files: list[int]) -> Any:
    """A pre-exec function: the forked child writes its pid into each cgroup before exec."""

    def join() -> None:
        pid = str(os.getpid()).encode()
        for fd in files:
            os.write(fd, pid)

    return join
