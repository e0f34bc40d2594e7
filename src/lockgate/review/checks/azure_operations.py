"""Azure observability around the AI account beyond its own diagnostic setting:
the egress firewall's logs and the tracing of Foundry projects.

Each check looks only at deployments that create an AI account.
"""

from __future__ import annotations

from lockgate.review.model import Finding, Resource, Status

from .azure import accounts
from .support import (
    Check,
    CheckContext,
    Verdict,
    as_list,
    finding,
    judged,
    mentions,
    text,
    truthy,
)

FIREWALLS = ("Microsoft.Network/azureFirewalls", "azurerm_firewall")
PROJECTS = ("Microsoft.CognitiveServices/accounts/projects",)
CONNECTIONS = ("Microsoft.CognitiveServices/accounts/projects/connections",)
_TARGET_KEYS = ("scope", "target_resource_id")


def firewall_logs(context: CheckContext) -> list[Finding]:
    """LG-OBS-043: the egress firewall of an AI deployment logs its rule hits."""
    if not accounts(context):
        return []
    findings = []
    for firewall in context.declared(*FIREWALLS):
        settings = _settings_of(context, firewall)
        logging = [s for s in settings if _logs_enabled(s)]
        if logging:
            findings.append(
                finding(
                    "LG-OBS-043",
                    Status.PASS,
                    f"{firewall.address} sends its logs through diagnostic setting "
                    f"{logging[0].address}",
                    logging[0],
                    evidence=[f"{s.address} ({s.location})" for s in logging],
                )
            )
            continue
        findings.append(
            finding(
                "LG-OBS-043",
                Status.FAIL,
                f"{firewall.address} keeps no log of the traffic it allows or denies",
                firewall,
                evidence=[
                    f"no diagnostic setting with logs targets {firewall.address}"
                ],
            )
        )
    return findings


def _settings_of(context: CheckContext, target: Resource) -> list[Resource]:
    found = []
    for resource in context.inventory.resources:
        if "diagnosticsetting" not in resource.type.lower().replace("_", ""):
            continue
        if any(mentions(resource.get(key), target) for key in _TARGET_KEYS):
            found.append(resource)
    return found


def _logs_enabled(setting: Resource) -> bool:
    """Whether any log category or group is exported (a list left open counts)."""
    blocks = as_list(setting.get("properties", "logs")) + as_list(setting.get("logs"))
    blocks += as_list(setting.get("enabled_log"))
    return any(
        not isinstance(block, dict) or truthy(block.get("enabled")) is not False
        for block in blocks
    )


def project_tracing(context: CheckContext) -> list[Finding]:
    """LG-OBS-044: Foundry projects are connected to Application Insights."""
    if not accounts(context):
        return []
    connections = context.declared(*CONNECTIONS)
    findings = []
    for project in context.declared(*PROJECTS):
        owned = [
            c
            for c in connections
            if c.address.startswith(project.address + "::")
            or mentions(c.get("parent"), project)
        ]
        tracing = [c for c in owned if _category(c) == "appinsights"]
        # A passing project is shown at its connection, the evidence of tracing.
        subject = tracing[0] if tracing else project
        verdict = _tracing_verdict(project, owned, tracing)
        findings.append(judged("LG-OBS-044", subject, verdict, " "))
    return findings


def _tracing_verdict(
    project: Resource, owned: list[Resource], tracing: list[Resource]
) -> Verdict:
    if tracing:
        evidence = [f"{c.address} ({c.location})" for c in tracing]
        message = f"connects {project.address} to Application Insights"
        return Verdict(Status.PASS, message, (), evidence)
    if any(_category(c) is None for c in owned):
        evidence = [f"{c.address} ({c.location})" for c in owned]
        message = "has connections of a category that cannot be worked out"
        return Verdict(Status.UNRESOLVED, message, (), evidence)
    evidence = [f"no AppInsights connection belongs to {project.address}"]
    message = "has no Application Insights connection: agent runs are not traced"
    return Verdict(Status.FAIL, message, (), evidence)


def _category(connection: Resource) -> str | None:
    value = text(connection.get("properties", "category"))
    return value.lower() if value is not None else None


CHECKS: tuple[Check, ...] = (firewall_logs, project_tracing)
