"""The hub-and-spoke endpoint pattern, for every interface endpoint.

AWS's "centralized access to VPC private endpoints" keeps interface endpoints in a
shared-services VPC with private DNS off. A private hosted zone named after each
service hostname carries an alias record to its endpoint and is associated with
every spoke VPC. The Bedrock endpoints have their own checks (LG-CONN-003 and
LG-CONN-006); these judge the pattern for every other service.
"""

from __future__ import annotations

import re

from lockgate.review.model import Finding, Resource, Status, Unresolved

from . import aws, aws_dns
from .aws import Endpoint
from .support import (
    Check,
    CheckContext,
    Verdict,
    finding,
    holds_unresolved,
    judged,
    truthy,
)

_PATH = ("private_dns_enabled",)


def centralised_endpoints(context: CheckContext) -> list[Endpoint]:
    """Non-Bedrock interface endpoints with private DNS switched off."""
    return [
        e
        for e in aws.endpoints(context)
        if e.suffix not in aws.BEDROCK_SUFFIXES
        and truthy(e.resource.get(*_PATH)) is False
    ]


def endpoint_zones(context: CheckContext) -> list[Finding]:
    """LG-CONN-101: private DNS off, and a hosted zone named after the service."""
    findings = []
    for endpoint in centralised_endpoints(context):
        zone = aws_dns.hosted_zone_for(context, endpoint)
        if zone is None:
            verdict = Verdict(
                Status.FAIL,
                f"private DNS is off and no hosted zone is named after "
                f"{aws_dns.service_hostname(endpoint) or endpoint.suffix}",
                _PATH,
            )
        else:
            verdict = Verdict(
                Status.PASS,
                f"private DNS is off and {zone.address} resolves the service name",
                _PATH,
            )
        findings.append(judged("LG-CONN-101", endpoint.resource, verdict))
    return findings


def zone_associations(context: CheckContext) -> list[Finding]:
    """LG-CONN-102: each hub endpoint's hosted zone is associated with VPCs."""
    findings = []
    for endpoint in centralised_endpoints(context):
        zone = aws_dns.hosted_zone_for(context, endpoint)
        if zone is None:
            continue
        if aws_dns.is_associated(context, zone):
            verdict = Verdict(Status.PASS, "associated with the spoke VPCs", ("vpc",))
        else:
            verdict = Verdict(Status.FAIL, "associated with no VPC")
        findings.append(judged("LG-CONN-102", zone, verdict))
    return findings


def alias_records(context: CheckContext) -> list[Finding]:
    """LG-CONN-103: each hub endpoint's hosted zone has an alias to it."""
    findings = []
    for endpoint in centralised_endpoints(context):
        zone = aws_dns.hosted_zone_for(context, endpoint)
        if zone is None:
            continue
        record = _record_for(context, endpoint, zone)
        if record is None:
            findings.append(
                judged(
                    "LG-CONN-103",
                    zone,
                    Verdict(
                        Status.FAIL,
                        f"no alias record points at {endpoint.resource.address}",
                    ),
                )
            )
            continue
        findings.append(
            finding(
                "LG-CONN-103",
                Status.PASS,
                f"{record.address}: alias in {zone.address} points at "
                f"{endpoint.resource.address}",
                record,
                evidence=[f"{record.address} ({record.location})"],
            )
        )
    return findings


def _record_for(
    context: CheckContext, endpoint: Endpoint, zone: Resource
) -> Resource | None:
    """The alias record for this endpoint; among records a loop made, the one
    carrying the endpoint's own instance key."""
    record = aws_dns.alias_record(context, zone, endpoint.resource)
    key = _instance_key(endpoint.resource.address)
    if record is None or key is None:
        return record
    same = [r for r in context.declared(*aws_dns.RECORD_TYPES) if key in r.address]
    return same[0] if same else record


def _instance_key(address: str) -> str | None:
    match = re.search(r"\[[^\]]*\]", address)
    return match.group(0) if match else None


def endpoint_zones_spread(context: CheckContext) -> list[Finding]:
    """LG-CONN-106: each non-Bedrock interface endpoint spans two or more zones."""
    findings = []
    for endpoint in aws.endpoints(context):
        if endpoint.suffix in aws.BEDROCK_SUFFIXES:
            continue
        resource = endpoint.resource
        verdict = _spread(context, resource.get("subnet_ids"))
        if verdict is not None:
            findings.append(judged("LG-CONN-106", resource, verdict))
    return findings


def _spread(context: CheckContext, subnets: object) -> Verdict | None:
    path = ("subnet_ids",)
    if isinstance(subnets, list) and not holds_unresolved(subnets):
        if len(subnets) >= 2:
            return Verdict(Status.PASS, f"in {len(subnets)} subnets", path)
        return Verdict(
            Status.FAIL, "in a single subnet: one zone's outage cuts it", path
        )
    if not isinstance(subnets, Unresolved):
        return None
    # A comprehension over a module's by-zone subnet map is taken to keep every
    # zone; a filter on the zone itself inside the expression is not read.
    zones = _module_zones(context, subnets.expression)
    if zones is not None and zones >= 2 and "_by_az" in subnets.expression:
        return Verdict(
            Status.PASS,
            f"subnets taken from every zone of a module built across {zones} zones",
            path,
        )
    return Verdict(Status.UNRESOLVED, "its subnets cannot be worked out", path)


_MODULE_VPC = re.compile(r"module\.([A-Za-z0-9_-]+)(?:\.central_vpcs\[\"([^\"]+)\"\])?")


def _module_zones(context: CheckContext, expression: str) -> int | None:
    """The zone count a registry module was asked for, for the VPC named."""
    match = _MODULE_VPC.search(expression)
    module = context.inventory.by_address(f"module.{match.group(1)}") if match else None
    if match is None or module is None:
        return None
    prefix = ("central_vpcs", match.group(2)) if match.group(2) else ()
    count = module.get(*prefix, "az_count")
    return count if isinstance(count, int) else None


CHECKS: tuple[Check, ...] = (
    endpoint_zones,
    zone_associations,
    alias_records,
    endpoint_zones_spread,
)
