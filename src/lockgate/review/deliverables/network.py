"""Deliverable 1, network and connectivity design: inventory, DNS, hub or not, map."""

from __future__ import annotations

import re

from lockgate.review.model import Inventory, Resource

from . import catalog as types
from .dns import build_dns_plan
from .endpoints import Workloads, build_inventory, is_ai_service
from .facts import DnsPlan, HubSpokeDecision, NetworkDesign, NetworkInventory
from .topology import build_topology
from .values import of_types

# Past this many AI networks (or with more than one account) per-network endpoints
# cost more to run and keep consistent than one shared hub.
CENTRALISE_AT_NETWORKS = 3
CENTRALISE_AT_ACCOUNTS = 2

_AWS_ACCOUNT = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):")
_AZURE_SUBSCRIPTION = re.compile(r"/subscriptions/([0-9a-fA-F-]{36})", re.IGNORECASE)


def build_network_design(inventory: Inventory, workloads: Workloads) -> NetworkDesign:
    networks = build_inventory(inventory, workloads)
    dns = build_dns_plan(inventory, networks, workloads)
    return NetworkDesign(
        networks=networks,
        dns=dns,
        hub_spoke=decide_hub_spoke(inventory, networks, dns),
        topology=build_topology(inventory, networks, dns),
    )


def decide_hub_spoke(
    inventory: Inventory, networks: tuple[NetworkInventory, ...], dns: DnsPlan
) -> HubSpokeDecision:
    """Per-network endpoints while AI networks are few; a hub once they are many."""
    ai_networks = sum(1 for n in networks if _is_ai_network(n))
    accounts = max(1, len(_accounts(inventory))) if inventory.resources else 0
    pattern = _pattern(inventory, networks, dns)

    many = ai_networks >= CENTRALISE_AT_NETWORKS or accounts >= CENTRALISE_AT_ACCOUNTS
    decision = "centralise in a hub" if many else "endpoints per network"
    reason = f"{ai_networks} AI network(s) across {accounts} account(s); " + (
        f"at {CENTRALISE_AT_NETWORKS} or more networks or {CENTRALISE_AT_ACCOUNTS} "
        "or more accounts, one hub with shared endpoints and DNS zones linked to "
        "every spoke is cheaper and easier to keep consistent"
        if many
        else "with so few networks, endpoints in each network are simpler than a "
        "hub with shared DNS zones and transit routing"
    )
    if pattern == "hub-and-spoke" and not many:
        reason += "; the code already has a hub-and-spoke layout, which is worth "
        reason += "keeping if more VPCs or accounts will call models"
    return HubSpokeDecision(ai_networks, accounts, pattern, decision, reason)


def _is_ai_network(network: NetworkInventory) -> bool:
    return any(is_ai_service(e.service) for e in network.endpoints) or bool(
        network.missing
    )


def _accounts(inventory: Inventory) -> set[str]:
    found: set[str] = set()
    for resource in inventory.resources:
        _collect_accounts(resource.attributes, found, depth=0)
    return found


def _collect_accounts(value: object, found: set[str], depth: int) -> None:
    if depth > 8:
        return
    if isinstance(value, str):
        found.update(_AWS_ACCOUNT.findall(value))
        found.update(s.lower() for s in _AZURE_SUBSCRIPTION.findall(value))
    elif isinstance(value, dict):
        for item in value.values():
            _collect_accounts(item, found, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _collect_accounts(item, found, depth + 1)


def _pattern(
    inventory: Inventory, networks: tuple[NetworkInventory, ...], dns: DnsPlan
) -> str:
    transit = bool(of_types(inventory, *types.TRANSIT)) or _hub_module(inventory)
    dns_off = any(
        e.private_dns == "off"
        for n in networks
        for e in n.endpoints
        if e.platform == "aws"
    )
    shared_zone = any(
        len(z.linked_networks) > 1
        or any(n.startswith("each of") for n in z.linked_networks)
        for z in dns.zones
        if z.kind != "managed by endpoint"
    )
    if transit and (dns_off or shared_zone):
        return "hub-and-spoke"
    if any(n.endpoints for n in networks):
        return "per-network"
    return "none"


def _hub_module(inventory: Inventory) -> bool:
    return any(_is_hub_module(r) for r in inventory.resources if r.type == "module")


def _is_hub_module(resource: Resource) -> bool:
    source = resource.get("source")
    return isinstance(source, str) and "hubandspoke" in source.replace("-", "")
