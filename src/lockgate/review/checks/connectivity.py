"""Checks of private connectivity: Bedrock endpoints and Azure private endpoints."""

from __future__ import annotations

from lockgate.review.model import Finding, Multiplicity, Resource, Status

from . import aws, aws_dns, aws_egress, azure_network
from .aws import BEDROCK_SUFFIXES, Endpoint
from .azure import (
    accounts,
    acl_default_action,
    custom_subdomain,
    network_acls,
    public_access,
)
from .support import (
    Check,
    CheckContext,
    as_list,
    block_path,
    evidence_of,
    finding,
    holds_unresolved,
    reference_targets,
    text,
    truthy,
)


def runtime_endpoint(context: CheckContext) -> list[Finding]:
    """LG-CONN-001: a bedrock-runtime interface endpoint exists."""
    every = aws.endpoints(context)
    if not aws.has_ai_workload(context) and not every:
        return []

    vpcs = aws_egress.ai_vpcs(context)
    if vpcs and every:
        return [_vpc_runtime(vpc, every, vpcs) for vpc in vpcs]

    runtime = [e for e in every if e.suffix == "bedrock-runtime"]
    if runtime:
        return [
            finding(
                "LG-CONN-001",
                Status.PASS,
                f"{e.resource.address} is a bedrock-runtime interface endpoint",
                e.resource,
                ("service_name",),
                [evidence_of(e.resource, "service_name")],
            )
            for e in runtime
        ]

    unknown = [e for e in every if e.suffix is None]
    if unknown:
        first = unknown[0].resource
        return [
            finding(
                "LG-CONN-001",
                Status.UNRESOLVED,
                f"no endpoint is known to be bedrock-runtime; the service name of "
                f"{first.address} cannot be worked out",
                first,
                ("service_name",),
                [evidence_of(e.resource, "service_name") for e in unknown],
            )
        ]
    return [_missing_runtime(context, every)]


def _vpc_runtime(vpc: Resource, every: list[Endpoint], vpcs: list[Resource]) -> Finding:
    """LG-CONN-001 for one VPC: its own bedrock-runtime endpoint, by vpc_id."""
    declared = {v.address for v in vpcs}
    inside = [
        e for e in every if vpc.address in reference_targets(e.resource.get("vpc_id"))
    ]
    floating = [
        e
        for e in every
        if not declared & set(reference_targets(e.resource.get("vpc_id")))
    ]
    runtime = next((e for e in inside if e.suffix == "bedrock-runtime"), None)
    if runtime is not None:
        return finding(
            "LG-CONN-001",
            Status.PASS,
            f"{vpc.address} has bedrock-runtime endpoint {runtime.resource.address}",
            runtime.resource,
            ("service_name",),
            [evidence_of(runtime.resource, "service_name")],
        )
    if any(e.suffix in ("bedrock-runtime", None) for e in floating):
        return finding(
            "LG-CONN-001",
            Status.UNRESOLVED,
            f"{vpc.address}: an endpoint that may be bedrock-runtime names no "
            "declared VPC, so it cannot be placed",
            vpc,
            evidence=[evidence_of(e.resource, "vpc_id") for e in floating],
        )
    seen = sorted({str(e.suffix) for e in inside}) or ["none"]
    return finding(
        "LG-CONN-001",
        Status.FAIL,
        f"{vpc.address} has no bedrock-runtime interface endpoint (its endpoints: "
        f"{', '.join(seen)}): Bedrock is reached over its public endpoint",
        vpc,
        evidence=[f"endpoints in {vpc.address}: {', '.join(seen)}"],
    )


def _missing_runtime(context: CheckContext, every: list[Endpoint]) -> Finding:
    seen = sorted({e.suffix for e in every if e.suffix})
    evidence = [f"interface endpoints declared: {', '.join(seen) or 'none'}"]
    if every:
        anchor = every[0].resource
        return finding(
            "LG-CONN-001",
            Status.FAIL,
            "no bedrock-runtime interface endpoint; the endpoints declared are for "
            f"{', '.join(seen)}",
            anchor,
            ("service_name",),
            evidence,
        )

    anchor_resource = _most_relevant(context)
    if anchor_resource is None:
        return finding(
            "LG-CONN-001",
            Status.UNRESOLVED,
            "private connectivity is not evidenced: the reviewed code has no VPC, "
            "no interface endpoint and no compute calling Bedrock; no resource to "
            "point at",
            evidence=evidence,
            language=context.language("LG-CONN-001"),
        )
    return finding(
        "LG-CONN-001",
        Status.FAIL,
        f"no bedrock-runtime interface endpoint for {anchor_resource.address}: "
        "Bedrock is reached over its public endpoint",
        anchor_resource,
        evidence=evidence,
    )


