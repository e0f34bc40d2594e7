"""Lambda log groups: declared with a retention, or left for Lambda to create.

A function whose role may create log groups (AWSLambdaBasicExecutionRole) gets
``/aws/lambda/<name>`` on first call, with no retention: its logs, which may hold
prompts and completions, are kept forever and outside the code's control.
"""

from __future__ import annotations

from lockgate.review.model import Finding, Location, Resource, Status

from .support import (
    Check,
    CheckContext,
    Verdict,
    as_list,
    finding,
    judged,
    mentions,
    reference_targets,
    strings_in,
    text,
    unresolved_expressions,
)

FUNCTION_TYPES = ("aws_lambda_function", "AWS::Lambda::Function")
LOG_GROUP_TYPES = ("aws_cloudwatch_log_group", "AWS::Logs::LogGroup")
_BASIC_ROLE = "AWSLambdaBasicExecutionRole"


def function_log_retention(context: CheckContext) -> list[Finding]:
    """LG-OBS-105: each Lambda function's log group is declared with a retention."""
    groups = context.declared(*LOG_GROUP_TYPES)
    findings = []
    for function in context.declared(*FUNCTION_TYPES):
        group = next((g for g in groups if _logs_for(g, function)), None)
        if group is not None:
            findings.append(judged("LG-OBS-105", group, _retention(group)))
        else:
            findings.append(_implicit(context, function))
    return findings


def _logs_for(group: Resource, function: Resource) -> bool:
    if mentions(group.attributes, function):
        return True
    name = text(function.get("function_name")) or text(function.get("FunctionName"))
    return name is not None and any(
        t.endswith(f"/aws/lambda/{name}") for t in strings_in(group.attributes)
    )


def _retention(group: Resource) -> Verdict:
    for key in ("retention_in_days", "RetentionInDays"):
        if group.get(key) is not None:
            return Verdict(Status.PASS, "the function's logs expire", (key,))
    return Verdict(Status.FAIL, "the function's log group never expires")


def _implicit(context: CheckContext, function: Resource) -> Finding:
    """No declared log group: point at what lets Lambda create one."""
    grant = _basic_role_grant(context, function)
    subject, location = grant if grant is not None else (function, None)
    return finding(
        "LG-OBS-105",
        Status.FAIL,
        f"{function.address}: no log group is declared, so Lambda creates "
        "/aws/lambda/<name> itself and its logs never expire",
        subject,
        evidence=[f"no log group names {function.address} ({function.location})"],
        location=location,
    )


def _basic_role_grant(
    context: CheckContext, function: Resource
) -> tuple[Resource, Location] | None:
    role_value = function.get("role")
    if role_value is None:
        role_value = function.get("Role")
    roles = {t.split(".")[0] for t in reference_targets(role_value)}
    roles |= {e.split(".")[0] for e in unresolved_expressions(role_value)}
    roles |= {s.split(".")[0] for s in strings_in(role_value)}
    for role in (context.inventory.by_address(r) for r in roles):
        if role is None:
            continue
        for index, arn in enumerate(as_list(role.get("ManagedPolicyArns"))):
            if _BASIC_ROLE in " ".join(strings_in(arn) + unresolved_expressions(arn)):
                return role, role.location_of("ManagedPolicyArns", index)
    return None


CHECKS: tuple[Check, ...] = (function_log_retention,)
