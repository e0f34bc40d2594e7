"""Who may read and write S3: grants scoped to buckets, and bucket policies that
name roles rather than people.

An identity policy with s3: actions on every bucket reaches data far beyond the
workload's own; a bucket policy that names one person's SSO role breaks when that
permission set is re-provisioned and hides who else needs access.
"""

from __future__ import annotations

import json
from typing import Any

from lockgate.review.model import Finding, Path, Resource, Status, Unresolved

from . import aws
from .policies import Statement, action_matches, statement_finding
from .support import (
    Check,
    CheckContext,
    Verdict,
    as_list,
    judge_each,
    show,
    strings_in,
    unresolved_expressions,
)

_SSO_ROLE = "AWSReservedSSO_"


def s3_grants_scoped(context: CheckContext) -> list[Finding]:
    """LG-IAM-106: s3: actions name buckets, not every bucket."""
    findings = []
    for document in aws.all_documents(context):
        if document.trust:
            continue
        for statement in document.statements:
            if not _grants_s3(statement):
                continue
            status, message = _judge_s3(statement.resources)
            findings.append(
                statement_finding("LG-IAM-106", status, message, document, statement)
            )
    return findings


def _grants_s3(statement: Statement) -> bool:
    return statement.effect.lower() == "allow" and any(
        action_matches(a, "s3") and a != "*" for a in statement.actions
    )


def _judge_s3(resources: list[Any]) -> tuple[Status, str]:
    verdicts = [_bucket_named(r) for r in resources] or [None]
    if False in verdicts:
        return Status.FAIL, f"S3 actions apply to every bucket ({show(resources)})"
    if None in verdicts:
        return Status.UNRESOLVED, (
            f"the buckets the S3 actions apply to cannot be read ({show(resources)})"
        )
    return Status.PASS, "S3 actions are scoped to named buckets"


def _bucket_named(value: Any) -> bool | None:
    if isinstance(value, Unresolved):
        return True if "aws_s3_bucket." in value.expression else None
    if not isinstance(value, str):
        return True if value is not None and "aws_s3_bucket." in str(value) else None
    if value in ("*", "arn:aws:s3:::*", "arn:aws:s3:::*/*"):
        return False
    return value.startswith("arn:aws:s3:::")


def bucket_policy_principals(context: CheckContext) -> list[Finding]:
    """LG-IAM-105: bucket policies do not name individual SSO roles."""
    return judge_each(
        "LG-IAM-105", context.declared("aws_s3_bucket_policy"), _judge_policy
    )


def _judge_policy(policy: Resource) -> Verdict | None:
    document = _decoded(policy.get("policy"))
    if document is None:
        return None
    for index, statement in enumerate(as_list(document.get("Statement"))):
        if not isinstance(statement, dict):
            continue
        principal = statement.get("Principal")
        named = _sso_role_path(principal, ())
        if named is not None:
            where, text = named
            return Verdict(
                Status.FAIL,
                "hard-codes an IAM Identity Center role "
                f"({_role_name(text)}); grant a role or group "
                "that outlives one permission-set deployment",
                ("policy", "Statement", index, "Principal", *where),
            )
    return Verdict(Status.PASS, "names no IAM Identity Center role", ("policy",))


def _decoded(value: Any) -> dict[str, Any] | None:
    """The policy as an object, whether written as one or as JSON text."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def _sso_role_path(node: Any, at: Path) -> tuple[Path, str] | None:
    """Where in a principal an IAM Identity Center role is named, and the text."""
    texts = strings_in(node) + unresolved_expressions(node)
    named = next((t for t in texts if _SSO_ROLE in t), None)
    if named is None:
        return None
    children: list[tuple[str | int, Any]] = []
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    for key, child in children:
        found = _sso_role_path(child, (*at, key))
        if found is not None:
            return found
    return at, named


def _role_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1].strip('"')


CHECKS: tuple[Check, ...] = (s3_grants_scoped, bucket_policy_principals)
