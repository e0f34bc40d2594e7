"""Route 53 hosted zones and the VPCs each one is associated with.

Read by the DNS plan, and by the endpoint inventory to tell that a spoke VPC is
served by a hub's shared endpoint through a zone named after the service.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lockgate.review.model import Inventory, Resource

from . import catalog as types
from .facts import DnsZone
from .values import blocks, identity, of_types, ref_target, text

_SERVICE_ZONE = re.compile(
    r"^((?:bedrock|sagemaker)[a-z0-9.-]*?)\.[a-z0-9-]+\.(?:amazonaws\.com|api\.aws)\.?$"
)


def aws_zones(inventory: Inventory) -> list[DnsZone]:
    associations: dict[str, list[str]] = defaultdict(list)
    for link in of_types(inventory, *types.AWS_ZONE_ASSOCIATIONS):
        zone_id = ref_target(link.get("zone_id")) or text(link.get("zone_id"))
        associations[zone_id].append(identity(link.get("vpc_id")))

    found = []
    for hosted in of_types(inventory, *types.AWS_ZONES):
        vpcs = [identity(b.get("vpc_id", b.get("VPCId"))) for b in _vpc_blocks(hosted)]
        linked = sorted(set(vpcs + associations.get(hosted.address, [])))
        kind = "private hosted zone" if linked else "public hosted zone"
        name = text(hosted.get("name") or hosted.get("Name"))
        found.append(
            DnsZone(name, hosted.address, kind, tuple(linked), str(hosted.location))
        )
    return found


def _vpc_blocks(zone: Resource) -> list[dict[str, object]]:
    direct = blocks(zone.get("vpc")) + blocks(zone.get("VPCs"))
    for dynamic in blocks(zone.get("dynamic")):
        for content in blocks(dynamic.get("vpc")):
            direct.append({"vpc_id": f"each of {text(content.get('for_each'))}"})
    return direct


def served_services(zones: list[DnsZone]) -> set[tuple[str, str]]:
    """(VPC, service) pairs a hub endpoint serves through a service-named zone."""
    served: set[tuple[str, str]] = set()
    for zone in zones:
        match = _SERVICE_ZONE.match(zone.name.lower())
        if match and zone.kind == "private hosted zone":
            served.update((vpc, match.group(1)) for vpc in zone.linked_networks)
    return served
