"""Tiny inline resources for the check unit tests."""

from __future__ import annotations

from typing import Any

from lockgate.review.checks.support import Check, CheckContext
from lockgate.review.model import (
    Finding,
    Inventory,
    Location,
    Multiplicity,
    Resource,
    SourceFormat,
)

TF = SourceFormat.TERRAFORM
CFN = SourceFormat.CLOUDFORMATION
ARM = SourceFormat.ARM
BICEP = SourceFormat.BICEP


def res(
    type_: str,
    address: str,
    attributes: dict[str, Any],
    source: SourceFormat = TF,
    line: int = 1,
    file: str = "main.tf",
    multiplicity: Multiplicity = Multiplicity.ONE,
) -> Resource:
    """A resource whose top-level attributes sit on the lines after its own."""
    locations = {
        (key,): Location(file, line + 1 + index) for index, key in enumerate(attributes)
    }
    properties = attributes.get("properties")
    if isinstance(properties, dict):
        base = locations[("properties",)].line
        for index, key in enumerate(properties):
            locations[("properties", key)] = Location(file, base + 1 + index)
    return Resource(
        type=type_,
        address=address,
        source=source,
        location=Location(file, line),
        attributes=attributes,
        locations=locations,
        multiplicity=multiplicity,
    )


def run(check: Check, *resources: Resource) -> list[Finding]:
    return check(CheckContext(Inventory(root=".", resources=list(resources))))


def only(check: Check, *resources: Resource) -> Finding:
    findings = run(check, *resources)
    assert len(findings) == 1, [f.message for f in findings]
    return findings[0]
