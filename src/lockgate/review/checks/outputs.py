"""Terraform outputs: what a configuration hands to its callers and its state.

Outputs are loaded apart from the resources (``Inventory.outputs``) so that no
other check mistakes them for something deployed.

LG-IAM-016 fails every output whose value reads an AI account's access key. Marking
the output ``sensitive`` only hides it from the CLI: the key still reaches every
caller of the module and is written in plain text to the state.
"""

from __future__ import annotations

import re
from typing import Any

from lockgate.review.model import Finding, Ref, Resource, Status

from .azure import accounts, is_terraform_native
from .support import (
    CheckContext,
    evidence_of,
    finding,
    mentions,
    truthy,
    unresolved_expressions,
)

KEY_ATTRIBUTES = ("primary_access_key", "secondary_access_key")
_KEY_TEXT = re.compile(r"\b(" + "|".join(KEY_ATTRIBUTES) + r")\b")


def keys_in_outputs(context: CheckContext) -> list[Finding]:
    """LG-IAM-016: no Terraform output exports an AI account's access key."""
    native = [a for a in accounts(context) if is_terraform_native(a)]
    outputs = context.inventory.outputs
    if not native or not outputs:
        return []

    findings = []
    leaked: set[str] = set()
    for output in outputs:
        exported = _exported(output.get("value"), native)
        if exported is not None:
            findings.append(_exports_key(output, *exported))
            leaked.add(exported[0].address)

    for account in native:
        if account.address not in leaked:
            findings.append(_exports_none(account, outputs))
    return findings


def _exported(value: Any, native: list[Resource]) -> tuple[Resource, str] | None:
    """The account and key attribute ``value`` reads, if it reads one."""
    for ref in _refs(value):
        attribute = (ref.attribute or "").split(".", 1)[0]
        account = next((a for a in native if a.address == ref.target), None)
        if account is not None and attribute in KEY_ATTRIBUTES:
            return account, attribute
    for expression in unresolved_expressions(value):
        match = _KEY_TEXT.search(expression)
        account = next((a for a in native if mentions(value, a)), None)
        if match is not None and account is not None:
            return account, match.group(1)
    return None


def _refs(value: Any) -> list[Ref]:
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, dict):
        return [r for v in value.values() for r in _refs(v)]
    if isinstance(value, list | tuple):
        return [r for v in value for r in _refs(v)]
    return []


def _exports_key(output: Resource, account: Resource, attribute: str) -> Finding:
    hidden = truthy(output.get("sensitive")) is True
    note = (
        "; marked sensitive, which only hides it from the CLI: the key still reaches "
        "callers and the state"
        if hidden
        else "; the key reaches callers and the state"
    )
    return finding(
        "LG-IAM-016",
        Status.FAIL,
        f"{output.address} exports {account.address}.{attribute}{note}",
        output,
        ("value",),
        [evidence_of(output, "value"), evidence_of(output, "sensitive")],
    )


def _exports_none(account: Resource, outputs: list[Resource]) -> Finding:
    names = ", ".join(o.address for o in outputs[:5])
    more = f" and {len(outputs) - 5} more" if len(outputs) > 5 else ""
    return finding(
        "LG-IAM-016",
        Status.PASS,
        f"{account.address}: no output exports its access keys",
        account,
        evidence=[f"outputs reviewed: {names}{more}"],
    )