def _most_relevant(context: CheckContext) -> Resource | None:
    vpcs = context.declared(*aws.VPC_TYPES)
    if vpcs:
        return vpcs[0]
    compute = aws.ai_compute(context)
    return compute[0] if compute else None


def endpoint_set(context: CheckContext) -> list[Finding]:
    """LG-CONN-002: every Bedrock endpoint suffix is present once any is."""
    present = aws.bedrock_endpoints(context)
    if not present:
        return []

    have = {e.suffix for e in present}
    missing = [s for s in BEDROCK_SUFFIXES if s not in have]
    anchor = next((e for e in present if e.suffix == "bedrock-runtime"), present[0])
    evidence = [
        f"bedrock endpoints declared: {', '.join(sorted(str(s) for s in have))}"
    ]
    if not missing:
        return [
            finding(
                "LG-CONN-002",
                Status.PASS,
                "all five Bedrock interface endpoints are declared",
                anchor.resource,
                evidence=evidence,
            )
        ]
    return [
        finding(
            "LG-CONN-002",
            Status.FAIL,
            f"Bedrock endpoints missing: {', '.join(missing)}; those APIs go over the "
            "public endpoint",
            anchor.resource,
            evidence=evidence,
        )
    ]


def private_dns(context: CheckContext) -> list[Finding]:
    """LG-CONN-003: each Bedrock endpoint resolves privately."""
    findings = []
    for endpoint in aws.bedrock_endpoints(context):
        resource = endpoint.resource
        value = resource.get("private_dns_enabled")
        evidence = [evidence_of(resource, "private_dns_enabled")]
        if holds_unresolved(value):
            status, message = (
                Status.UNRESOLVED,
                "private DNS setting cannot be worked out",
            )
        elif truthy(value) is True:
            status, message = Status.PASS, "private DNS is enabled"
        elif aws_dns.hosted_zone_for(context, endpoint) is not None:
            zone = aws_dns.hosted_zone_for(context, endpoint)
            assert zone is not None
            evidence.append(evidence_of(zone, "name"))
            status = Status.PASS
            message = (
                f"private DNS is off; hosted zone {zone.address} names the service"
            )
        else:
            status = Status.FAIL
            message = (
                "private DNS is off and no private hosted zone is named after the "
                "service hostname: callers resolve the public endpoint"
            )
        findings.append(
            finding(
                "LG-CONN-003",
                status,
                f"{resource.address} ({endpoint.suffix}): {message}",
                resource,
                ("private_dns_enabled",),
                evidence,
            )
        )
    return findings


def vpc_dns(context: CheckContext) -> list[Finding]:
    """LG-CONN-004: VPCs support private DNS (DNS support and hostnames)."""
    if not aws.has_ai_workload(context):
        return []
    findings = []
    for vpc in context.declared(*aws.VPC_TYPES):
        support = vpc.get("enable_dns_support")
        hostnames = vpc.get("enable_dns_hostnames")
        evidence = [
            evidence_of(vpc, "enable_dns_support"),
            evidence_of(vpc, "enable_dns_hostnames"),
        ]
        if holds_unresolved(support) or holds_unresolved(hostnames):
            findings.append(
                finding(
                    "LG-CONN-004",
                    Status.UNRESOLVED,
                    f"{vpc.address}: DNS settings cannot be worked out",
                    vpc,
                    evidence=evidence,
                )
            )
        elif truthy(support) is not False and truthy(hostnames) is True:
            findings.append(
                finding(
                    "LG-CONN-004",
                    Status.PASS,
                    f"{vpc.address}: DNS support and hostnames are on",
                    vpc,
                    evidence=evidence,
                )
            )
        else:
            off = (
                "enable_dns_hostnames"
                if truthy(hostnames) is not True
                else ("enable_dns_support")
            )
            findings.append(
                finding(
                    "LG-CONN-004",
                    Status.FAIL,
                    f"{vpc.address}: {off} is not true, so endpoint private DNS does "
                    "not work",
                    vpc,
                    (off,),
                    evidence,
                )
            )
    return findings


