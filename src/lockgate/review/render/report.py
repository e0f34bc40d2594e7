"""One review's complete outcome, and its document form every format renders from.

:func:`to_document` turns a :class:`Report` into plain JSON data following the
versioned schema in ``review-report.schema.json``. The Markdown and HTML renderers
read that same document, so the formats cannot disagree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from lockgate.review.deliverables.facts import Deliverables
from lockgate.review.model import (
    CheckSpec,
    Finding,
    Gate,
    GateStatus,
    Location,
    ParseProblem,
)
from lockgate.review.probes import ProbeResult

SCHEMA_VERSION = "1.0"
SCHEMA_ID = "urn:lockgate:review-report:1"
AREA_TITLES = {
    "connectivity": "Private connectivity",
    "identity": "Identity",
    "data_perimeter": "Data perimeter and egress",
    "observability": "Observability",
    "cost": "Cost",
}


@dataclass(slots=True)
class Report:
    tool_version: str
    generated_at: str
    root: str
    files: list[str]
    findings: list[Finding]
    gates: list[Gate]
    catalog: list[CheckSpec]
    problems: list[ParseProblem]
    deliverables: Deliverables
    probes: list[ProbeResult] | None = None
    notes: list[str] = field(default_factory=list)
    # Where each resource is declared, for findings that carry no location.
    resource_locations: dict[str, Location] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """Every gate passes and, when probes ran, every probe passed."""
        gates = all(g.status is GateStatus.PASS for g in self.gates)
        probes = all(p.outcome == "pass" for p in self.probes or [])
        return gates and probes

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1


def to_document(report: Report) -> dict[str, Any]:
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "lockgate", "version": report.tool_version},
        "generated_at": report.generated_at,
        "root": report.root,
        "files_reviewed": len(report.files),
        "result": "pass" if report.passed else "fail",
        "exit_code": report.exit_code,
        "gates": [_gate(g) for g in report.gates],
        "findings": [_finding(f) for f in report.findings],
        "problems": [_problem(p) for p in report.problems],
        "deliverables": _deliverables(report.deliverables),
        "probes": None if report.probes is None else [asdict(p) for p in report.probes],
        "checks": [_check(c) for c in sorted(report.catalog, key=lambda c: c.id)],
        "notes": list(report.notes),
    }


def _gate(gate: Gate) -> dict[str, Any]:
    return {
        "area": gate.area.value,
        "title": AREA_TITLES[gate.area.value],
        "status": gate.status.value,
        "blocked_by": [a.value for a in gate.blocked_by],
        "failed": gate.failed,
        "unresolved": gate.unresolved,
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "check_id": finding.check.id,
        "title": finding.check.title,
        "area": finding.check.area.value,
        "platform": finding.check.platform.value,
        "severity": finding.check.severity.value,
        "status": finding.status.value,
        "message": finding.message,
        "resource": finding.resource,
        "location": _location(finding.location),
        "origin": _location(finding.origin),
        "evidence": list(finding.evidence),
        "fix": finding.fix,
    }


def _location(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {"file": location.file, "line": location.line, "column": location.column}


def _problem(problem: ParseProblem) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line, "message": problem.message}


def _check(spec: CheckSpec) -> dict[str, Any]:
    return {
        "id": spec.id,
        "title": spec.title,
        "area": spec.area.value,
        "platform": spec.platform.value,
        "severity": spec.severity.value,
        "rationale": spec.rationale,
    }


def _deliverables(deliverables: Deliverables) -> dict[str, Any]:
    document: dict[str, Any] = _plain(asdict(deliverables))
    baseline = document["observability"]["baseline"]
    if baseline is not None:
        baseline["spend_per_day"] = [
            {"day": d, "app": a, "usd": u} for d, a, u in baseline["spend_per_day"]
        ]
        baseline["tokens_per_request"] = [
            {"app": a, "mean_tokens": t} for a, t in baseline["tokens_per_request"]
        ]
    return document


def _plain(value: Any) -> Any:
    """Tuples become lists, so the document is plain JSON data."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
