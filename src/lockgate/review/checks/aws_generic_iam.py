"""Identity checks that hold for any AWS deployment, AI or not.

Log-writing grants, OpenSearch Serverless data access rules, exclusive managed
policy attachments and permissions boundaries: each is judged wherever it is
declared, so a shared-services or platform repository is reviewed too.
"""

from __future__ import annotations

from typing import Any

from lockgate.review.model import Finding, Resource, Status, Unresolved

from . import aws
from .policies import Document, Statement, action_matches, statement_finding
from .support import (
    Check,
    CheckContext,
    Verdict,
    as_list,
    judge_each,
    show,
    strings_in,
    text,
)

_BROAD_MANAGED = ("AmazonS3ReadOnlyAccess", "AmazonS3FullAccess", "AdministratorAccess")


def log_grants_scoped(context: CheckContext) -> list[Finding]:
    """LG-IAM-101: log-writing permissions name this account, region or log group."""
    findings = []
    for document in aws.all_documents(context):
        if document.trust:
            continue
        for statement in _log_statements(document):
            status, message = _judge_log_resources(statement.resources)
            findings.append(
                statement_finding("LG-IAM-101", status, message, document, statement)
            )
    return findings


def _log_statements(document: Document) -> list[Statement]:
    return [
        s
        for s in document.statements
        if s.effect.lower() == "allow"
        and any(action_matches(a, "logs") and a != "*" for a in s.actions)
    ]


def _judge_log_resources(resources: list[Any]) -> tuple[Status, str]:
    verdicts = [_log_resource(r) for r in resources] or [None]
    if False in verdicts:
        return Status.FAIL, (
            f"log permissions apply to every account and region ({show(resources)})"
        )
    if None in verdicts:
        return Status.UNRESOLVED, (
            f"the scope of the log permissions cannot be worked out ({show(resources)})"
        )
    return Status.PASS, "log permissions are scoped to this account and region"


def _log_resource(value: Any) -> bool | None:
    """True: scoped; False: any account or region; None: cannot tell."""
    raw = value.expression if isinstance(value, Unresolved) else value
    if not isinstance(raw, str):
        return None
    cleaned = raw.strip().strip('"')
    if cleaned == "*":
        return False
    if "aws_cloudwatch_log_group." in cleaned and ".arn" in cleaned:
        return True
    parts = cleaned.split(":")
    if len(parts) < 6 or parts[0] != "arn":
        return None
    region, account = parts[3], parts[4]
    return not ({"*", ""} & {region, account})


def data_access_scoped(context: CheckContext) -> list[Finding]:
    """LG-IAM-102: OpenSearch Serverless data access rules name their permissions."""
    policies = [
        p
        for p in context.declared("aws_opensearchserverless_access_policy")
        if text(p.get("type")) in (None, "data")
    ]
    return judge_each("LG-IAM-102", policies, _judge_data_access)


def _judge_data_access(policy: Resource) -> Verdict | None:
    value = policy.get("policy")
    if isinstance(value, Unresolved):
        return Verdict(Status.UNRESOLVED, "the data access policy cannot be read")
    permissions = [
        p
        for rule in _rules(value)
        for p in as_list(rule.get("Permission"))
        if isinstance(p, str)
    ]
    if not permissions:
        return None
    wild = sorted({p for p in permissions if p.lower() in ("aoss:*", "*")})
    if wild:
        return Verdict(
            Status.FAIL,
            f"grants {', '.join(wild)} on the collection and its indexes",
            ("policy",),
        )
    return Verdict(Status.PASS, "names each data permission it grants", ("policy",))


def _rules(value: Any) -> list[dict[str, Any]]:
    return [
        rule
        for entry in as_list(value)
        if isinstance(entry, dict)
        for rule in as_list(entry.get("Rules"))
        if isinstance(rule, dict)
    ]


def managed_attachments(context: CheckContext) -> list[Finding]:
    """LG-IAM-103: no account-wide managed policy or exclusive attachment."""
    attachments = context.declared("aws_iam_policy_attachment")
    attachments += context.declared("aws_iam_role_policy_attachment")
    return judge_each("LG-IAM-103", attachments, _judge_attachment)


def _judge_attachment(attachment: Resource) -> Verdict | None:
    arn = " ".join(strings_in(attachment.get("policy_arn")))
    broad = next((n for n in _BROAD_MANAGED if arn.endswith(f"/{n}")), None)
    exclusive = attachment.type == "aws_iam_policy_attachment"
    if broad is None and not exclusive:
        return None
    problems = []
    if broad is not None:
        problems.append(f"attaches {broad}, which covers every such resource")
    if exclusive:
        problems.append(
            "uses aws_iam_policy_attachment, which detaches the policy from every "
            "other role, user and group"
        )
    return Verdict(Status.FAIL, "; ".join(problems), ("policy_arn",))


def permissions_boundary(context: CheckContext) -> list[Finding]:
    """LG-IAM-104: a role's permissions boundary wired to an input left unset."""
    return judge_each("LG-IAM-104", context.declared("aws_iam_role"), _judge_boundary)


def _judge_boundary(role: Resource) -> Verdict | None:
    path = ("permissions_boundary",)
    if path not in role.locations:
        return None
    value = role.get(*path)
    if value is None or isinstance(value, Unresolved):
        # Whether a boundary is required is an organisation's rule; an unset
        # input leaves the role without one, which the code alone cannot judge.
        return Verdict(
            Status.UNRESOLVED,
            "the permissions boundary comes from an input left unset, so the role "
            "has none unless the caller sets it",
            path,
        )
    return Verdict(Status.PASS, "has a permissions boundary", path)


CHECKS: tuple[Check, ...] = (
    log_grants_scoped,
    data_access_scoped,
    managed_attachments,
    permissions_boundary,
)
