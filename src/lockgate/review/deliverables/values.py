"""Small readers for attribute values in the source's own shape.

Terraform blocks arrive as lists of dicts (or one dict), references as
:class:`~lockgate.review.model.Ref` or ``${...}`` text, CloudFormation references as
``Ref``/``{"Ref": ...}``, ARM ids as strings. These helpers smooth that over for the
builders and never guess: anything they cannot read comes back as ``None``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from lockgate.review.model import Finding, Inventory, Ref, Resource, Status, Unresolved

from .facts import FindingRef

_INTERPOLATION = re.compile(r"^\$\{([A-Za-z0-9_.\-\[\]\"]+?)(?:\[\d+\])?\}$")
_TF_REF = re.compile(
    r"^((?:module\.[A-Za-z0-9_-]+\.)*(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)"
)


def blocks(value: Any) -> list[dict[str, Any]]:
    """A nested block as a list of dicts, whichever way the loader wrote it."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def text(value: Any) -> str:
    """A value as display text; an unresolved value says so."""
    if value is None:
        return ""
    if isinstance(value, Unresolved):
        return f"unresolved ({value.expression})"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def ref_target(value: Any) -> str | None:
    """The address a value points at: a Ref, ``${type.name.attr}`` or a CFN Ref."""
    if isinstance(value, Ref):
        return value.target
    if isinstance(value, dict):
        inner = value.get("Ref") or value.get("Fn::GetAtt")
        if isinstance(inner, str):
            return inner.split(".")[0]
        if isinstance(inner, list) and inner and isinstance(inner[0], str):
            return inner[0]
        return None
    if isinstance(value, str):
        match = _INTERPOLATION.match(value.strip())
        if match:
            address = _TF_REF.match(match.group(1))
            return address.group(1) if address else None
    return None


def identity(value: Any) -> str:
    """How to name what a value refers to: its target address, else its text."""
    target = ref_target(value)
    return target if target is not None else text(value) or "unknown"


def is_false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.lower() == "false")


def is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def policy_document(value: Any) -> dict[str, Any] | None:
    """An IAM policy as a dict, from a dict or JSON text; None when unreadable."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            loaded = json.loads(value)
        except ValueError:
            return None
        return loaded if isinstance(loaded, dict) else None
    return None


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = document.get("Statement", document.get("statement"))
    return blocks(found)


def tags_of(resource: Resource) -> dict[str, Any]:
    tags = resource.get("tags")
    if isinstance(tags, dict):
        return tags
    if isinstance(tags, list):
        pairs = blocks(tags)
        return {str(t.get("Key", t.get("key"))): t.get("Value") for t in pairs}
    return {}


def finding_ref(finding: Finding) -> FindingRef:
    return FindingRef(
        check_id=finding.check.id,
        status=finding.status.value,
        severity=finding.check.severity.value,
        message=finding.message,
        resource=finding.resource or "",
        location=str(finding.location) if finding.location else "",
    )


def open_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings that need attention: failed or unresolved."""
    wanted = (Status.FAIL, Status.UNRESOLVED)
    return [f for f in findings if f.status in wanted]


def arm_type(resource: Resource) -> str:
    """The ARM type of an ``azapi_resource`` (``type = "X@api"``), else the type."""
    if resource.type.lower() == "azapi_resource":
        declared = resource.attributes.get("type")
        if isinstance(declared, str):
            return declared.split("@", 1)[0]
    return resource.type


def of_types(inventory: Inventory, *types: str) -> list[Resource]:
    """Resources of these types declared here, ``azapi_resource`` by its ARM type.

    A Bicep ``existing`` reference is left out: it points at a resource declared
    (and reviewed) somewhere else.
    """
    wanted = {t.lower() for t in types}
    return [
        r
        for r in inventory.resources
        if arm_type(r).lower() in wanted and not is_existing(r)
    ]


def is_existing(resource: Resource) -> bool:
    meta = resource.attributes.get("__meta__")
    return isinstance(meta, dict) and meta.get("existing") is True


def parent_address(address: str) -> str | None:
    """The parent of a Bicep nested child (``vnet::subnet``), else None."""
    return address.rsplit("::", 1)[0] if "::" in address else None


def declared_twins(inventory: Inventory) -> dict[str, str]:
    """Bicep ``existing`` references -> the resource declared with the same name.

    Two modules often share a resource this way (one declares it, the other refers
    to it by name); matching them lets a route added in one module reach the
    subnets that use the table in the other. Ambiguous names are left alone.
    """
    declared: dict[tuple[str, str], list[str]] = {}
    for resource in inventory.resources:
        name = resource.attributes.get("name")
        if isinstance(name, str) and not is_existing(resource):
            key = (arm_type(resource).lower(), name)
            declared.setdefault(key, []).append(resource.address)

    twins = {}
    for resource in inventory.resources:
        name = resource.attributes.get("name")
        if isinstance(name, str) and is_existing(resource):
            matches = declared.get((arm_type(resource).lower(), name), [])
            if len(matches) == 1:
                twins[resource.address] = matches[0]
    return twins