def endpoint_zones(context: CheckContext) -> list[Finding]:
    """LG-CONN-005: Bedrock endpoints sit in at least two subnets."""
    findings = []
    for endpoint in aws.bedrock_endpoints(context):
        resource = endpoint.resource
        subnets = resource.get("subnet_ids")
        evidence = [evidence_of(resource, "subnet_ids")]
        items = as_list(subnets)
        spread = [context.inventory.by_address(t) for t in reference_targets(subnets)]
        looped = any(
            s is not None and s.multiplicity is Multiplicity.ONE_OR_MORE for s in spread
        )
        if holds_unresolved(subnets) or (len(items) == 1 and looped):
            status, message = (
                Status.UNRESOLVED,
                "the number of subnets cannot be worked out",
            )
        elif len(items) >= 2:
            status, message = Status.PASS, f"spans {len(items)} subnets"
        else:
            status, message = Status.FAIL, f"sits in {len(items)} subnet(s)"
        findings.append(
            finding(
                "LG-CONN-005",
                status,
                f"{resource.address} ({endpoint.suffix}): {message}",
                resource,
                ("subnet_ids",),
                evidence,
            )
        )
    return findings


def hub_zone(context: CheckContext) -> list[Finding]:
    """LG-CONN-006: a hub endpoint's hosted zone is associated and aliased."""
    findings = []
    for endpoint in aws.bedrock_endpoints(context):
        if truthy(endpoint.resource.get("private_dns_enabled")) is not False:
            continue
        zone = aws_dns.hosted_zone_for(context, endpoint)
        if zone is None:
            continue
        associated = aws_dns.is_associated(context, zone)
        aliased = aws_dns.alias_record(context, zone, endpoint.resource) is not None
        status = Status.PASS if associated and aliased else Status.FAIL
        missing = [
            name
            for name, ok in (("VPC association", associated), ("alias record", aliased))
            if not ok
        ]
        message = (
            f"{zone.address} fronts {endpoint.resource.address} with VPC associations "
            "and an alias record"
            if status is Status.PASS
            else f"{zone.address} lacks: {', '.join(missing)}"
        )
        findings.append(
            finding(
                "LG-CONN-006",
                status,
                message,
                zone,
                ("vpc",),
                [evidence_of(zone, "name")],
            )
        )
    return findings


def azure_public_access(context: CheckContext) -> list[Finding]:
    """LG-CONN-007: AI accounts have public network access disabled."""
    findings = []
    for account in accounts(context):
        setting, on = public_access(account)
        evidence = [evidence_of(account, *setting.path)]
        if setting.unresolved or on is None:
            status, message = (
                Status.UNRESOLVED,
                "public network access cannot be worked out",
            )
        elif on:
            status = Status.FAIL
            message = (
                "public network access is enabled"
                if setting.present
                else "public network access is not set, so the platform default "
                "(Enabled) applies"
            )
        else:
            status, message = Status.PASS, "public network access is disabled"
        findings.append(
            finding(
                "LG-CONN-007",
                status,
                f"{account.address}: {message}",
                account,
                setting.path,
                evidence,
            )
        )
    return findings


def azure_network_acls(context: CheckContext) -> list[Finding]:
    """LG-CONN-008: with public access on, network ACLs default to Deny."""
    findings = []
    for account in accounts(context):
        _, on = public_access(account)
        acls = network_acls(account)
        action = acl_default_action(acls.value)
        evidence = [evidence_of(account, *acls.path)]
        if on is False:
            status = Status.PASS
            message = "public access is disabled, so network ACLs do not matter"
            if isinstance(action, str) and action.lower() == "deny":
                message = "network ACLs default to Deny (public access is disabled)"
        elif on is None or holds_unresolved(action) or acls.unresolved:
            status, message = Status.UNRESOLVED, "network ACLs cannot be worked out"
        elif isinstance(action, str) and action.lower() == "deny":
            status, message = Status.PASS, "network ACLs default to Deny"
        else:
            status = Status.FAIL
            message = (
                f"network ACL default action is {action!r}"
                if acls.present
                else "no network ACLs while public access is on: every network may "
                "call the account"
            )
        findings.append(
            finding(
                "LG-CONN-008",
                status,
                f"{account.address}: {message}",
                account,
                acls.path,
                evidence,
            )
        )
    return findings


