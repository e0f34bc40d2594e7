"""Bedrock guardrails as things that exist and are published.

A guardrail is applied by identifier and version; without a published version
callers use the mutable DRAFT, which changes the moment someone edits it.
"""

from __future__ import annotations

from lockgate.review.model import Finding, Resource, Status

from . import aws
from .guardrails import GUARDRAIL_TYPES
from .support import (
    Check,
    CheckContext,
    Verdict,
    finding,
    judge_each,
    judged,
    mentions,
)

VERSION_TYPES = (
    "aws_bedrock_guardrail_version",
    "awscc_bedrock_guardrail_version",
    "AWS::Bedrock::GuardrailVersion",
)


def guardrail_defined(context: CheckContext) -> list[Finding]:
    """LG-DATA-106: a deployment whose compute calls Bedrock defines a guardrail."""
    guardrails = context.declared(*GUARDRAIL_TYPES)
    compute = aws.ai_compute(context)
    if not guardrails and compute:
        return [
            judged(
                "LG-DATA-106",
                compute[0],
                Verdict(Status.FAIL, "calls Bedrock, and no guardrail is defined"),
            )
        ]
    findings = []
    for guardrail in guardrails:
        findings.append(
            finding(
                "LG-DATA-106",
                Status.PASS,
                f"{guardrail.address}: a guardrail is defined",
                guardrail,
                evidence=[f"{guardrail.address} ({guardrail.location})"],
            )
        )
    return findings


def guardrail_versioned(context: CheckContext) -> list[Finding]:
    """LG-DATA-107: each guardrail has a published version."""
    versions = context.declared(*VERSION_TYPES)
    return judge_each(
        "LG-DATA-107",
        context.declared(*GUARDRAIL_TYPES),
        lambda guardrail: _judge(guardrail, versions),
    )


def _judge(guardrail: Resource, versions: list[Resource]) -> Verdict:
    version = next((v for v in versions if mentions(v.attributes, guardrail)), None)
    if version is None:
        return Verdict(
            Status.FAIL, "no published version: callers can only use the DRAFT"
        )
    return Verdict(
        Status.PASS,
        f"published as {version.address}",
        evidence=[f"{version.address} ({version.location})"],
    )


CHECKS: tuple[Check, ...] = (guardrail_defined, guardrail_versioned)
