"""The endpoint inventory: private connections to model services, per network.

For AWS these are interface VPC endpoints; for Azure, private endpoints whose
connection targets a Cognitive Services / AI Services account. An endpoint is an
"AI endpoint" when it reaches a model service; others (s3, ssm) are listed too so the
reader sees the whole network, but only AI services are reported missing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from lockgate.review.model import Inventory, Resource, Unresolved

from . import catalog as types
from .facts import Endpoint, MissingEndpoint, NetworkInventory
from .hosted_zones import aws_zones, served_services
from .values import (
    arm_type,
    as_list,
    blocks,
    identity,
    of_types,
    parent_address,
    ref_target,
    text,
)

_SUFFIX = re.compile(r"\.((?:bedrock|sagemaker)[a-z0-9.-]*|[a-z0-9-]+)$")
AI_PREFIXES = ("bedrock", "sagemaker")
NO_NETWORK = "(no private network)"


@dataclass(frozen=True, slots=True)
class Workloads:
    """Which AI workloads the code declares, deciding which endpoints are needed."""

    bedrock: bool
    agents: bool
    agentcore: bool
    azure_accounts: tuple[Resource, ...]


def find_workloads(
    inventory: Inventory, gateway_kinds: set[str], iam_grants_bedrock: bool = False
) -> Workloads:
    """The AI workloads: Bedrock resources, Bedrock grants, gateway upstreams."""
    bedrock = any(_is_bedrock_type(r.type) for r in inventory.resources)
    bedrock = bedrock or iam_grants_bedrock or "bedrock_converse" in gateway_kinds
    return Workloads(
        bedrock=bedrock,
        agents=bool(of_types(inventory, *types.BEDROCK_AGENTS)),
        agentcore=bool(of_types(inventory, *types.AGENTCORE)),
        azure_accounts=tuple(of_types(inventory, *types.AI_ACCOUNTS)),
    )


def _is_bedrock_type(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith(("aws_bedrock", "aws::bedrock"))


def service_suffix(resource: Resource) -> str:
    """``bedrock-runtime`` from ``com.amazonaws.us-east-1.bedrock-runtime``."""
    name = resource.get("service_name")
    if isinstance(name, Unresolved):
        name = name.expression
    name = _flatten_sub(name)
    if not isinstance(name, str):
        return "unresolved"
    match = _SUFFIX.search(name.rstrip("}"))
    return match.group(1) if match else name


def _flatten_sub(value: object) -> object:
    """CloudFormation ``!Sub`` arrives as ``{"Fn::Sub": "..."}``; keep its text."""
    if isinstance(value, dict):
        inner = value.get("Fn::Sub")
        if isinstance(inner, list) and inner:
            inner = inner[0]
        return inner
    return value


def is_ai_service(service: str) -> bool:
    return service.startswith(AI_PREFIXES) or service.endswith("(account)")


def build_inventory(
    inventory: Inventory, workloads: Workloads
) -> tuple[NetworkInventory, ...]:
    """Endpoints grouped by network, with the AI endpoints each network lacks."""
    subnets = subnet_index(inventory)
    endpoints = _aws_endpoints(inventory, subnets) + _azure_endpoints(
        inventory, subnets
    )

    by_network: dict[str, list[Endpoint]] = defaultdict(list)
    for endpoint in endpoints:
        by_network[endpoint.network].append(endpoint)
    platforms = _network_platforms(inventory)
    for network in platforms:
        by_network.setdefault(network, [])

    served = served_services(aws_zones(inventory))
    missing = _missing(by_network, platforms, workloads, endpoints, served)
    for entry in missing:
        by_network.setdefault(entry.network, [])
    return tuple(
        _network(name, by_network[name], platforms, missing, subnets)
        for name in sorted(by_network)
    )


def _network(
    name: str,
    endpoints: list[Endpoint],
    platforms: dict[str, str],
    missing: list[MissingEndpoint],
    subnets: dict[str, tuple[str, str]],
) -> NetworkInventory:
    zones = {z for e in endpoints for z in e.zones}
    zones |= {zone for net, zone in subnets.values() if net == name and zone}
    platform = platforms.get(name) or (endpoints[0].platform if endpoints else "azure")
    return NetworkInventory(
        network=name,
        platform=platform,
        zones=tuple(sorted(zones)),
        endpoints=tuple(sorted(endpoints, key=lambda e: (e.service, e.address))),
        missing=tuple(m for m in missing if m.network == name),
    )


def _network_platforms(inventory: Inventory) -> dict[str, str]:
    found = {r.address: "aws" for r in of_types(inventory, *types.VPCS)}
    found.update({r.address: "azure" for r in of_types(inventory, *types.VNETS)})
    return found


def subnet_index(inventory: Inventory) -> dict[str, tuple[str, str]]:
    """Subnet address -> (network address, zone or region)."""
    index: dict[str, tuple[str, str]] = {}
    for subnet in of_types(inventory, *types.AWS_SUBNETS):
        zone = subnet.get("availability_zone")
        zone_text = "unresolved" if isinstance(zone, Unresolved) else text(zone)
        index[subnet.address] = (identity(subnet.get("vpc_id")), zone_text)
    for subnet in of_types(inventory, *types.AZURE_SUBNETS):
        network = subnet.get("virtual_network_name") or _arm_parent(subnet)
        nested = parent_address(subnet.address)
        index[subnet.address] = (nested or identity(network), "")
    return index


def _arm_parent(subnet: Resource) -> str | None:
    parent = subnet.get("parent")
    return identity(parent) if parent is not None else None


def _aws_endpoints(
    inventory: Inventory, subnets: dict[str, tuple[str, str]]
) -> list[Endpoint]:
    policies = {
        ref_target(p.get("vpc_endpoint_id"))
        for p in of_types(inventory, *types.ENDPOINT_POLICIES)
    }
    found = []
    for resource in of_types(inventory, *types.VPC_ENDPOINTS):
        kind = text(resource.get("vpc_endpoint_type")) or "Gateway"
        subnet_ids = [
            ref_target(s) or text(s) for s in as_list(resource.get("subnet_ids"))
        ]
        zones = sorted(
            {subnets[s][1] for s in subnet_ids if s in subnets and subnets[s][1]}
        )
        has_policy = resource.get("policy") or resource.get("PolicyDocument")
        policy = (
            "custom"
            if has_policy or resource.address in policies
            else "none (full access)"
        )
        found.append(
            Endpoint(
                address=resource.address,
                service=service_suffix(resource),
                platform="aws",
                network=identity(resource.get("vpc_id")),
                zones=tuple(zones),
                private_dns=_private_dns(resource, kind),
                policy=policy,
                location=str(resource.location),
            )
        )
    return found


def _private_dns(resource: Resource, kind: str) -> str:
    value = resource.get("private_dns_enabled")
    if isinstance(value, Unresolved):
        return "unresolved"
    if value is None:
        # Terraform and CloudFormation both default private DNS to off.
        return "off" if kind.lower() == "interface" else "n/a (gateway endpoint)"
    return "on" if value in (True, "true") else "off"


def _azure_endpoints(
    inventory: Inventory, subnets: dict[str, tuple[str, str]]
) -> list[Endpoint]:
    accounts = {r.address for r in of_types(inventory, *types.AI_ACCOUNTS)}
    with_zone_group = _child_zone_groups(inventory)
    found = []
    for resource in of_types(inventory, *types.PRIVATE_ENDPOINTS):
        target, groups = _connection(resource)
        subnet = ref_target(resource.get("subnet_id")) or ref_target(
            resource.get("subnet", "id")
        )
        network = _network_of_subnet(subnet, subnets, resource)
        is_ai = target in accounts or "account" in groups
        found.append(
            Endpoint(
                address=resource.address,
                service=f"{target or 'unknown'} (account)"
                if is_ai
                else f"{target} ({'/'.join(groups)})",
                platform="azure",
                network=network,
                zones=_literal_location(resource),
                private_dns="zone group"
                if _zone_group_ids(resource) or resource.address in with_zone_group
                else "none",
                policy="n/a",
                location=str(resource.location),
            )
        )
    return found


def _network_of_subnet(
    subnet: str | None, subnets: dict[str, tuple[str, str]], endpoint: Resource
) -> str:
    if subnet in subnets:
        return subnets[subnet][0]
    nested = parent_address(subnet or "")
    if nested:
        return nested
    return identity(endpoint.get("subnet_id") or endpoint.get("subnet", "id"))


def _literal_location(resource: Resource) -> tuple[str, ...]:
    location = resource.get("location")
    return (location,) if isinstance(location, str) and location else ()


def _child_zone_groups(inventory: Inventory) -> set[str]:
    """Private endpoints that have a zone group declared as a child resource."""
    found: set[str] = set()
    for group in of_types(inventory, *types.ZONE_GROUPS):
        parent = ref_target(group.get("parent")) or parent_address(group.address)
        found.add(parent or group.address.rsplit("/", 1)[0])
    return found


def _connection(resource: Resource) -> tuple[str | None, list[str]]:
    """The resource a private endpoint connects to, and its group ids."""
    for key in (
        "private_service_connection",
        "privateLinkServiceConnections",
        "manualPrivateLinkServiceConnections",
    ):
        for block in blocks(resource.get(key)):
            body = block.get("properties", block)
            target = body.get(
                "private_connection_resource_id", body.get("privateLinkServiceId")
            )
            groups = as_list(body.get("subresource_names", body.get("groupIds")))
            return ref_target(target) or text(target), [str(g) for g in groups]
    return None, []


def _zone_group_ids(resource: Resource) -> list[str]:
    ids: list[str] = []
    for group in blocks(resource.get("private_dns_zone_group")):
        ids += [
            ref_target(z) or text(z) for z in as_list(group.get("private_dns_zone_ids"))
        ]
    return ids


def _missing(
    by_network: dict[str, list[Endpoint]],
    platforms: dict[str, str],
    workloads: Workloads,
    endpoints: list[Endpoint],
    served: set[tuple[str, str]],
) -> list[MissingEndpoint]:
    missing = _missing_aws(by_network, platforms, workloads, served)
    connected = {
        e.service.removesuffix(" (account)") for e in endpoints if e.platform == "azure"
    }
    for account in workloads.azure_accounts:
        if account.address not in connected:
            reason = f"account {account.address} has no private endpoint"
            missing.append(
                MissingEndpoint(NO_NETWORK, f"{account.address} (account)", reason)
            )
    # The same address declared in two files (two ARM templates) is listed once.
    return list(dict.fromkeys(missing))


def required_aws_services(workloads: Workloads) -> tuple[str, ...]:
    needed = ["bedrock-runtime"]
    if workloads.agents:
        needed += ["bedrock-agent-runtime"]
    if workloads.agentcore:
        needed += ["bedrock-agentcore"]
    return tuple(needed)


def _missing_aws(
    by_network: dict[str, list[Endpoint]],
    platforms: dict[str, str],
    workloads: Workloads,
    served: set[tuple[str, str]],
) -> list[MissingEndpoint]:
    """AI endpoints a network lacks, unless a hub serves it through a shared zone."""
    networks = [
        n
        for n, e in by_network.items()
        if platforms.get(n) == "aws" or any(x.platform == "aws" for x in e)
    ]
    why = (
        "Bedrock workloads are declared"
        if workloads.bedrock
        else ("no Bedrock endpoint of any kind exists in this network")
    )
    found: list[MissingEndpoint] = []
    for network in sorted(networks):
        present = {e.service for e in by_network[network]}
        for service in required_aws_services(workloads):
            if service not in present and (network, service) not in served:
                found.append(MissingEndpoint(network, service, why))
    return found


def arm_kind(resource: Resource) -> str:
    kind = resource.get("kind")
    if arm_type(resource).lower() == "azurerm_ai_services":
        return "aiservices"
    return text(kind).lower() or "openai"
