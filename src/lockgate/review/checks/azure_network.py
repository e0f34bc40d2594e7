"""Azure private endpoints and private DNS zones joined to the AI accounts.

Private endpoints, zone groups and zones are matched by reference when the loader
kept one, else by name inside the expression text (ARM ``resourceId(...)`` calls,
Bicep symbols). Zones often live in another subscription and are named only by an
id string, so zone names are read from ids as well as from zone resources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lockgate.review.model import Finding, Ref, Resource, Status, Unresolved

from .azure import ZONE_COGNITIVE, ZONE_OPENAI, ZONE_SERVICES_AI, accounts, kind
from .support import (
    CheckContext,
    Verdict,
    as_list,
    evidence_of,
    finding,
    holds_unresolved,
    judge_each,
    mentions,
    reference_targets,
    strings_in,
    text,
)

ENDPOINT_TYPES = ("azurerm_private_endpoint", "Microsoft.Network/privateEndpoints")
GROUP_TYPE = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"
ZONE_TYPES = ("azurerm_private_dns_zone", "Microsoft.Network/privateDnsZones")
LINK_TYPES = (
    "azurerm_private_dns_zone_virtual_network_link",
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
)
VNET_TYPES = ("azurerm_virtual_network", "Microsoft.Network/virtualNetworks")
AI_ZONES = (ZONE_OPENAI, ZONE_COGNITIVE, ZONE_SERVICES_AI)
_ZONE_NAME = re.compile(r"privatelink\.[a-z.]+\.azure\.com")


@dataclass(slots=True)
class EndpointLink:
    endpoint: Resource | None
    unresolved: bool = False
    note: str = ""
    evidence: list[str] = field(default_factory=list)


def _targets_and_groups(endpoint: Resource) -> tuple[list[Any], list[Any]]:
    connections = as_list(endpoint.get("private_service_connection"))
    if endpoint.type.lower().startswith("microsoft."):
        connections = as_list(endpoint.get("privateLinkServiceConnections")) + as_list(
            endpoint.get("manualPrivateLinkServiceConnections")
        )
    targets, groups = [], []
    for connection in connections:
        if not isinstance(connection, dict):
            continue
        body = connection.get("properties", connection)
        for key, value in body.items():
            squashed = key.replace("_", "").lower()
            if squashed in ("privateconnectionresourceid", "privatelinkserviceid"):
                targets.append(value)
            if squashed in ("subresourcenames", "groupids"):
                groups.extend(as_list(value))
    return targets, groups


def private_endpoint_for(context: CheckContext, account: Resource) -> EndpointLink:
    """The private endpoint with group 'account' that targets ``account``."""
    found: EndpointLink = context.remember(
        f"azure.endpoint:{account.address}",
        lambda: _find_private_endpoint(context, account),
    )
    return found


def _find_private_endpoint(context: CheckContext, account: Resource) -> EndpointLink:
    candidates = context.declared(*ENDPOINT_TYPES)
    single_account = len(accounts(context)) == 1
    for endpoint in candidates:
        targets, groups = _targets_and_groups(endpoint)
        group_ok = any(isinstance(g, str) and g.lower() == "account" for g in groups)
        evidence = [evidence_of(endpoint, "private_service_connection")]
        if endpoint.type.lower().startswith("microsoft."):
            evidence = [evidence_of(endpoint, "privateLinkServiceConnections")]
        if not group_ok:
            continue
        if any(mentions(t, account) for t in targets):
            return EndpointLink(endpoint, False, "group id 'account'", evidence)
        if single_account and all(isinstance(t, Unresolved | Ref) for t in targets):
            unresolved = not any(isinstance(t, Ref) for t in targets)
            note = "group id 'account'; the only AI account in the reviewed code"
            return EndpointLink(endpoint, unresolved, note, evidence)
    names = ", ".join(e.address for e in candidates) or "none"
    return EndpointLink(None, False, names)


def zone_group_zones(
    context: CheckContext, endpoint: Resource
) -> list[tuple[Any, Resource]]:
    """The zone ids (or unresolved values) of the endpoint's DNS zone groups."""
    found: list[tuple[Any, Resource]] = []
    for group in as_list(endpoint.get("private_dns_zone_group")):
        if isinstance(group, dict):
            found.extend(
                (z, endpoint) for z in as_list(group.get("private_dns_zone_ids"))
            )
    for group in context.declared(GROUP_TYPE):
        owned = group.address.startswith(endpoint.address + "::") or mentions(
            group.attributes, endpoint
        )
        if not owned:
            continue
        for config in as_list(group.get("privateDnsZoneConfigs")):
            if isinstance(config, dict):
                body = config.get("properties", config)
                found.append((body.get("privateDnsZoneId"), group))
    return found


def zone_name(context: CheckContext, value: Any) -> str | None:
    """The zone name a zone id value stands for, when it can be told."""
    for zone in context.declared(*ZONE_TYPES):
        name = text(zone.get("name"))
        if name and not reference_targets(value) and mentions(value, zone):
            return name.lower()
    for target in reference_targets(value):
        referenced = context.inventory.by_address(target)
        if referenced is not None:
            name = text(referenced.get("name"))
            if name:
                return name.lower()
    for candidate in strings_in(value) + (
        [value.expression] if isinstance(value, Unresolved) else []
    ):
        match = _ZONE_NAME.search(candidate.lower())
        if match:
            return match.group(0)
    return None


