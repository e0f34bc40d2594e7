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
ACCOUNT_TYPE = "Microsoft.CognitiveServices/accounts"


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
    locations: dict[tuple[str | int, ...], Location] = {
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


def account(
    address: str,
    properties: dict[str, Any],
    source: SourceFormat,
    line: int = 1,
    file: str = "main.tf",
    **top: Any,
) -> Resource:
    """An ARM or Bicep AI account: ``top`` (``kind`` ...) written before
    ``properties``."""
    attributes = {**top, "properties": properties}
    return res(ACCOUNT_TYPE, address, attributes, source, line, file)


def vpc_endpoint(suffix: str, address: str, line: int, **attributes: Any) -> Resource:
    """A Terraform interface endpoint for ``com.amazonaws.us-east-1.<suffix>``."""
    service = f"com.amazonaws.us-east-1.{suffix}"
    attributes = {"service_name": service, **attributes}
    return res("aws_vpc_endpoint", address, attributes, line=line)


def run(check: Check, *resources: Resource) -> list[Finding]:
    return check(CheckContext(Inventory(root=".", resources=list(resources))))


def only(check: Check, *resources: Resource) -> Finding:
    findings = run(check, *resources)
    assert len(findings) == 1, [f.message for f in findings]
    return findings[0]
