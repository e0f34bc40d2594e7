"""Deliverable 3, data perimeter and egress: what may leave, where, and the gaps.

Egress paths are read from default routes (``0.0.0.0/0``, ``::/0``) and what they
point at, from subnets tied to a NAT gateway, and from security-group rules that
allow all egress. A path is tied to a subnet when a route-table association names
it; otherwise it is listed against its route table, as "any subnet using" it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from lockgate.review.model import Area, Finding, Inventory, Resource

from . import catalog as types
from .endpoints import is_ai_service
from .facts import DataPerimeter, EgressPath, NetworkInventory
from .gateway import GatewayView
from .values import (
    as_list,
    blocks,
    finding_ref,
    identity,
    is_true,
    of_types,
    open_findings,
    ref_target,
    text,
)

DEFAULT_ROUTES = ("0.0.0.0/0", "::/0")
_NEXT_HOPS = (
    ("nat_gateway_id", "NAT gateway"),
    ("NatGatewayId", "NAT gateway"),
    ("gateway_id", "internet gateway"),
    ("GatewayId", "internet gateway"),
    ("transit_gateway_id", "transit gateway"),
    ("TransitGatewayId", "transit gateway"),
    ("vpc_endpoint_id", "firewall endpoint"),
    ("network_interface_id", "network appliance"),
    ("next_hop_in_ip_address", "virtual appliance"),
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


def egress_paths(inventory: Inventory) -> list[EgressPath]:
    """Every way out of a subnet the code declares."""
    tables = _table_subnets(inventory)
    paths = _route_paths(inventory, tables)
    paths += _nat_associations(inventory)
    paths += _open_security_groups(inventory)
    paths += _default_outbound(inventory)
    return paths


def _table_subnets(inventory: Inventory) -> dict[str, list[str]]:
    subnets: dict[str, list[str]] = defaultdict(list)
    for link in of_types(inventory, *types.ROUTE_ASSOCIATIONS):
        table = ref_target(link.get("route_table_id")) or text(
            link.get("route_table_id")
        )
        subnets[table].append(identity(link.get("subnet_id")))
    return subnets


def _route_paths(
    inventory: Inventory, tables: dict[str, list[str]]
) -> list[EgressPath]:
    found = []
    for owner in of_types(inventory, *types.ROUTE_TABLES):
        for block in blocks(owner.get("route")):
            found += _paths_for(block, owner.address, owner, tables)
    networks = {
        t.address: identity(t.get("vpc_id") or t.get("virtual_network_name"))
        for t in of_types(inventory, *types.ROUTE_TABLES)
    }
    for route in of_types(inventory, *types.ROUTES):
        table = ref_target(route.get("route_table_id")) or identity(
            route.get("route_table_name") or route.get("RouteTableId")
        )
        paths = _paths_for(route.attributes, table, route, tables)
        found += [_in_network(p, networks.get(table)) for p in paths]
    return found


def _in_network(path: EgressPath, network: str | None) -> EgressPath:
    if network is None or path.network not in ("", "unknown"):
        return path
    return EgressPath(path.subnet, network, path.via, path.destination, path.evidence)


def _paths_for(
    route: dict[str, object], table: str, owner: Resource, tables: dict[str, list[str]]
) -> list[EgressPath]:
    destination = text(
        route.get("cidr_block")
        or route.get("destination_cidr_block")
        or route.get("DestinationCidrBlock")
        or route.get("address_prefix")
        or route.get("ipv6_cidr_block")
    )
    if destination not in DEFAULT_ROUTES and destination.lower() != "internet":
        return []
    via = _next_hop(route)
    network = identity(
        owner.get("vpc_id") or owner.get("VpcId") or owner.get("resource_group_name")
    )
    subnets = tables.get(table) or [f"any subnet using {table}"]
    return [
        EgressPath(s, network, via, destination, str(owner.location)) for s in subnets
    ]


def _next_hop(route: dict[str, object]) -> str:
    hop_type = route.get("next_hop_type")
    if hop_type is not None:
        return f"{text(hop_type)} {text(route.get('next_hop_in_ip_address'))}".strip()
    for key, name in _NEXT_HOPS:
        value = route.get(key)
        if value:
            return f"{name} {identity(value)}"
    return "unknown next hop"


def _nat_associations(inventory: Inventory) -> list[EgressPath]:
    return [
        EgressPath(
            identity(link.get("subnet_id")),
            "",
            f"NAT gateway {identity(link.get('nat_gateway_id'))}",
            "internet",
            str(link.location),
        )
        for link in of_types(inventory, *types.NAT_ASSOCIATIONS)
    ]


def _open_security_groups(inventory: Inventory) -> list[EgressPath]:
    found = []
    for group in of_types(inventory, *types.SECURITY_GROUPS):
        rules = blocks(group.get("egress")) + blocks(group.get("SecurityGroupEgress"))
        if any(_open_rule(rule) for rule in rules):
            found.append(_sg_path(group.address, group))
    for rule in of_types(inventory, *types.SG_EGRESS):
        if _open_rule(rule.attributes):
            found.append(
                _sg_path(
                    identity(rule.get("security_group_id") or rule.get("GroupId")), rule
                )
            )
    return found


def _open_rule(rule: dict[str, object]) -> bool:
    cidrs = as_list(rule.get("cidr_blocks")) + as_list(rule.get("ipv6_cidr_blocks"))
    cidrs += as_list(rule.get("cidr_ipv4")) + as_list(rule.get("CidrIp"))
    return any(text(c) in DEFAULT_ROUTES for c in cidrs)


def _sg_path(group: str, owner: Resource) -> EgressPath:
    network = identity(owner.get("vpc_id") or owner.get("VpcId"))
    return EgressPath(
        f"members of {group}",
        network,
        "security group allows all egress",
        "0.0.0.0/0",
        str(owner.location),
    )


def _default_outbound(inventory: Inventory) -> list[EgressPath]:
    found = []
    for subnet in of_types(inventory, "azurerm_subnet"):
        allowed = subnet.get("default_outbound_access_enabled")
        if allowed is None or is_true(allowed):
            network = identity(subnet.get("virtual_network_name"))
            found.append(
                EgressPath(
                    subnet.address,
                    network,
                    "Azure default outbound access",
                    "internet",
                    str(subnet.location),
                )
            )
    return found
