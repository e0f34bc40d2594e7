"""Checks that model traffic passes a guardrail (checkov CKV_AWS_383 and more).

A guardrail is the content perimeter: prompt-attack and sensitive-information
filters stop data leaving through the model. Only attachment to agents is
checked; guardrails applied per call by application code are not visible in IaC.
"""

from __future__ import annotations

from lockgate.review.model import Finding, Status

from .support import (
    Check,
    CheckContext,
    Verdict,
    as_list,
    block_path,
    holds_unresolved,
    judged,
)

AGENT_TYPES = ("aws_bedrockagent_agent", "awscc_bedrock_agent", "AWS::Bedrock::Agent")


def agent_guardrail(context: CheckContext) -> list[Finding]:
    """LG-DATA-018: Bedrock agents have a guardrail attached."""
    findings = []
    for agent in context.declared(*AGENT_TYPES):
        config = agent.get("guardrail_configuration")
        if holds_unresolved(config):
            status, message = Status.UNRESOLVED, "its guardrail cannot be worked out"
        elif config:
            status, message = Status.PASS, "has a guardrail attached"
        elif agent.get("foundation_model") is None:
            # An agent with no model is an incomplete declaration (a fixture or a
            # partial template); saying it lacks a guardrail would over-report.
            status = Status.UNRESOLVED
            message = "declares no model and no guardrail: incomplete, not judged"
        else:
            status = Status.FAIL
            message = "has no guardrail: prompts and answers pass unfiltered"
        findings.append(
            judged(
                "LG-DATA-018",
                agent,
                Verdict(status, message, ("guardrail_configuration",)),
                " ",
            )
        )
    return findings


GUARDRAIL_TYPES = (
    "aws_bedrock_guardrail",
    "awscc_bedrock_guardrail",
    "AWS::Bedrock::Guardrail",
)


def prompt_attack_filter(context: CheckContext) -> list[Finding]:
    """LG-DATA-019: guardrails filter prompt attacks."""
    findings = []
    for guardrail in context.declared(*GUARDRAIL_TYPES):
        config = block_path(guardrail, "content_policy_config")
        filters_path = (*config, "filters_config")
        filters = as_list(guardrail.get(*filters_path))
        if holds_unresolved(filters):
            status, message, path = (
                Status.UNRESOLVED,
                "filters cannot be worked out",
                config,
            )
        else:
            kinds = [str(f.get("type")).upper() for f in filters if isinstance(f, dict)]
            index = kinds.index("PROMPT_ATTACK") if "PROMPT_ATTACK" in kinds else None
            if index is not None:
                status, message = Status.PASS, "filters prompt attacks"
                path = (*filters_path, index)
            else:
                status = Status.FAIL
                message = f"has no PROMPT_ATTACK filter (filters: {kinds or 'none'})"
                path = config
        findings.append(
            judged("LG-DATA-019", guardrail, Verdict(status, message, path), " ")
        )
    return findings


CHECKS: tuple[Check, ...] = (agent_guardrail, prompt_attack_filter)
