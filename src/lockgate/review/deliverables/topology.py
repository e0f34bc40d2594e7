"""The topology graph behind the diagram: networks, endpoints, services, exits.

Nodes are kept few on purpose: every network, every AI endpoint (other endpoints
are folded into one node per network), each model service, each shared DNS zone,
transit and internet exits. The renderer lays them out in columns by kind.
"""

from __future__ import annotations

from lockgate.review.model import Inventory

from . import catalog as types
from .endpoints import NO_NETWORK, is_ai_service, subnet_index
from .facts import DnsPlan, Edge, NetworkInventory, Node, Topology
from .values import identity, of_types

INTERNET = "internet"


def build_topology(
    inventory: Inventory, networks: tuple[NetworkInventory, ...], dns: DnsPlan
) -> Topology:
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []

    for network in networks:
        _add_network(network, nodes, edges)
    _add_zones(dns, nodes, edges)
    _add_exits(inventory, nodes, edges)
    return Topology(
        nodes=tuple(sorted(nodes.values(), key=lambda n: (n.kind, n.id))),
        edges=tuple(sorted(set(edges), key=lambda e: (e.source, e.target, e.label))),
    )


def _add_network(
    network: NetworkInventory, nodes: dict[str, Node], edges: list[Edge]
) -> None:
    if network.network != NO_NETWORK:
        nodes[network.network] = Node(network.network, network.network, "network")
    others = [e for e in network.endpoints if not is_ai_service(e.service)]
    for endpoint in network.endpoints:
        if not is_ai_service(endpoint.service):
            continue
        service = _service_id(endpoint.platform, endpoint.service)
        nodes[endpoint.address] = Node(endpoint.address, endpoint.address, "endpoint")
        nodes.setdefault(service, Node(service, service, "service"))
        edges.append(Edge(network.network, endpoint.address, "hosts"))
        edges.append(Edge(endpoint.address, service, "private link"))
    if others:
        folded = f"{network.network}:other-endpoints"
        label = f"{len(others)} other endpoint(s)"
        nodes[folded] = Node(folded, label, "endpoint")
        edges.append(Edge(network.network, folded, "hosts"))
    for missing in network.missing:
        service = _service_id(network.platform, missing.service)
        nodes.setdefault(service, Node(service, service, "service"))
        if network.network != NO_NETWORK:
            gap = f"{network.network}:missing:{missing.service}"
            nodes[gap] = Node(gap, f"missing: {missing.service}", "missing")
            edges.append(Edge(network.network, gap, "missing endpoint"))
            edges.append(Edge(gap, service, "missing endpoint"))
        else:
            edges.append(Edge(INTERNET, service, "public access"))
            nodes.setdefault(INTERNET, Node(INTERNET, "Internet", "internet"))


def _service_id(platform: str, service: str) -> str:
    if platform == "aws":
        return f"Amazon Bedrock ({service})"
    return service.removesuffix(" (account)")


def _add_zones(dns: DnsPlan, nodes: dict[str, Node], edges: list[Edge]) -> None:
    for zone in dns.zones:
        if zone.kind == "managed by endpoint":
            continue
        node_id = f"zone:{zone.address}"
        nodes[node_id] = Node(node_id, zone.name or zone.address, "zone")
        for network in zone.linked_networks:
            if network in nodes:
                edges.append(Edge(node_id, network, "linked"))


def _add_exits(inventory: Inventory, nodes: dict[str, Node], edges: list[Edge]) -> None:
    exits = (
        (types.NAT_GATEWAYS, "gateway", "vpc_id"),
        (types.INTERNET_GATEWAYS, "gateway", "vpc_id"),
        (types.FIREWALLS, "gateway", "vpc_id"),
        (types.TRANSIT, "transit", "vpc_id"),
    )
    subnets = subnet_index(inventory)
    for kinds, kind, network_key in exits:
        for resource in of_types(inventory, *kinds):
            nodes[resource.address] = Node(resource.address, resource.address, kind)
            network = identity(resource.get(network_key))
            subnet = identity(resource.get("subnet_id"))
            if network not in nodes and subnet in subnets:
                network = subnets[subnet][0]
            if network in nodes:
                edges.append(Edge(network, resource.address, "route"))
            if kind == "gateway":
                nodes.setdefault(INTERNET, Node(INTERNET, "Internet", "internet"))
                edges.append(Edge(resource.address, INTERNET, "egress"))
    for attachment in of_types(inventory, *types.GATEWAY_ATTACHMENTS):
        network = identity(attachment.get("vpc_id"))
        gateway = identity(
            attachment.get("internet_gateway_id") or attachment.get("VpnGatewayId")
        )
        if network in nodes and gateway in nodes:
            edges.append(Edge(network, gateway, "route"))
