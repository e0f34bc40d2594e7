"""Azure checks on the estate around an AI account: where its default routes lead,
how long its log workspace keeps records, and which Azure Policy assignments
govern it.

Each check looks only at deployments that create an AI account.
"""

from __future__ import annotations

from typing import Any

from lockgate.review.model import Finding, Resource, Status

from .azure import accounts
from .support import (
    Check,
    CheckContext,
    Verdict,
    as_list,
    evidence_of,
    finding,
    holds_unresolved,
    judge_each,
    judged,
    reference_targets,
    show,
    strings_in,
    text,
    unresolved_expressions,
)

ROUTES = ("Microsoft.Network/routeTables/routes", "azurerm_route")
ROUTE_TABLES = ("Microsoft.Network/routeTables", "azurerm_route_table")
WORKSPACES = (
    "Microsoft.OperationalInsights/workspaces",
    "azurerm_log_analytics_workspace",
)
ASSIGNMENTS = (
    "Microsoft.Authorization/policyAssignments",
    "azurerm_resource_group_policy_assignment",
    "azurerm_subscription_policy_assignment",
    "azurerm_management_group_policy_assignment",
    "azurerm_resource_policy_assignment",
)
MIN_RETENTION_DAYS = 30
# Built-in definitions that govern Azure AI Services accounts, by their name.
AI_POLICIES = {
    "71ef260a-8f18-47b7-abcb-62d0673d94dc": "key access disabled",
    "037eea7a-bd0a-46c5-9a66-03aea78705d3": "network access restricted",
    "1b4d1c4e-934c-4703-944c-27c82c06bebb": "diagnostic logs enabled",
    "67121cc7-ff39-4ab8-b7e3-95b84dab487d": "customer-managed key",
}
_FIREWALL_HOPS = ("virtualappliance", "virtualnetworkgateway", "none")

Path = tuple[str | int, ...]


def default_routes(context: CheckContext) -> list[Finding]:
    """LG-DATA-040: 0.0.0.0/0 routes of an AI deployment lead to a firewall."""
    if not accounts(context):
        return []
    findings = []
    for owner, path in _default_routes(context):
        findings.append(judged("LG-DATA-040", owner, _route_verdict(owner, path)))
    return findings


def _default_routes(context: CheckContext) -> list[tuple[Resource, Path]]:
    """(resource, path of the route's body) for every route to 0.0.0.0/0."""
    found: list[tuple[Resource, Path]] = []
    for route in context.declared(*ROUTES):
        body: Path = ("properties",) if route.get("properties") is not None else ()
        found.append((route, body))
    for table in context.declared(*ROUTE_TABLES):
        inline: Path = ("properties", "routes") if table.get("properties") else ()
        key = inline or ("route",)
        for index, entry in enumerate(as_list(table.get(*key))):
            if isinstance(entry, dict):
                nested = ("properties",) if "properties" in entry else ()
                found.append((table, (*key, index, *nested)))
    return [(r, p) for r, p in found if _prefix(r, p) in ("0.0.0.0/0", None)]


def _prefix(resource: Resource, body: Path) -> str | None:
    value = resource.get(*body, "addressPrefix")
    if value is None:
        value = resource.get(*body, "address_prefix")
    if holds_unresolved(value):
        return None
    return text(value) or ""


def _route_verdict(owner: Resource, body: Path) -> Verdict:
    key = "nextHopType" if owner.get(*body, "nextHopType") is not None else ""
    key = key or "next_hop_type"
    path: Path = (*body, key)
    hop = owner.get(*path)
    evidence = [evidence_of(owner, *path)]
    if _prefix(owner, body) is None or text(hop) is None:
        message = "a default route's next hop cannot be worked out"
        return Verdict(Status.UNRESOLVED, message, path, evidence)
    if str(hop).lower() in _FIREWALL_HOPS:
        message = f"the default route 0.0.0.0/0 leads to {hop}"
        return Verdict(Status.PASS, message, path, evidence)
    message = f"the default route 0.0.0.0/0 leads to {hop}, not to a firewall"
    return Verdict(Status.FAIL, message, path, evidence)


