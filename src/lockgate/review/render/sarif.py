"""SARIF 2.1.0 output, for code-scanning tools.

Each catalog check is a rule; each FAIL finding is a ``fail`` result with a level
from its severity, and each UNRESOLVED finding a ``review`` result (level ``none``,
as the standard requires for any kind but ``fail``). Passing checks are left out.
Files that could not be parsed are tool execution notifications, so a scanner shows
them rather than silently reviewing less.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

from lockgate.review.model import CheckSpec, Finding, Location, ParseProblem, Status

from .report import Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
ROOT_ID = "%SRCROOT%"
_LEVELS = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "note",
    "info": "note",
}
# GitHub code scanning sorts security results by this 0-10 score.
_SECURITY_SEVERITY = {
    "critical": "9.5",
    "high": "8.0",
    "medium": "5.5",
    "low": "3.0",
    "info": "0.0",
}


def render_sarif(report: Report) -> str:
    return orjson.dumps(to_sarif(report), option=orjson.OPT_INDENT_2).decode()


def to_sarif(report: Report) -> dict[str, Any]:
    rules = sorted(report.catalog, key=lambda c: c.id)
    index = {rule.id: position for position, rule in enumerate(rules)}
    results = [
        _result(f, index, _where(f, report))
        for f in report.findings
        if f.status in (Status.FAIL, Status.UNRESOLVED) and f.check.id in index
    ]
    run = {
        "tool": {
            "driver": {
                "name": "lockgate",
                "version": report.tool_version,
                "rules": [_rule(rule) for rule in rules],
            }
        },
        "invocations": [_invocation(report.problems)],
        "originalUriBaseIds": {ROOT_ID: {"uri": _root_uri(report.root)}},
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _root_uri(root: str) -> str:
    uri = Path(root).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _rule(spec: CheckSpec) -> dict[str, Any]:
    severity = spec.severity.value
    fixes = "\n\n".join(f"{lang}:\n{snippet}" for lang, snippet in spec.fix.items())
    help_text = spec.rationale + (f"\n\nFix:\n{fixes}" if fixes else "")
    return {
        "id": spec.id,
        "name": _rule_name(spec.id),
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": spec.rationale or spec.title},
        "help": {"text": help_text or spec.title},
        "defaultConfiguration": {"level": _LEVELS[severity]},
        "properties": {
            "area": spec.area.value,
            "platform": spec.platform.value,
            "severity": severity,
            "security-severity": _SECURITY_SEVERITY[severity],
            "tags": ["security", spec.area.value, spec.platform.value],
        },
    }


def _rule_name(check_id: str) -> str:
    return "".join(part.capitalize() for part in check_id.replace("-", "_").split("_"))


def _where(finding: Finding, report: Report) -> tuple[Location | None, bool]:
    """The finding's location; else its resource's; else the first file reviewed.

    Code-scanning services reject a result without a location, so a finding about
    something absent ("no budget in the code") is pinned to line 1 of the first
    reviewed file and marked ``locationInferred``.
    """
    if finding.location is not None:
        return finding.location, False
    declared = report.resource_locations.get(finding.resource or "")
    if declared is not None:
        return declared, True
    if report.files:
        return Location(sorted(report.files)[0], 1), True
    return None, False


def _result(
    finding: Finding, index: dict[str, int], where: tuple[Location | None, bool]
) -> dict[str, Any]:
    failed = finding.status is Status.FAIL
    result: dict[str, Any] = {
        "ruleId": finding.check.id,
        "ruleIndex": index[finding.check.id],
        "kind": "fail" if failed else "review",
        "level": _LEVELS[finding.check.severity.value] if failed else "none",
        "message": {"text": finding.message or finding.check.title},
        "partialFingerprints": {"lockgateFinding/v1": _fingerprint(finding)},
        "properties": {"status": finding.status.value, "evidence": finding.evidence},
    }
    location, inferred = where
    if location is not None:
        result["locations"] = [_location(location, finding.resource)]
    if finding.origin is not None:
        origin = _location(finding.origin, None)
        origin["message"] = {"text": "where the value was set"}
        result["relatedLocations"] = [{"id": 1, **origin}]
    if inferred:
        result["properties"]["locationInferred"] = True
    if finding.fix:
        result["properties"]["fix"] = finding.fix
    return result


def _fingerprint(finding: Finding) -> str:
    where = finding.location.file if finding.location else ""
    key = f"{finding.check.id}|{finding.resource or ''}|{where}|{finding.message}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _location(location: Location, resource: str | None) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": location.file, "uriBaseId": ROOT_ID}
    }
    if location.line >= 1:
        region: dict[str, Any] = {"startLine": location.line}
        if location.column >= 1:
            region["startColumn"] = location.column
        physical["region"] = region
    found: dict[str, Any] = {"physicalLocation": physical}
    if resource:
        found["logicalLocations"] = [
            {"fullyQualifiedName": resource, "kind": "resource"}
        ]
    return found


def _invocation(problems: list[ParseProblem]) -> dict[str, Any]:
    notifications = []
    for problem in problems:
        location = Location(problem.file, problem.line or 0)
        notifications.append(
            {
                "level": "error",
                "message": {
                    "text": f"could not read {problem.file}: {problem.message}"
                },
                "locations": [_location(location, None)],
                "descriptor": {"id": "parse-problem"},
            }
        )
    return {"executionSuccessful": True, "toolExecutionNotifications": notifications}
