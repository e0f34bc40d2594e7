"""Every way out of a subnet the code declares: the egress paths of deliverable 3.

Read from default routes (``0.0.0.0/0``, ``::/0``, Azure ``Internet``) and what they
point at, from subnets tied to a NAT gateway, from security groups and network
security groups that allow all outbound traffic, and from Azure subnets that keep
default outbound access. A route is tied to a subnet when a route-table association
names it; otherwise it is listed against its table, as "any subnet using" it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from lockgate.review.model import Inventory, Resource

from . import catalog as types
from .facts import EgressPath
from .values import (
    as_list,
    blocks,
    declared_twins,
    identity,
    is_true,
    of_types,
    parent_address,
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


def egress_paths(inventory: Inventory) -> list[EgressPath]:
    """Every way out of a subnet the code declares."""
    tables = _table_subnets(inventory)
    paths = _route_paths(inventory, tables)
    paths += _nat_associations(inventory)
    paths += _open_security_groups(inventory)
    paths += _open_network_security_groups(inventory)
    paths += _default_outbound(inventory)
    return paths


Users = dict[str, list[tuple[str, str]]]  # table or NSG -> (subnet, network)


def _table_subnets(inventory: Inventory) -> Users:
    twins = declared_twins(inventory)
    subnets: Users = defaultdict(list)
    for link in of_types(inventory, *types.ROUTE_ASSOCIATIONS):
        table = ref_target(link.get("route_table_id")) or text(
            link.get("route_table_id")
        )
        subnets[twins.get(table, table)].append((identity(link.get("subnet_id")), ""))
    for vnet, name, body in inline_subnets(inventory):
        used = ref_target((body.get("routeTable") or {}).get("id"))
        if used:
            subnets[twins.get(used, used)].append((f"{vnet}/{name}", vnet))
    return subnets


def inline_subnets(inventory: Inventory) -> list[tuple[str, str, dict[str, Any]]]:
    """(VNet address, subnet name, subnet properties) of ARM/Bicep inline subnets."""
    found = []
    for vnet in of_types(inventory, "Microsoft.Network/virtualNetworks"):
        for subnet in blocks(vnet.get("subnets")):
            body = subnet.get("properties", subnet)
            if isinstance(body, dict):
                found.append((vnet.address, text(subnet.get("name")), body))
    return found


def _route_paths(inventory: Inventory, tables: Users) -> list[EgressPath]:
    found = []
    for owner in of_types(inventory, *types.ROUTE_TABLES):
        routes = blocks(owner.get("route"))
        routes += [r.get("properties", r) for r in blocks(owner.get("routes"))]
        for block in routes:
            found += _paths_for(block, owner.address, owner, tables)
    networks = {
        t.address: identity(t.get("vpc_id") or t.get("virtual_network_name"))
        for t in of_types(inventory, *types.ROUTE_TABLES)
    }
    twins = declared_twins(inventory)
    for route in of_types(inventory, *types.ROUTES):
        table = _table_of(route)
        table = twins.get(table, table)
        body = route.attributes.get("properties", route.attributes)
        paths = _paths_for(body, table, route, tables)
        found += [_in_network(p, networks.get(table)) for p in paths]
    return found


def _table_of(route: Resource) -> str:
    named = route.get("route_table_id") or route.get("RouteTableId")
    target = ref_target(named) or ref_target(route.get("parent"))
    target = target or parent_address(route.address)
    return target or identity(named or route.get("route_table_name"))


def _in_network(path: EgressPath, network: str | None) -> EgressPath:
    if network is None or path.network not in ("", "unknown"):
        return path
    return EgressPath(path.subnet, network, path.via, path.destination, path.evidence)


def _paths_for(
    route: dict[str, Any], table: str, owner: Resource, tables: Users
) -> list[EgressPath]:
    destination = text(
        route.get("cidr_block")
        or route.get("destination_cidr_block")
        or route.get("DestinationCidrBlock")
        or route.get("address_prefix")
        or route.get("addressPrefix")
        or route.get("ipv6_cidr_block")
    )
    if destination not in DEFAULT_ROUTES and destination.lower() != "internet":
        return []
    via = _next_hop(route)
    network = identity(owner.get("vpc_id") or owner.get("VpcId"))
    users = tables.get(table) or [(f"any subnet using {table}", "")]
    location = str(owner.location)
    return [
        EgressPath(subnet, home or network, via, destination, location)
        for subnet, home in users
    ]


def _next_hop(route: dict[str, Any]) -> str:
    hop_type = route.get("next_hop_type") or route.get("nextHopType")
    if hop_type is not None:
        address = route.get("next_hop_in_ip_address") or route.get("nextHopIpAddress")
        hop = f"{text(hop_type)} {identity(address) if address else ''}"
        return hop.strip()
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
    """Azure subnets that keep default outbound access (the platform default)."""
    found = []
    for subnet in of_types(inventory, "azurerm_subnet"):
        allowed = subnet.get("default_outbound_access_enabled")
        if allowed is None or is_true(allowed):
            network = identity(subnet.get("virtual_network_name"))
            found.append(_outbound(subnet.address, network, str(subnet.location)))
    for vnet in of_types(inventory, "Microsoft.Network/virtualNetworks"):
        for block in blocks(vnet.get("subnets")):
            body = block.get("properties", block)
            if (
                isinstance(body, dict)
                and body.get("defaultOutboundAccess") is not False
            ):
                name = f"{vnet.address}/{text(block.get('name'))}"
                found.append(_outbound(name, vnet.address, str(vnet.location)))
    return found


def _outbound(subnet: str, network: str, location: str) -> EgressPath:
    return EgressPath(
        subnet, network, "Azure default outbound access", "internet", location
    )


def _open_network_security_groups(inventory: Inventory) -> list[EgressPath]:
    """Azure NSG rules that allow outbound traffic to the internet."""
    users = _nsg_subnets(inventory)
    found = []
    for group in of_types(inventory, *types.NSGS):
        rules = blocks(group.get("security_rule")) + blocks(group.get("securityRules"))
        if any(_open_outbound(rule.get("properties", rule)) for rule in rules):
            found += _nsg_paths(group.address, group, users)
    for rule in of_types(inventory, *types.NSG_RULES):
        if _open_outbound(rule.attributes.get("properties", rule.attributes)):
            owner = rule.get("network_security_group_name") or rule.get("parent")
            found += _nsg_paths(identity(owner), rule, users)
    return found


def _nsg_subnets(inventory: Inventory) -> Users:
    """NSG address -> the (subnet, network) pairs that use it."""
    users: Users = defaultdict(list)
    for link in of_types(inventory, *types.NSG_ASSOCIATIONS):
        group = identity(link.get("network_security_group_id"))
        users[group].append((identity(link.get("subnet_id")), ""))
    for vnet, name, body in inline_subnets(inventory):
        used = ref_target((body.get("networkSecurityGroup") or {}).get("id"))
        if used:
            users[used].append((f"{vnet}/{name}", vnet))
    return users


def _open_outbound(rule: dict[str, object]) -> bool:
    direction = text(rule.get("direction")).lower()
    access = text(rule.get("access")).lower()
    prefixes = as_list(rule.get("destination_address_prefix"))
    prefixes += as_list(rule.get("destinationAddressPrefix"))
    prefixes += as_list(rule.get("destination_address_prefixes"))
    wide = {"*", "internet", "0.0.0.0/0"}
    return (
        direction == "outbound"
        and access == "allow"
        and any(text(p).lower() in wide for p in prefixes)
    )


def _nsg_paths(group: str, owner: Resource, users: Users) -> list[EgressPath]:
    subnets = users.get(group) or [(f"subnets using {group}", "")]
    via = f"network security group {group} allows outbound to the internet"
    return [
        EgressPath(subnet, network, via, "internet", str(owner.location))
        for subnet, network in subnets
    ]
