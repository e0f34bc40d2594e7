"""Checks of the observability area."""

from __future__ import annotations

from lockgate.review.model import Finding

from .support import Check, CheckContext


def _none(context: CheckContext) -> list[Finding]:
    return []


CHECKS: tuple[Check, ...] = ()
