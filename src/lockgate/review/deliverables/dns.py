"""The DNS resolution plan: which names resolve privately, and where.

AWS: an interface endpoint with private DNS on brings its own managed zone, visible
only in its VPC; a hub endpoint with private DNS off needs a Route 53 private hosted
zone named after the full service hostname and associated with every spoke. Azure:
one Private DNS zone per name (``privatelink.openai.azure.com`` and friends) linked
to every VNet that calls the account.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lockgate.review.model import Inventory, Resource

from . import catalog as types
from .endpoints import Workloads, arm_kind, is_ai_service
from .facts import DnsPlan, DnsZone, NetworkInventory
from .hosted_zones import aws_zones
from .values import identity, of_types, parent_address, ref_target, text


def build_dns_plan(
    inventory: Inventory, networks: tuple[NetworkInventory, ...], workloads: Workloads
) -> DnsPlan:
    zones = aws_zones(inventory) + _azure_zones(inventory) + _managed_zones(networks)
    zones.sort(key=lambda z: (z.name, z.address))
    names = {z.name.rstrip(".").lower() for z in zones}

    required = _required_zones(networks, workloads)
    missing = tuple(name for name in required if not _covered(name, names))
    return DnsPlan(
        zones=tuple(zones),
        resolvers=_resolvers(inventory),
        forwarding_rules=_rules(inventory),
        required_zones=required,
        missing_zones=missing,
        notes=_vpc_dns_notes(inventory),
    )


def _covered(name: str, present: set[str]) -> bool:
    """Whether a zone serves ``name``; ``<region>`` stands for any region."""
    pattern = re.escape(name).replace(re.escape("<region>"), "[a-z0-9-]+")
    return any(re.fullmatch(pattern, p) for p in present)


def _azure_zones(inventory: Inventory) -> list[DnsZone]:
    links: dict[str, list[str]] = defaultdict(list)
    for link in of_types(inventory, *types.AZURE_ZONE_LINKS):
        zone_name = _zone_of_link(link)
        network = link.get("virtual_network_id") or link.get("virtualNetwork", "id")
        links[zone_name].append(identity(network))

    found = []
    for zone in of_types(inventory, *types.AZURE_ZONES):
        linked = sorted(set(links.get(zone.address, [])))
        name = text(zone.get("name"))
        found.append(
            DnsZone(
                name,
                zone.address,
                "private DNS zone",
                tuple(linked),
                str(zone.location),
            )
        )
    return found


def _zone_of_link(link: Resource) -> str:
    """The zone a virtual network link belongs to, however it names it."""
    named = link.get("private_dns_zone_name")
    parent = link.get("parent")
    found = ref_target(named) or ref_target(parent) or parent_address(link.address)
    if found:
        return found
    return text(named) or text(parent) or link.address.split("/", 1)[0]


def _managed_zones(networks: tuple[NetworkInventory, ...]) -> list[DnsZone]:
    """Zones an AWS endpoint manages itself when private DNS is on."""
    found = []
    for network in networks:
        for endpoint in network.endpoints:
            if endpoint.platform == "aws" and endpoint.private_dns == "on":
                name = f"{endpoint.service}.<region>.amazonaws.com"
                found.append(
                    DnsZone(
                        name,
                        endpoint.address,
                        "managed by endpoint",
                        (network.network,),
                        endpoint.location,
                    )
                )
    return found


def _required_zones(
    networks: tuple[NetworkInventory, ...], workloads: Workloads
) -> tuple[str, ...]:
    required: set[str] = set()
    for network in networks:
        for endpoint in network.endpoints:
            if (
                endpoint.platform == "aws"
                and is_ai_service(endpoint.service)
                and (endpoint.private_dns != "on")
            ):
                required.add(f"{endpoint.service}.{_region_hint(endpoint.service)}")
    for account in workloads.azure_accounts:
        required.update(types.AZURE_ZONES_BY_KIND.get(arm_kind(account), ()))
    return tuple(sorted(required))


def _region_hint(service: str) -> str:
    domain = "api.aws" if service == "bedrock-mantle" else "amazonaws.com"
    return f"<region>.{domain}"


def _resolvers(inventory: Inventory) -> tuple[str, ...]:
    found = []
    for resolver in of_types(inventory, *types.AWS_RESOLVERS):
        direction = text(resolver.get("direction")).lower() or "unknown"
        found.append(f"{resolver.address} (Route 53 Resolver, {direction})")
    for resolver in of_types(inventory, *types.AZURE_RESOLVERS):
        found.append(f"{resolver.address} (Azure DNS Private Resolver)")
    return tuple(sorted(found))


def _rules(inventory: Inventory) -> tuple[str, ...]:
    found = []
    for rule in of_types(inventory, *types.AWS_RESOLVER_RULES):
        domain = text(rule.get("domain_name"))
        kind = text(rule.get("rule_type")).lower() or "forward"
        found.append(f"{rule.address}: {domain} ({kind})")
    return tuple(sorted(found))


def _vpc_dns_notes(inventory: Inventory) -> tuple[str, ...]:
    notes = []
    for vpc in of_types(inventory, *types.VPCS):
        for key in ("enable_dns_support", "enable_dns_hostnames"):
            value = vpc.get(key)
            if value is False or value == "false":
                notes.append(
                    f"{vpc.address}: {key} is false, so private DNS for its interface "
                    "endpoints cannot work; set it to true"
                )
    return tuple(notes)