def azure_private_endpoint(context: CheckContext) -> list[Finding]:
    """LG-CONN-009: each AI account has a private endpoint for group 'account'."""
    findings = []
    for account in accounts(context):
        link = azure_network.private_endpoint_for(context, account)
        if link.endpoint is not None:
            findings.append(
                finding(
                    "LG-CONN-009",
                    Status.UNRESOLVED if link.unresolved else Status.PASS,
                    f"{account.address}: private endpoint {link.endpoint.address} "
                    f"({link.note})",
                    link.endpoint,
                    evidence=link.evidence,
                )
            )
            continue
        findings.append(
            finding(
                "LG-CONN-009",
                Status.FAIL,
                f"{account.address}: no private endpoint targets the account",
                account,
                evidence=[f"private endpoints declared: {link.note}"],
            )
        )
    return findings


def azure_dns_zones(context: CheckContext) -> list[Finding]:
    """LG-CONN-010: the endpoint's zone group holds every zone the kind needs."""
    findings = []
    for account in accounts(context):
        link = azure_network.private_endpoint_for(context, account)
        if link.endpoint is None:
            continue
        zones = [
            (azure_network.zone_name(context, value), holder)
            for value, holder in azure_network.zone_group_zones(context, link.endpoint)
        ]
        findings.append(azure_network.zone_finding(account, link.endpoint, zones))
    return findings


def azure_subdomain(context: CheckContext) -> list[Finding]:
    """LG-CONN-011: AI accounts set a custom subdomain."""
    findings = []
    for account in accounts(context):
        setting = custom_subdomain(account)
        evidence = [evidence_of(account, *setting.path)]
        if not setting.present:
            status, message = Status.FAIL, "customSubDomainName is not set"
        elif setting.unresolved and text(setting.value) is None:
            status, message = (
                Status.PASS,
                "customSubDomainName is set (value unresolved)",
            )
        else:
            status, message = Status.PASS, "customSubDomainName is set"
        findings.append(
            finding(
                "LG-CONN-011",
                status,
                f"{account.address}: {message}",
                account,
                setting.path,
                evidence,
            )
        )
    return findings


def azure_zone_links(context: CheckContext) -> list[Finding]:
    """LG-CONN-012: privatelink zones for AI accounts are linked to VNets."""
    if not accounts(context):
        return []
    return azure_network.zone_link_findings(context)


def compute_in_vpc(context: CheckContext) -> list[Finding]:
    """LG-CONN-013: Lambdas and AgentCore runtimes calling Bedrock are in a VPC."""
    findings = [
        _lambda_in_vpc(function)
        for function in aws.ai_compute(context)
        if function.type.lower() in aws.FUNCTION_TYPES
    ]
    runtimes = context.declared(
        "aws_bedrockagentcore_agent_runtime", "AWS::BedrockAgentCore::Runtime"
    )
    return findings + [_runtime_in_vpc(runtime) for runtime in runtimes]


def _lambda_in_vpc(function: Resource) -> Finding:
    config = function.get("vpc_config")
    if holds_unresolved(config):
        status, message = Status.UNRESOLVED, "vpc_config cannot be worked out"
    elif config:
        status, message = Status.PASS, "runs inside a VPC"
    else:
        status = Status.FAIL
        message = (
            "has no VPC configuration: it reaches Bedrock over the public endpoint"
        )
    return finding(
        "LG-CONN-013",
        status,
        f"{function.address} {message}",
        function,
        evidence=[evidence_of(function, "vpc_config")],
    )


def _runtime_in_vpc(runtime: Resource) -> Finding:
    path = block_path(runtime, "network_configuration", "network_mode")
    mode = runtime.get(*path)
    if holds_unresolved(mode) or mode is None:
        status = Status.UNRESOLVED
    else:
        status = Status.PASS if str(mode).upper() == "VPC" else Status.FAIL
    return finding(
        "LG-CONN-013",
        status,
        f"{runtime.address} network mode is {mode!r}",
        runtime,
        path,
        [evidence_of(runtime, *path)],
    )


CHECKS: tuple[Check, ...] = (
    runtime_endpoint,
    endpoint_set,
    private_dns,
    vpc_dns,
    endpoint_zones,
    hub_zone,
    azure_public_access,
    azure_network_acls,
    azure_private_endpoint,
    azure_dns_zones,
    azure_subdomain,
    azure_zone_links,
    compute_in_vpc,
    azure_network.agent_network,
)