def workspace_retention(context: CheckContext) -> list[Finding]:
    """LG-OBS-040: Log Analytics workspaces keep logs at least 30 days."""
    if not accounts(context):
        return []
    return judge_each("LG-OBS-040", context.declared(*WORKSPACES), _retention_verdict)


def _retention_verdict(workspace: Resource) -> Verdict:
    native = workspace.type.lower().startswith("azurerm_")
    path: Path = ("retention_in_days",) if native else ("properties", "retentionInDays")
    days = workspace.get(*path)
    cap = _daily_cap(workspace)
    note = (
        f"; its daily cap of {show(cap)} GB can drop logs once reached" if cap else ""
    )

    if holds_unresolved(days) or (days is not None and not isinstance(days, int)):
        return Verdict(Status.UNRESOLVED, "retention cannot be worked out", path)
    if days is None:
        message = f"keeps logs {MIN_RETENTION_DAYS} days (platform default){note}"
        return Verdict(Status.PASS, message, path)
    if days < MIN_RETENTION_DAYS:
        message = f"keeps logs {days} day(s), under {MIN_RETENTION_DAYS}"
        return Verdict(Status.FAIL, message, path)
    return Verdict(Status.PASS, f"keeps logs {days} days{note}", path)


def _daily_cap(workspace: Resource) -> Any:
    cap = workspace.get("properties", "workspaceCapping", "dailyQuotaGb")
    if cap is None:
        cap = workspace.get("daily_quota_gb")
    return None if cap in (None, -1) else cap


def policy_assignments(context: CheckContext) -> list[Finding]:
    """LG-OBS-041: built-in Azure Policy definitions for AI Services are assigned."""
    if not accounts(context):
        return []
    findings = []
    for assignment in context.declared(*ASSIGNMENTS):
        governed = _ai_policies(context, assignment)
        if governed:
            findings.append(_assignment_finding(assignment, governed))
    if findings:
        return findings
    return [
        finding(
            "LG-OBS-041",
            Status.UNRESOLVED,
            "no Azure Policy assignment for AI Services in the reviewed code: not "
            "evidenced (often assigned at a management group)",
            evidence=["no policy assignment names " + ", ".join(AI_POLICIES)],
            language=context.language("LG-OBS-041"),
        )
    ]


def _ai_policies(context: CheckContext, assignment: Resource) -> list[str]:
    """What the assignment governs, from the names of the definitions it assigns."""
    path = _definition_path(assignment)
    value = assignment.get(*path)
    words = strings_in(value) + unresolved_expressions(value)
    for target in reference_targets(value):
        definition = context.inventory.by_address(target)
        if definition is not None:
            words.extend(strings_in(definition.get("name")))
    found = [
        what for name, what in AI_POLICIES.items() if any(name in w for w in words)
    ]
    return found


def _definition_path(assignment: Resource) -> Path:
    if assignment.type.lower().startswith("azurerm_"):
        return ("policy_definition_id",)
    return ("properties", "policyDefinitionId")


def _assignment_finding(assignment: Resource, governed: list[str]) -> Finding:
    effect = assignment.get("properties", "parameters", "effect", "value")
    mode = assignment.get("properties", "enforcementMode")
    if mode is None:
        mode = assignment.get("enforce")
    evidence = [
        evidence_of(assignment, *_definition_path(assignment)),
        f"effect {show(effect)}, enforcement {show(mode)}",
    ]
    disabled = isinstance(effect, str) and effect.lower() == "disabled"
    status = Status.FAIL if disabled else Status.PASS
    what = " and ".join(governed)
    shown = f" in {effect} mode" if isinstance(effect, str) else ""
    message = f"{assignment.address} assigns the AI Services policy for {what}{shown}"
    return finding("LG-OBS-041", status, message, assignment, evidence=evidence)


CHECKS: tuple[Check, ...] = (default_routes, workspace_retention, policy_assignments)
