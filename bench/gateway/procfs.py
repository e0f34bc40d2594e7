"""Resident memory and CPU time of a process and its descendants, from /proc."""

from __future__ import annotations

import os
import time
from pathlib import Path

_PROC = Path("/proc")


def resident_kib(pid: int) -> int:
    """VmRSS of ``pid`` plus that of every process below it, in KiB."""
    return sum(_own_resident_kib(member) for member in _process_tree(pid))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time used so far by ``pid`` and every process below it."""
    ticks = sum(_own_cpu_ticks(member) for member in _process_tree(pid))
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_until_idle(pid: int, limit_s: float = 5.0, interval_s: float = 0.1) -> bool:
    """Wait until ``pid`` and its children use under a tenth of a CPU; False on timeout.

    A server that was just driven hard may still be finishing requests its client
    gave up on; waiting keeps that work out of the next target's measurement.
    """
    deadline = time.monotonic() + limit_s
    previous = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(interval_s)
        current = cpu_seconds(pid)
        if current - previous <= interval_s / 10:
            return True
        previous = current
    return False


def _process_tree(pid: int) -> list[int]:
    tree = [pid]
    index = 0
    while index < len(tree):
        tree.extend(_children(tree[index]))
        index += 1
    return tree


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in (_PROC / str(pid) / "task").glob("*"):
        text = (task / "children").read_text(encoding="ascii")
        children.extend(int(child) for child in text.split())
    return children


def _own_resident_kib(pid: int) -> int:
    status = (_PROC / str(pid) / "status").read_text(encoding="ascii")
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(
        f"/proc/{pid}/status has no VmRSS line; is {pid} a zombie or a kernel thread?"
    )


def _own_cpu_ticks(pid: int) -> int:
    stat = (_PROC / str(pid) / "stat").read_text(encoding="ascii")
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])
