"""IAM policy documents in every shape the loaders hand over, as plain statements.

A policy may be a parsed object (``jsonencode`` or CloudFormation YAML), a JSON
string (heredoc), a reference to a ``data "aws_iam_policy_document"``, or
unresolved. :func:`documents` finds every document in the inventory with where it
sits, and :func:`statements` turns one into :class:`Statement` objects whose
values may still hold :class:`Unresolved` parts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lockgate.review.model import (
    Finding,
    Inventory,
    Location,
    Ref,
    Resource,
    Status,
    Unresolved,
)

from .support import as_list, finding, first_block, show

# (resource type, attribute path of the document, is a trust policy)
_POLICY_ATTRIBUTES: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("aws_iam_policy", ("policy",), False),
    ("aws_iam_role_policy", ("policy",), False),
    ("aws_iam_user_policy", ("policy",), False),
    ("aws_iam_group_policy", ("policy",), False),
    ("aws_iam_role", ("assume_role_policy",), True),
    ("aws_vpc_endpoint", ("policy",), False),
    ("aws_vpc_endpoint_policy", ("policy",), False),
    ("aws::iam::policy", ("PolicyDocument",), False),
    ("aws::iam::managedpolicy", ("PolicyDocument",), False),
    ("aws::iam::role", ("AssumeRolePolicyDocument",), True),
    ("aws::ec2::vpcendpoint", ("PolicyDocument",), False),
)


@dataclass(slots=True)
class Statement:
    effect: str
    actions: list[Any]
    not_actions: list[Any]
    resources: list[Any]
    principals: list[Any]
    condition_keys: set[str]
    location: Location
    unresolved: bool = False


@dataclass(slots=True)
class Document:
    """One policy document and the resource that carries it."""

    owner: Resource
    path: tuple[str | int, ...]
    trust: bool
    statements: list[Statement] = field(default_factory=list)
    unresolved: Unresolved | None = None


def documents(inventory: Inventory) -> list[Document]:
    """Every policy document declared, with its statements parsed."""
    found: list[Document] = []
    for resource in inventory.resources:
        for path, trust in _paths_of(resource):
            value = resource.get(*path)
            if value is None:
                continue
            found.append(_document(inventory, resource, path, trust, value))
    return found


def _paths_of(resource: Resource) -> Iterator[tuple[tuple[str | int, ...], bool]]:
    kind = resource.type.lower()
    for type_name, path, trust in _POLICY_ATTRIBUTES:
        if kind == type_name:
            yield path, trust
    if kind == "aws_iam_role":
        for index, _ in enumerate(as_list(resource.get("inline_policy"))):
            yield ("inline_policy", index, "policy"), False
    if kind == "aws::iam::role":
        for index, _ in enumerate(as_list(resource.get("Policies"))):
            yield ("Policies", index, "PolicyDocument"), False


def _document(
    inventory: Inventory,
    owner: Resource,
    path: tuple[str | int, ...],
    trust: bool,
    value: Any,
) -> Document:
    document = Document(owner=owner, path=path, trust=trust)
    if isinstance(value, Unresolved):
        document.unresolved = value
        return document

    if isinstance(value, Ref):
        data = _data_document(inventory, value)
        if data is None:
            document.unresolved = Unresolved(str(value), "policy document not found")
        else:
            document.statements = list(_data_statements(data))
        return document

    parsed = _parse(value)
    if parsed is None:
        document.unresolved = Unresolved(str(value)[:80], "not a policy document")
        return document
    location = owner.location_of(*path)
    for index, raw in enumerate(as_list(parsed.get("Statement"))):
        if isinstance(raw, dict):
            where = owner.location_of(*path, "Statement", index)
            if isinstance(value, str):
                where = location
            document.statements.append(_json_statement(raw, where))
        else:
            document.unresolved = Unresolved(str(raw)[:80], "statement not readable")
    return document


def _parse(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def _json_statement(raw: dict[str, Any], location: Location) -> Statement:
    keys: set[str] = set()
    conditions = raw.get("Condition")
    if isinstance(conditions, dict):
        for block in conditions.values():
            if isinstance(block, dict):
                keys.update(str(k).lower() for k in block)
    principal = raw.get("Principal")
    return Statement(
        effect=str(raw.get("Effect", "Allow")),
        actions=as_list(raw.get("Action")),
        not_actions=as_list(raw.get("NotAction")),
        resources=as_list(raw.get("Resource")),
        principals=[] if principal is None else [principal],
        condition_keys=keys,
        location=location,
        unresolved=isinstance(conditions, Unresolved),
    )


def _data_document(inventory: Inventory, ref: Ref) -> Resource | None:
    for address in (ref.target, f"data.{ref.target}"):
        found = inventory.by_address(address)
        kind = found.type.lower().removeprefix("data.") if found else ""
        if found is not None and kind == "aws_iam_policy_document":
            return found
    return None


def _data_statements(data: Resource) -> Iterator[Statement]:
    """Statements of a ``data "aws_iam_policy_document"`` block."""
    for index, raw in enumerate(as_list(data.get("statement"))):
        if not isinstance(raw, dict):
            continue
        keys = set()
        for condition in as_list(raw.get("condition")):
            variable = (
                condition.get("variable") if isinstance(condition, dict) else None
            )
            if isinstance(variable, str):
                keys.add(variable.lower())
        principals = [
            first_block(p) for p in as_list(raw.get("principals")) if p is not None
        ]
        yield Statement(
            effect=str(raw.get("effect", "Allow")),
            actions=as_list(raw.get("actions")),
            not_actions=as_list(raw.get("not_actions")),
            resources=as_list(raw.get("resources")),
            principals=principals,
            condition_keys=keys,
            location=data.location_of("statement", index),
        )


def action_matches(action: Any, prefix: str) -> bool:
    """Whether ``action`` (a string) covers something under ``prefix:``."""
    if not isinstance(action, str):
        return False
    lowered = action.lower()
    return lowered == "*" or lowered.startswith(prefix.lower() + ":")


def is_wildcard_action(action: Any, prefix: str) -> bool:
    return isinstance(action, str) and action.lower() in ("*", f"{prefix}:*")


def principal_strings(statement: Statement) -> list[str]:
    """Every principal identifier, e.g. ``*`` or ``bedrock.amazonaws.com``."""
    found: list[str] = []
    for principal in statement.principals:
        if isinstance(principal, str):
            found.append(principal)
        elif isinstance(principal, dict):
            for key, value in principal.items():
                if str(key).lower() in ("identifiers",) or str(key).lower() != "type":
                    found.extend(v for v in as_list(value) if isinstance(v, str))
    return found


def statement_finding(
    check_id: str,
    status: Status,
    message: str,
    document: Document,
    statement: Statement,
) -> Finding:
    """A finding about one statement of a policy, located at that statement."""
    owner = document.owner
    return finding(
        check_id,
        status,
        f"{owner.address}: {message}",
        owner,
        evidence=[
            f"{owner.address} grants {show(statement.actions)} "
            f"on {show(statement.resources)} ({statement.location})"
        ],
        location=statement.location,
    )
