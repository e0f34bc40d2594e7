"""Private DNS for Bedrock endpoints: the managed zone or a hub's hosted zone.

In the hub-and-spoke pattern (AWS whitepaper "centralized access to VPC private
endpoints") the hub endpoint has private DNS off; a private hosted zone named
after the full service hostname carries an alias record to the endpoint and is
associated with every spoke VPC.
"""

from __future__ import annotations

import re
from typing import Any

from lockgate.review.model import Resource, Unresolved

from .aws import Endpoint
from .support import (
    CheckContext,
    as_list,
    reference_targets,
    strings_in,
    unresolved_expressions,
)

ZONE_TYPES = ("aws_route53_zone", "AWS::Route53::HostedZone")
RECORD_TYPES = ("aws_route53_record", "AWS::Route53::RecordSet")
_INSTANCE_KEY = re.compile(r"\[[^\]]*\]")
_REGION = re.compile(r"^com\.amazonaws\.([a-z0-9-]+)\.")


def service_hostname(endpoint: Endpoint) -> str | None:
    """``bedrock-runtime.us-east-1.amazonaws.com`` (mantle: ``.api.aws``)."""
    value = endpoint.resource.get("service_name")
    match = _REGION.match(value) if isinstance(value, str) else None
    if match is None or endpoint.suffix is None:
        return None
    domain = "api.aws" if endpoint.suffix == "bedrock-mantle" else "amazonaws.com"
    return f"{endpoint.suffix}.{match.group(1)}.{domain}"


def hosted_zone_for(context: CheckContext, endpoint: Endpoint) -> Resource | None:
    """The private hosted zone named after the endpoint's service hostname."""
    exact = service_hostname(endpoint)
    for zone in context.declared(*ZONE_TYPES):
        name = zone.get("name")
        raw = name.expression if isinstance(name, Unresolved) else name
        if not isinstance(raw, str):
            continue
        cleaned = raw.lower().strip("\"'").rstrip(".")
        if exact is not None and cleaned == exact:
            return zone
        if exact is None and cleaned.startswith(f"{endpoint.suffix}."):
            return zone
    return None


def base_address(address: str) -> str:
    """``aws_route53_zone.phz`` from ``aws_route53_zone.phz["ssm"]``."""
    return _INSTANCE_KEY.sub("", address)


def _points_at(value: Any, resource: Resource) -> bool:
    """A reference to ``resource`` or to the loop that made it."""
    base = base_address(resource.address)
    targets = {base_address(t) for t in reference_targets(value)}
    if base in targets or resource.address in reference_targets(value):
        return True
    texts = strings_in(value) + unresolved_expressions(value)
    return any(base in base_address(t) for t in texts)


def is_associated(context: CheckContext, zone: Resource) -> bool:
    """The zone has VPC associations (a loop over the spokes counts)."""
    if as_list(zone.get("vpc")) or as_list(zone.get("VPCs")):
        return True
    return any(
        _points_at(association.attributes, zone)
        for association in context.declared("aws_route53_zone_association")
    )


def alias_record(
    context: CheckContext, zone: Resource, endpoint: Resource
) -> Resource | None:
    """An alias record in ``zone`` pointing at ``endpoint``."""
    for record in context.declared(*RECORD_TYPES):
        alias = record.get("alias") or record.get("AliasTarget")
        zone_ref = record.get("zone_id")
        if zone_ref is None:
            zone_ref = record.get("HostedZoneId")
        if alias and _points_at(zone_ref, zone) and _points_at(alias, endpoint):
            return record
    return None
