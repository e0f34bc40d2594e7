"""Resident memory of a process and its descendants, read from /proc."""

from __future__ import annotations

from pathlib import Path

_PROC = Path("/proc")


def resident_kib(pid: int) -> int:
    """VmRSS of ``pid`` plus that of every process below it, in KiB."""
    return sum(_own_resident_kib(member) for member in _process_tree(pid))


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
