"""Deliverable 3, data perimeter and egress: what may leave, where, and the gaps.

Endpoint policies, encryption keys, approved destinations and DLP rules are read
here; the egress paths come from :mod:`.egress`, flagged when they leave a network
that hosts or needs a model endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from lockgate.review.model import Area, Finding, Inventory

from . import catalog as types
from .egress import egress_paths
from .endpoints import is_ai_service
from .facts import DataPerimeter, EgressPath, NetworkInventory
from .gateway import GatewayView
from .values import (
    as_list,
    finding_ref,
    identity,
    is_true,
    of_types,
    open_findings,
    text,
)


def build_perimeter(
    inventory: Inventory,
    findings: Iterable[Finding],
    networks: tuple[NetworkInventory, ...],
    gateway: GatewayView,
) -> DataPerimeter:
    gaps = [
        finding_ref(f)
        for f in open_findings(findings)
        if f.check.area is Area.DATA_PERIMETER
    ]
    return DataPerimeter(
        endpoint_policies=_endpoint_policies(networks),
        encryption_keys=_keys(inventory),
        approved_destinations=_destinations(inventory, gateway),
        egress_paths=_mark_ai(egress_paths(inventory), networks),
        dlp_rules=_dlp(inventory, gateway),
        gaps=tuple(sorted(gaps, key=lambda g: (g.check_id, g.resource))),
    )


def _mark_ai(
    paths: list[EgressPath], networks: tuple[NetworkInventory, ...]
) -> tuple[EgressPath, ...]:
    """Flag paths out of AI networks and list them first."""
    ai = {
        n.network
        for n in networks
        if any(is_ai_service(e.service) for e in n.endpoints)
    }
    ai |= {n.network for n in networks if n.missing}
    marked = {replace(p, ai_network=p.network in ai) for p in paths}
    return tuple(sorted(marked, key=_path_key))


def _path_key(path: EgressPath) -> tuple[bool, str, str, str]:
    return (not path.ai_network, path.network, path.subnet, path.via)


def _endpoint_policies(networks: tuple[NetworkInventory, ...]) -> tuple[str, ...]:
    return tuple(
        sorted(
            f"{e.address} ({e.service}): {e.policy}"
            for n in networks
            for e in n.endpoints
            if e.platform == "aws"
        )
    )


def _keys(inventory: Inventory) -> tuple[str, ...]:
    found = [f"{k.address} ({k.type})" for k in of_types(inventory, *types.KMS_KEYS)]
    for account in of_types(inventory, *types.AI_ACCOUNTS):
        cmk = account.get("customer_managed_key") or account.get("encryption")
        state = "customer-managed key" if cmk else "platform-managed key"
        found.append(f"{account.address}: {state}")
    for link in of_types(inventory, *types.ACCOUNT_CMK):
        found.append(
            f"{identity(link.get('cognitive_account_id'))}: customer-managed key"
        )
    for agent in of_types(inventory, *types.BEDROCK_AGENTS):
        key = agent.get("customer_encryption_key_arn")
        state = f"key {identity(key)}" if key else "AWS-owned key"
        found.append(f"{agent.address}: {state}")
    return tuple(sorted(set(found)))


def _destinations(inventory: Inventory, gateway: GatewayView) -> tuple[str, ...]:
    found = [f"gateway: {host}" for host in gateway.destinations()]
    for account in of_types(inventory, *types.AI_ACCOUNTS):
        fqdns = account.get("fqdns") or account.get("allowedFqdnList")
        for fqdn in as_list(fqdns):
            found.append(f"{account.address}: {text(fqdn)}")
    for rules in of_types(inventory, *types.FIREWALL_RULES):
        for target in _firewall_targets(rules.attributes):
            found.append(f"{rules.address}: {target}")
    return tuple(sorted(set(found)))


def _firewall_targets(node: object, depth: int = 0) -> list[str]:
    """Domain lists anywhere in a firewall rule body (``targets``, FQDN lists)."""
    if depth > 10:
        return []
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("targets", "destination_fqdns", "target_fqdns"):
                found += [text(v) for v in as_list(value)]
            else:
                found += _firewall_targets(value, depth + 1)
    elif isinstance(node, list):
        for item in node:
            found += _firewall_targets(item, depth + 1)
    return found


def _dlp(inventory: Inventory, gateway: GatewayView) -> tuple[str, ...]:
    found = [f"gateway: {rule}" for rule in gateway.dlp_rules()]
    for account in of_types(inventory, *types.AI_ACCOUNTS):
        restricted = account.get("outbound_network_access_restricted")
        restricted = (
            restricted
            if restricted is not None
            else account.get("restrictOutboundNetworkAccess")
        )
        state = (
            "outbound restricted" if is_true(restricted) else "outbound not restricted"
        )
        found.append(f"{account.address}: {state}")
    for guardrail in of_types(inventory, *types.GUARDRAILS):
        policies = [
            key
            for key in (
                "sensitive_information_policy_config",
                "content_policy_config",
                "SensitiveInformationPolicyConfig",
                "ContentPolicyConfig",
            )
            if guardrail.get(key)
        ]
        found.append(
            f"{guardrail.address}: guardrail ({', '.join(policies) or 'no filters'})"
        )
    return tuple(sorted(found))
