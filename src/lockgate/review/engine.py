"""Run every check over an inventory and turn the findings into gates.

The gates follow the order the readiness areas depend on each other: connectivity
and identity are the foundations; data perimeter, observability and cost are built
on them. A later gate whose foundation did not pass is BLOCKED, naming the gates
that block it. A gate passes only when it has no FAIL and no UNRESOLVED finding:
a control the code cannot show is not a control that passed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from lockgate.config.settings import Settings
from lockgate.review.checks import ALL_CHECKS
from lockgate.review.checks.catalog import CATALOG
from lockgate.review.checks.support import Check, CheckContext
from lockgate.review.model import (
    Area,
    CheckSpec,
    Finding,
    Gate,
    GateStatus,
    Inventory,
    Status,
)

logger = logging.getLogger(__name__)

GATE_ORDER: tuple[Area, ...] = (
    Area.CONNECTIVITY,
    Area.IDENTITY,
    Area.DATA_PERIMETER,
    Area.OBSERVABILITY,
    Area.COST,
)
FOUNDATIONS: tuple[Area, ...] = (Area.CONNECTIVITY, Area.IDENTITY)


@dataclass(slots=True)
class ReviewResult:
    """Everything one review found, ready for the deliverables."""

    findings: list[Finding]
    gates: list[Gate]
    catalog: list[CheckSpec]
    inventory: Inventory
    notes: list[str] = field(default_factory=list)


def run_checks(
    inventory: Inventory,
    gateway: Settings | None = None,
    checks: Sequence[Check] = ALL_CHECKS,
) -> ReviewResult:
    """Run ``checks`` (every check by default) and compute the five gates."""
    context = CheckContext(inventory=inventory, gateway=gateway)
    findings: list[Finding] = []
    notes: list[str] = []
    for check in checks:
        try:
            findings.extend(check(context))
        except Exception as error:  # one broken check must not end the review
            logger.exception("check %s failed", check.__name__)
            notes.append(
                f"check {check.__name__} could not run ({type(error).__name__}); "
                "its findings are missing from this review"
            )

    findings.sort(key=_finding_order)
    logger.info(
        "review ran %d checks over %d resources: %d findings",
        len(checks),
        len(inventory.resources),
        len(findings),
    )
    return ReviewResult(
        findings=findings,
        gates=compute_gates(findings),
        catalog=list(CATALOG.values()),
        inventory=inventory,
        notes=notes,
    )


def compute_gates(findings: Sequence[Finding]) -> list[Gate]:
    """The five gates in dependency order, with later gates blocked as needed."""
    gates: list[Gate] = []
    for area in GATE_ORDER:
        failed = sum(
            1 for f in findings if f.check.area is area and f.status is Status.FAIL
        )
        unresolved = sum(
            1
            for f in findings
            if f.check.area is area and f.status is Status.UNRESOLVED
        )
        own = GateStatus.PASS if failed == 0 and unresolved == 0 else GateStatus.FAIL
        gates.append(Gate(area=area, status=own, failed=failed, unresolved=unresolved))

    foundations_down = [
        g.area
        for g in gates
        if g.area in FOUNDATIONS and g.status is not GateStatus.PASS
    ]
    for gate in gates:
        if gate.area not in FOUNDATIONS and foundations_down:
            gate.status = GateStatus.BLOCKED
            gate.blocked_by = list(foundations_down)
    return gates


def _finding_order(finding: Finding) -> tuple[int, str, str, str, int]:
    location = finding.location
    return (
        GATE_ORDER.index(finding.check.area),
        finding.check.id,
        location.file if location else "",
        finding.resource or "",
        location.line if location else 0,
    )
