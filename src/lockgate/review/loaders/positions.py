"""Attribute locations from decoder nodes that carry ``start_mark`` (cfn-lint's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lockgate.review.model import Location, Path


def record_positions(
    node: Any, locate: Callable[[int], Location], prefix: Path = ()
) -> dict[Path, Location]:
    """Map every key path under ``node`` to the line its key (or item) starts on."""
    found: dict[Path, Location] = {}
    _walk(node, prefix, locate, found)
    return found


def _walk(
    node: Any,
    path: Path,
    locate: Callable[[int], Location],
    found: dict[Path, Location],
) -> None:
    if isinstance(node, dict):
        if _is_function(node):
            return
        for key, value in node.items():
            child = (*path, str(key))
            line = mark_line(key) or mark_line(value)
            if line is not None:
                found[child] = locate(line)
            _walk(value, child, locate, found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            child = (*path, index)
            line = mark_line(value)
            if line is not None:
                found[child] = locate(line)
            _walk(value, child, locate, found)


def _is_function(node: dict[Any, Any]) -> bool:
    if len(node) != 1:
        return False
    key = str(next(iter(node)))
    return key.startswith("Fn::") or key in ("Ref", "Condition")


def mark_line(node: Any) -> int | None:
    """The 1-based line a decoder node starts on, if it knows."""
    mark = getattr(node, "start_mark", None)
    return None if mark is None else int(mark.line) + 1
