"""Azure data-perimeter checks around the AI account: the egress firewall's rules
and the telemetry sinks that receive prompts and traces.
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
    judged,
    show,
    text,
    truthy,
)

RULE_GROUPS = (
    "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
    "azurerm_firewall_policy_rule_collection_group",
)
SINKS = (
    "Microsoft.OperationalInsights/workspaces",
    "Microsoft.Insights/components",
    "azurerm_log_analytics_workspace",
    "azurerm_application_insights",
)

Path = tuple[str | int, ...]


def firewall_rules(context: CheckContext) -> list[Finding]:
    """LG-DATA-016: egress firewall rules name their destinations."""
    if not accounts(context):
        return []
    findings = []
    for group in context.declared(*RULE_GROUPS):
        open_rules = [
            (_at_wildcard(group, p), why)
            for p, rule in _rules(group)
            if (why := _open(rule))
        ]
        if not open_rules:
            findings.append(
                finding(
                    "LG-DATA-016",
                    Status.PASS,
                    f"{group.address}: every allow rule names its destinations",
                    group,
                    evidence=[f"{group.address} ({group.location})"],
                )
            )
        for path, why in open_rules:
            findings.append(
                finding(
                    "LG-DATA-016",
                    Status.FAIL,
                    f"{group.address}: an allow rule {why}; egress passes the "
                    "firewall but is not restricted",
                    group,
                    path,
                    [evidence_of(group, *path)],
                )
            )
    return findings


def _rules(group: Resource) -> list[tuple[Path, dict[str, Any]]]:
    """(path of the deciding list, rule) for every rule of every collection."""
    found: list[tuple[Path, dict[str, Any]]] = []
    for index, collection in enumerate(as_list(group.get("ruleCollections"))):
        if not isinstance(collection, dict):
            continue
        action = collection.get("action")
        kind = text(action.get("type")) if isinstance(action, dict) else "Allow"
        if (kind or "Allow").lower() != "allow":
            continue
        for number, rule in enumerate(as_list(collection.get("rules"))):
            if isinstance(rule, dict):
                base: Path = ("ruleCollections", index, "rules", number)
                found.append(((*_arm(group), *base, _deciding(rule)), rule))
    for block in ("application_rule_collection", "network_rule_collection"):
        for index, collection in enumerate(as_list(group.get(block))):
            rules = collection.get("rule") if isinstance(collection, dict) else None
            for number, rule in enumerate(as_list(rules)):
                if isinstance(rule, dict):
                    found.append(
                        ((block, index, "rule", number, _deciding(rule)), rule)
                    )
    return found


def _at_wildcard(group: Resource, path: Path) -> Path:
    """The path of the ``'*'`` entry itself, so the finding points at it."""
    values = group.get(*path)
    if isinstance(values, list) and "*" in values:
        return (*path, values.index("*"))
    return path


def _arm(group: Resource) -> Path:
    return ("properties",) if group.attributes.get("properties") is not None else ()


def _deciding(rule: dict[str, Any]) -> str:
    for key in ("targetFqdns", "destination_fqdns", "destinationAddresses"):
        if key in rule:
            return key
    return "destination_addresses"


def _open(rule: dict[str, Any]) -> str | None:
    fqdns = as_list(rule.get("targetFqdns")) + as_list(rule.get("destination_fqdns"))
    if "*" in fqdns:
        return "allows every FQDN ('*')"
    addresses = as_list(rule.get("destinationAddresses")) + as_list(
        rule.get("destination_addresses")
    )
    ports = as_list(rule.get("destinationPorts")) + as_list(
        rule.get("destination_ports")
    )
    if "*" in addresses and "*" in ports:
        return "allows any destination on any port"
    return None


def telemetry_sinks(context: CheckContext) -> list[Finding]:
    """LG-DATA-017: the workspaces receiving AI telemetry accept no public traffic."""
    if not accounts(context):
        return []
    findings = []
    for sink in context.declared(*SINKS):
        path, on = _public_ingestion(sink)
        if holds_unresolved(sink.get(*path)):
            status, message = Status.UNRESOLVED, "public ingestion cannot be worked out"
        elif on:
            status, message = Status.FAIL, "accepts ingestion from public networks"
        else:
            status, message = Status.PASS, "accepts ingestion only privately"
        findings.append(
            judged(
                "LG-DATA-017",
                sink,
                Verdict(
                    status,
                    message,
                    path,
                    [f"{evidence_of(sink, *path)} value {show(sink.get(*path))}"],
                ),
                " ",
            )
        )
    return findings


def _public_ingestion(sink: Resource) -> tuple[Path, bool]:
    if sink.type.lower().startswith("azurerm_"):
        value = sink.get("internet_ingestion_enabled")
        return ("internet_ingestion_enabled",), truthy(value) is not False
    value = sink.get("publicNetworkAccessForIngestion")
    on = value is None or (isinstance(value, str) and value.lower() == "enabled")
    return ("publicNetworkAccessForIngestion",), on


CHECKS: tuple[Check, ...] = (firewall_rules, telemetry_sinks)
