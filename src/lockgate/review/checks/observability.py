"""Checks of observability: Bedrock invocation logging, Azure diagnostic settings.

Bedrock invocation logging is a region-wide setting usually owned outside a
workload repository, so its absence is reported as "not evidenced in IaC"
(UNRESOLVED), never as absent.
"""

from __future__ import annotations

import json
from typing import Any

from lockgate.review.model import Finding, Resource, Status

from . import aws
from .azure import accounts
from .encryption import invocation_log_groups
from .support import (
    Check,
    CheckContext,
    Verdict,
    as_list,
    block_path,
    evidence_of,
    finding,
    holds_unresolved,
    judged,
    mentions,
    not_created_for,
    reference_targets,
    strings_in,
    truthy,
)

LOGGING_TYPE = "aws_bedrock_model_invocation_logging_configuration"
LOGGING_API = "putmodelinvocationloggingconfiguration"
MIN_RETENTION_DAYS = 90
NEEDED_CATEGORIES = ("requestresponse", "azureopenairequestusage")


def _custom_logging(context: CheckContext) -> list[Resource]:
    """CloudFormation custom resources or functions that set invocation logging.

    They are recognised by the API name appearing in their properties or inline
    code; a custom resource whose code lives in a separate asset is missed.
    """
    found = []
    for resource in context.inventory.resources:
        kind = resource.type.lower()
        custom = (
            kind.startswith("custom::") or kind == "aws::cloudformation::customresource"
        )
        function = kind in ("aws::lambda::function", "aws_lambda_function")
        if (custom or function) and any(
            LOGGING_API in s.lower() for s in strings_in(resource.attributes)
        ):
            found.append(resource)
    return found


def logging_evidenced(context: CheckContext) -> list[Finding]:
    """LG-OBS-001: Bedrock model invocation logging is configured in the code."""
    if not aws.has_ai_workload(context):
        return []
    configs = context.declared(LOGGING_TYPE)
    custom = _custom_logging(context)
    if not configs and not custom:
        return [
            finding(
                "LG-OBS-001",
                Status.UNRESOLVED,
                "Bedrock model invocation logging is not evidenced in the reviewed "
                "code (it is per region and may be owned elsewhere); no resource "
                "to point at",
                evidence=[
                    f"no {LOGGING_TYPE} and no custom resource calling "
                    "PutModelInvocationLoggingConfiguration"
                ],
                language=context.language("LG-OBS-001"),
            )
        ]
    return [
        finding(
            "LG-OBS-001",
            Status.PASS,
            f"{r.address} configures model invocation logging",
            r,
            evidence=[f"{r.type} {r.address} ({r.location})"],
        )
        for r in configs + custom
    ]


def logging_delivery(context: CheckContext) -> list[Finding]:
    """LG-OBS-002: invocation logging delivers text to a destination."""
    findings = []
    for config in context.declared(LOGGING_TYPE):
        text_path = block_path(config, "logging_config", "text_data_delivery_enabled")
        text_on = config.get(*text_path)
        s3 = config.get(*block_path(config, "logging_config", "s3_config"))
        cloudwatch = config.get(
            *block_path(config, "logging_config", "cloudwatch_config")
        )
        evidence = [evidence_of(config, *text_path)]
        if holds_unresolved(text_on):
            status, message = Status.UNRESOLVED, "text delivery cannot be worked out"
        elif truthy(text_on) is False:
            status, message = Status.FAIL, "text delivery is off"
        elif not s3 and not cloudwatch:
            status, message = Status.FAIL, "no S3 or CloudWatch destination"
        else:
            where = " and ".join(
                n for n, v in (("S3", s3), ("CloudWatch Logs", cloudwatch)) if v
            )
            status, message = Status.PASS, f"text delivered to {where}"
        findings.append(
            judged("LG-OBS-002", config, Verdict(status, message, (), evidence))
        )
    return findings