def needed_zones(account: Resource) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required, recommended) zones for the account's kind."""
    if (kind(account) or "").lower() == "aiservices":
        return AI_ZONES, ()
    return (ZONE_OPENAI,), (ZONE_COGNITIVE,)


def zone_finding(
    account: Resource, endpoint: Resource, zones: list[tuple[str | None, Resource]]
) -> Finding:
    """LG-CONN-010 for one account, given the zone names read from its endpoint."""
    required, recommended = needed_zones(account)
    names = {n for n, _ in zones if n}
    unknown = [n for n, _ in zones if n is None]
    where = zones[0][1] if zones else endpoint
    evidence = [f"zone group of {endpoint.address}: {sorted(names) or 'no zones'}"]
    missing = [z for z in required if z not in names]
    advisory = [z for z in recommended if z not in names]
    if missing and unknown:
        status, message = Status.UNRESOLVED, "some zone ids cannot be read"
    elif missing:
        status, message = Status.FAIL, f"zone group lacks {', '.join(missing)}"
    elif advisory:
        status = Status.FAIL
        message = f"zone group lacks recommended {', '.join(advisory)}"
    else:
        status = Status.PASS
        message = f"zone group holds {', '.join(required + recommended)}"

    path: tuple[str | int, ...] = ()
    if where is endpoint and endpoint.get("private_dns_zone_group") is not None:
        path = ("private_dns_zone_group", 0, "private_dns_zone_ids")
    elif where is not endpoint:
        path = ("privateDnsZoneConfigs",)
    return finding(
        "LG-CONN-010",
        status,
        f"{account.address} (kind {kind(account)}): {message}",
        where,
        path,
        evidence,
    )


def agent_network(context: CheckContext) -> list[Finding]:
    """LG-CONN-017: the Foundry Agent Service runs in the customer's VNet."""
    return judge_each("LG-CONN-017", accounts(context), _agent_network_verdict)


def _agent_network_verdict(account: Resource) -> Verdict | None:
    path: tuple[str | int, ...] = ("networkInjections",)
    injections = account.get(*path)
    if injections is None:
        return None

    agent = next(
        (
            i
            for i in as_list(injections)
            if isinstance(i, dict) and str(i.get("scenario")).lower() == "agent"
        ),
        None,
    )
    managed = agent.get("useMicrosoftManagedNetwork") if agent else None
    if holds_unresolved(injections) or holds_unresolved(managed):
        return Verdict(Status.UNRESOLVED, "agent network cannot be worked out", path)
    if agent is not None and managed is False and agent.get("subnetArmId"):
        message = "injects the Agent Service into its subnet"
        return Verdict(Status.PASS, message, path)
    message = "runs the Agent Service on a Microsoft-managed network"
    return Verdict(Status.FAIL, message, path)


def same_unit(one: Resource, other: Resource) -> bool:
    """Whether two resources belong to one deployment.

    One ARM or Bicep file, or one Terraform module. Two entry points reviewed
    together (a Bicep file and its compiled ARM template) are kept apart this way.
    """
    if one.source is not other.source:
        return False
    if one.source.value.startswith("terraform"):
        return _module_prefix(one) == _module_prefix(other)
    return one.location.file == other.location.file


def _module_prefix(resource: Resource) -> str:
    if resource.module is not None:
        return resource.module
    return resource.address.rpartition(".")[0].rpartition(".")[0]


def zone_link_findings(context: CheckContext) -> list[Finding]:
    """Each AI privatelink zone is declared once and linked to the declared VNets."""
    zones = [
        z
        for z in context.declared(*ZONE_TYPES)
        if (text(z.get("name")) or "").lower() in AI_ZONES
    ]
    return [_zone_links(context, zone, zones) for zone in zones]


def _zone_links(
    context: CheckContext, zone: Resource, zones: list[Resource]
) -> Finding:
    name = (text(zone.get("name")) or "").lower()
    vnets = [v for v in context.declared(*VNET_TYPES) if same_unit(v, zone)]
    links = [
        link
        for link in context.declared(*LINK_TYPES)
        if mentions(link.attributes, zone)
        or link.address.startswith(zone.address + "::")
    ]
    twins = [
        z
        for z in zones
        if z is not zone
        and same_unit(z, zone)
        and text(z.get("name")) == zone.get("name")
    ]
    unlinked = [v for v in vnets if not any(mentions(k.attributes, v) for k in links)]

    if twins:
        status = Status.FAIL
        message = (
            f"is declared {len(twins) + 1} times ({', '.join(t.address for t in twins)}"
            "): keep one zone per name and link it to every VNet"
        )
    elif not links:
        status, message = Status.FAIL, "is linked to no virtual network"
    elif unlinked and len(vnets) > 1:
        status = Status.FAIL
        message = "is not linked to " + ", ".join(v.address for v in unlinked)
    else:
        status, message = Status.PASS, f"is linked by {len(links)} link(s)"
    evidence = [evidence_of(zone, "name")] + [
        f"{link.address} ({link.location})" for link in links
    ]
    return finding(
        "LG-CONN-012", status, f"zone {name} {message}", zone, evidence=evidence
    )
