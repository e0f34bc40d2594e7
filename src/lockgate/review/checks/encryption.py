"""Checks of encryption at rest with customer-managed keys (data perimeter area).

A key given by reference counts as set even when its value is unknown (checkov's
semantics for CKV_AWS_373); a key given by an unresolved expression makes the
finding UNRESOLVED.
"""

from __future__ import annotations

import json
from typing import Any

from lockgate.review.model import Finding, Resource, Status

from . import aws
from .azure import accounts, customer_key, is_terraform_native
from .support import (
    Check,
    CheckContext,
    Verdict,
    block_path,
    evidence_of,
    holds_unresolved,
    is_set_by_reference,
    judge_each,
    judged,
    mentions,
    reference_targets,
    strings_in,
    text,
    truthy,
)


def _key_status(value: Any) -> Status:
    if value is None or value == "" or value == []:
        return Status.FAIL
    if is_set_by_reference(value):
        return Status.PASS
    if holds_unresolved(value) and not reference_targets(value):
        return Status.UNRESOLVED
    return Status.PASS


def _key_finding(
    check_id: str, resource: Resource, attribute: str, what: str
) -> Finding:
    status = _key_status(resource.get(attribute))
    message = {
        Status.PASS: f"{what} is encrypted with a customer-managed key",
        Status.FAIL: f"{what} sets no customer-managed key ({attribute})",
        Status.UNRESOLVED: f"{what}: the key ({attribute}) cannot be worked out",
    }[status]
    return judged(check_id, resource, Verdict(status, message, (attribute,)))


def azure_customer_key(context: CheckContext) -> list[Finding]:
    """LG-DATA-007: AI accounts use a customer-managed key."""
    findings = []
    separate = context.declared("azurerm_cognitive_account_customer_managed_key")
    for account in accounts(context):
        setting = customer_key(account)
        external = [
            k for k in separate if mentions(k.get("cognitive_account_id"), account)
        ]
        value = setting.value
        if is_terraform_native(account) or value is None:
            status = Status.PASS if external else _key_status(value)
        else:
            source = value.get("keySource") if isinstance(value, dict) else value
            status = (
                Status.UNRESOLVED
                if holds_unresolved(source)
                else Status.PASS
                if text(source) == "Microsoft.KeyVault"
                else Status.FAIL
            )
        message = {
            Status.PASS: "encrypted with a customer-managed key",
            Status.FAIL: "no customer-managed key; platform-managed keys are used",
            Status.UNRESOLVED: "encryption settings cannot be worked out",
        }[status]
        evidence = [evidence_of(account, *setting.path)]
        evidence += [f"{k.address} ({k.location})" for k in external]
        verdict = Verdict(status, message, setting.path, evidence)
        findings.append(judged("LG-DATA-007", account, verdict))
    return findings


def agent_customer_key(context: CheckContext) -> list[Finding]:
    """LG-DATA-008: Bedrock agents set a customer-managed key."""
    return [
        _key_finding("LG-DATA-008", agent, "customer_encryption_key_arn", "agent")
        for agent in context.declared(
            "aws_bedrockagent_agent", "awscc_bedrock_agent", "AWS::Bedrock::Agent"
        )
    ]


def guardrail_customer_key(context: CheckContext) -> list[Finding]:
    """LG-DATA-010: guardrails set a customer-managed key."""
    return [
        _key_finding("LG-DATA-010", guardrail, "kms_key_arn", "guardrail")
        for guardrail in context.declared(
            "aws_bedrock_guardrail",
            "awscc_bedrock_guardrail",
            "AWS::Bedrock::Guardrail",
        )
    ]


def invocation_log_key(context: CheckContext) -> list[Finding]:
    """LG-DATA-009: the invocation log group is KMS-encrypted."""
    # Only the CloudWatch Logs destination is checked; an S3 destination's bucket
    # encryption is not looked at yet, so S3-only logging gives no finding here.
    findings = []
    for group in invocation_log_groups(context):
        findings.append(
            _key_finding("LG-DATA-009", group, "kms_key_id", "invocation log group")
        )
    return findings


def invocation_log_groups(context: CheckContext) -> list[Resource]:
    """Log groups that a Bedrock invocation logging configuration writes to."""
    groups = context.declared("aws_cloudwatch_log_group", "AWS::Logs::LogGroup")
    found: list[Resource] = []
    for config in context.declared(
        "aws_bedrock_model_invocation_logging_configuration"
    ):
        path = block_path(
            config, "logging_config", "cloudwatch_config", "log_group_name"
        )
        name = config.get(*path)
        for group in groups:
            group_name = text(group.get("name"))
            if mentions(name, group) or (
                group_name is not None and group_name in strings_in(name)
            ):
                found.append(group)
    return found


def vector_store_key(context: CheckContext) -> list[Finding]:
    """LG-DATA-020: the knowledge base's vector store uses a customer-managed key."""
    policies = aws.vector_store_policies(context, "encryption")
    return judge_each("LG-DATA-020", policies, _vector_key_verdict, " ")


def _vector_key_verdict(policy: Resource) -> Verdict:
    path: tuple[str | int, ...] = ("policy",)
    document = _json_object(policy.get(*path))
    if document is None:
        return Verdict(Status.UNRESOLVED, "encryption policy cannot be read", path)
    if truthy(document.get("AWSOwnedKey")) is True or not document.get("KmsARN"):
        return Verdict(Status.FAIL, "encrypts with an AWS-owned key", path)
    return Verdict(Status.PASS, "encrypts with a customer-managed key", path)


def _json_object(value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


CHECKS: tuple[Check, ...] = (
    azure_customer_key,
    agent_customer_key,
    invocation_log_key,
    guardrail_customer_key,
    vector_store_key,
)