def log_retention(context: CheckContext) -> list[Finding]:
    """LG-OBS-003: the invocation log group keeps logs long enough for audit."""
    findings = []
    for group in invocation_log_groups(context):
        days = group.get("retention_in_days")
        if holds_unresolved(days):
            status, message = Status.UNRESOLVED, "retention cannot be worked out"
        elif days is None:
            status, message = Status.FAIL, "no retention_in_days: logs are kept forever"
        elif isinstance(days, int) and days < MIN_RETENTION_DAYS:
            status = Status.FAIL
            message = f"retention is {days} day(s), under {MIN_RETENTION_DAYS}"
        else:
            status, message = Status.PASS, f"retention is {days} days"
        findings.append(
            judged(
                "LG-OBS-003", group, Verdict(status, message, ("retention_in_days",))
            )
        )
    return findings


def large_payloads(context: CheckContext) -> list[Finding]:
    """LG-OBS-004: CloudWatch delivery has an S3 location for large payloads."""
    findings = []
    for config in context.declared(LOGGING_TYPE):
        cloud_path = block_path(config, "logging_config", "cloudwatch_config")
        if not config.get(*cloud_path):
            continue
        large = config.get(*cloud_path, "large_data_delivery_s3_config")
        status = Status.PASS if large else Status.FAIL
        findings.append(
            finding(
                "LG-OBS-004",
                status,
                f"{config.address}: "
                + (
                    "large payloads go to S3"
                    if large
                    else "no large_data_delivery_s3_config: payloads too large for "
                    "CloudWatch are not logged"
                ),
                config,
                cloud_path,
                [evidence_of(config, *cloud_path)],
            )
        )
    return findings


def mantle_blind_spot(context: CheckContext) -> list[Finding]:
    """LG-OBS-005: mantle traffic is outside invocation logging."""
    return [
        finding(
            "LG-OBS-005",
            Status.FAIL,
            f"{e.resource.address} carries bedrock-mantle traffic, which model "
            "invocation logging does not capture",
            e.resource,
            ("service_name",),
            [evidence_of(e.resource, "service_name")],
        )
        for e in aws.bedrock_endpoints(context)
        if e.suffix == "bedrock-mantle"
    ]


def _diagnostic_settings(context: CheckContext, account: Resource) -> list[Resource]:
    """Diagnostic settings aimed at ``account``.

    Settings that reference their target are indexed by it once per review;
    only those without a reference are matched by name, one account at a time.
    """
    by_target, unreferenced = context.remember(
        "azure.diagnostic_settings", lambda: _index_diagnostic_settings(context)
    )
    found = list(by_target.get(account.address, []))
    found += [
        r
        for r in unreferenced
        if r.address.startswith(account.address + "::")
        or any(mentions(r.get(key), account) for key in _TARGET_KEYS)
    ]
    return found


_TARGET_KEYS = ("target_resource_id", "scope", "name")


def _index_diagnostic_settings(
    context: CheckContext,
) -> tuple[dict[str, list[Resource]], list[Resource]]:
    by_target: dict[str, list[Resource]] = {}
    unreferenced: list[Resource] = []
    for resource in context.inventory.resources:
        if "diagnosticsetting" not in resource.type.lower().replace("_", ""):
            continue
        targets = {
            t for key in _TARGET_KEYS for t in reference_targets(resource.get(key))
        }
        if not targets:
            unreferenced.append(resource)
        for target in targets:
            by_target.setdefault(target, []).append(resource)
    return by_target, unreferenced


def azure_diagnostics(context: CheckContext) -> list[Finding]:
    """LG-OBS-006: each AI account has a diagnostic setting."""
    findings = []
    for account in accounts(context):
        settings = _diagnostic_settings(context, account)
        if settings:
            findings.append(
                finding(
                    "LG-OBS-006",
                    Status.PASS,
                    f"{account.address} has diagnostic setting {settings[0].address}",
                    settings[0],
                    evidence=[f"{s.address} ({s.location})" for s in settings],
                )
            )
        else:
            findings.append(_no_diagnostic_setting(context, account))
    return findings


def _no_diagnostic_setting(context: CheckContext, account: Resource) -> Finding:
    """LG-OBS-006 FAIL: at the setting declared with zero instances, if any."""
    message = f"{account.address} has no diagnostic setting: no request or audit logs"
    switched_off = not_created_for(context, _DIAGNOSTIC_TYPES, account)
    if switched_off is None:
        return finding(
            "LG-OBS-006",
            Status.FAIL,
            f"{message} are kept",
            account,
            evidence=[f"no diagnostic setting targets {account.address}"],
        )
    setting, loop = switched_off
    return finding(
        "LG-OBS-006",
        Status.FAIL,
        f"{message} are kept ({setting.address} is declared but its {loop[0]} "
        "makes no instance)",
        setting,
        loop,
        [f"{setting.address} has zero instances ({setting.location})"],
    )


_DIAGNOSTIC_TYPES = ("azurerm_monitor_diagnostic_setting",)


def azure_log_categories(context: CheckContext) -> list[Finding]:
    """LG-OBS-007: diagnostic settings export RequestResponse and usage logs."""
    findings = []
    for account in accounts(context):
        for setting in _diagnostic_settings(context, account):
            categories = _categories(setting)
            path: tuple[str | int, ...] = (
                ("logs",) if setting.get("logs") is not None else ("enabled_log",)
            )
            evidence = [f"{setting.address} categories {sorted(map(str, categories))}"]
            names = {c.lower() for c in categories if isinstance(c, str)}
            missing = [c for c in NEEDED_CATEGORIES if c not in names]
            if "alllogs" in names or not missing:
                status, message = Status.PASS, "exports request and usage logs"
            elif any(not isinstance(c, str) for c in categories):
                status, message = Status.UNRESOLVED, "categories cannot be worked out"
            else:
                status = Status.FAIL
                message = f"does not export {', '.join(missing)}"
            findings.append(
                judged("LG-OBS-007", setting, Verdict(status, message, path, evidence))
            )
    return findings


def _categories(setting: Resource) -> list[Any]:
    found: list[Any] = []
    blocks = as_list(setting.get("enabled_log")) + as_list(setting.get("log"))
    blocks += as_list(setting.get("logs"))
    for block in blocks:
        if not isinstance(block, dict):
            found.append(block)
            continue
        if truthy(block.get("enabled")) is False:
            continue
        for key, value in block.items():
            if key.replace("_", "").lower() in ("category", "categorygroup"):
                found.append(value)
    return found


def api_access_logs(context: CheckContext) -> list[Finding]:
    """LG-OBS-008: the AI API's stages write access logs."""
    if not aws.has_ai_workload(context):
        return []
    findings = []
    for stage in context.declared("aws_api_gateway_stage", "AWS::ApiGateway::Stage"):
        key = (
            "AccessLogSetting"
            if stage.source.value == "cloudformation"
            else ("access_log_settings")
        )
        settings = stage.get(key)
        if holds_unresolved(settings):
            status, message = Status.UNRESOLVED, "access logging cannot be worked out"
        elif settings:
            status, message = Status.PASS, "writes access logs"
        else:
            status, message = Status.FAIL, f"has no {key}: calls leave no access log"
        findings.append(
            judged("LG-OBS-008", stage, Verdict(status, message, (key,)), " ")
        )
    return findings


def container_logs(context: CheckContext) -> list[Finding]:
    """LG-OBS-009: containers calling Bedrock ship their logs."""
    findings = []
    for task in aws.ai_compute(context):
        if task.type.lower() not in (
            "aws_ecs_task_definition",
            "aws::ecs::taskdefinition",
        ):
            continue
        containers = _containers(task.get("container_definitions"))
        for index, container in enumerate(containers):
            logged = any(
                k.replace("_", "").lower() == "logconfiguration" and v
                for k, v in container.items()
            )
            path = ("container_definitions", index)
            findings.append(
                finding(
                    "LG-OBS-009",
                    Status.PASS if logged else Status.FAIL,
                    f"{task.address} container {container.get('Name') or index} "
                    + ("ships its logs" if logged else "has no LogConfiguration"),
                    task,
                    path,
                    [evidence_of(task, *path).split(" = ")[0]],
                )
            )
    return findings


def _containers(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [c for c in as_list(value) if isinstance(c, dict)]


CHECKS: tuple[Check, ...] = (
    logging_evidenced,
    logging_delivery,
    log_retention,
    large_payloads,
    mantle_blind_spot,
    azure_diagnostics,
    azure_log_categories,
    api_access_logs,
    container_logs,
)
