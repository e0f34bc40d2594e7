"""Checks of private connectivity: Bedrock endpoints and Azure private endpoints."""

from __future__ import annotations

from collections.abc import Callable

from lockgate.review.model import Finding, Multiplicity, Resource, Status

from . import aws, aws_dns, aws_egress, azure_network, not_evidenced
from .aws import BEDROCK_SUFFIXES, Endpoint
from .azure import (
    accounts,
    acl_default_action,
    custom_subdomain,
    network_acls,
    public_access,
    switch_verdict,
)
from .support import (
    Check,
    CheckContext,
    Verdict,
    as_list,
    block_path,
    evidence_of,
    finding,
    holds_unresolved,
    judge_each,
    judged,
    not_created_for,
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
        shown = not_evidenced.anchor(context)
        return finding(
            "LG-CONN-001",
            Status.UNRESOLVED,
            "private connectivity is not evidenced: the reviewed code has no VPC, "
            "no interface endpoint and no compute calling Bedrock"
            + ("" if shown else "; no resource to point at"),
            shown[0] if shown else None,
            evidence=evidence,
            location=shown[1] if shown else None,
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
    return _judge_endpoints(context, "LG-CONN-003", _private_dns_verdict)


def _judge_endpoints(
    context: CheckContext,
    check_id: str,
    judge: Callable[[CheckContext, Endpoint], Verdict],
) -> list[Finding]:
    """One finding per Bedrock endpoint, its message naming the endpoint's suffix."""
    return [
        judged(
            check_id,
            endpoint.resource,
            judge(context, endpoint),
            f" ({endpoint.suffix}): ",
        )
        for endpoint in aws.bedrock_endpoints(context)
    ]


def _private_dns_verdict(context: CheckContext, endpoint: Endpoint) -> Verdict:
    path: tuple[str | int, ...] = ("private_dns_enabled",)
    value = endpoint.resource.get(*path)
    evidence = [evidence_of(endpoint.resource, *path)]
    if holds_unresolved(value):
        return Verdict(
            Status.UNRESOLVED, "private DNS setting cannot be worked out", path
        )
    if truthy(value) is True:
        return Verdict(Status.PASS, "private DNS is enabled", path)

    zone = aws_dns.hosted_zone_for(context, endpoint)
    if zone is not None:
        evidence.append(evidence_of(zone, "name"))
        message = f"private DNS is off; hosted zone {zone.address} names the service"
        return Verdict(Status.PASS, message, path, evidence)
    message = (
        "private DNS is off and no private hosted zone is named after the "
        "service hostname: callers resolve the public endpoint"
    )
    return Verdict(Status.FAIL, message, path)


def vpc_dns(context: CheckContext) -> list[Finding]:
    """LG-CONN-004: VPCs support private DNS (DNS support and hostnames)."""
    if not aws.has_ai_workload(context):
        return []
    return judge_each("LG-CONN-004", context.declared(*aws.VPC_TYPES), _vpc_dns_verdict)


def _vpc_dns_verdict(vpc: Resource) -> Verdict:
    support = vpc.get("enable_dns_support")
    hostnames = vpc.get("enable_dns_hostnames")
    evidence = [
        evidence_of(vpc, "enable_dns_support"),
        evidence_of(vpc, "enable_dns_hostnames"),
    ]

    if holds_unresolved(support) or holds_unresolved(hostnames):
        message = "DNS settings cannot be worked out"
        return Verdict(Status.UNRESOLVED, message, evidence=evidence)
    if truthy(support) is not False and truthy(hostnames) is True:
        message = "DNS support and hostnames are on"
        return Verdict(Status.PASS, message, evidence=evidence)

    off = (
        "enable_dns_hostnames"
        if truthy(hostnames) is not True
        else "enable_dns_support"
    )
    message = f"{off} is not true, so endpoint private DNS does not work"
    return Verdict(Status.FAIL, message, (off,), evidence)


def endpoint_zones(context: CheckContext) -> list[Finding]:
    """LG-CONN-005: Bedrock endpoints sit in at least two subnets."""
    return _judge_endpoints(context, "LG-CONN-005", _zones_verdict)


def _zones_verdict(context: CheckContext, endpoint: Endpoint) -> Verdict:
    path: tuple[str | int, ...] = ("subnet_ids",)
    subnets = endpoint.resource.get(*path)
    items = as_list(subnets)
    spread = [context.inventory.by_address(t) for t in reference_targets(subnets)]
    looped = any(
        s is not None and s.multiplicity is Multiplicity.ONE_OR_MORE for s in spread
    )

    if holds_unresolved(subnets) or (len(items) == 1 and looped):
        return Verdict(
            Status.UNRESOLVED, "the number of subnets cannot be worked out", path
        )
    if len(items) >= 2:
        return Verdict(Status.PASS, f"spans {len(items)} subnets", path)
    return Verdict(Status.FAIL, f"sits in {len(items)} subnet(s)", path)


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
    return judge_each("LG-CONN-007", accounts(context), _public_access_verdict)


def _public_access_verdict(account: Resource) -> Verdict:
    setting, on = public_access(account)
    return switch_verdict(
        setting,
        on,
        unknown="public network access cannot be worked out",
        off="public network access is disabled",
        on_set="public network access is enabled",
        on_by_default="public network access is not set, so the platform default "
        "(Enabled) applies",
    )


def azure_network_acls(context: CheckContext) -> list[Finding]:
    """LG-CONN-008: with public access on, network ACLs default to Deny."""
    return judge_each("LG-CONN-008", accounts(context), _network_acls_verdict)


def _network_acls_verdict(account: Resource) -> Verdict:
    _, on = public_access(account)
    acls = network_acls(account)
    action = acl_default_action(acls.value)
    denies = isinstance(action, str) and action.lower() == "deny"

    if on is False:
        message = "public access is disabled, so network ACLs do not matter"
        if denies:
            message = "network ACLs default to Deny (public access is disabled)"
        return Verdict(Status.PASS, message, acls.path)
    if on is None or holds_unresolved(action) or acls.unresolved:
        message = "network ACLs cannot be worked out"
        return Verdict(Status.UNRESOLVED, message, acls.path)
    if denies:
        return Verdict(Status.PASS, "network ACLs default to Deny", acls.path)

    message = (
        f"network ACL default action is {action!r}"
        if acls.present
        else "no network ACLs while public access is on: every network may "
        "call the account"
    )
    return Verdict(Status.FAIL, message, acls.path)


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
        findings.append(_no_private_endpoint(context, account, link.note))
    return findings


def _no_private_endpoint(
    context: CheckContext, account: Resource, note: str
) -> Finding:
    """LG-CONN-009 FAIL: at the endpoint declared with zero instances, if any."""
    switched_off = not_created_for(context, azure_network.ENDPOINT_TYPES, account)
    if switched_off is None:
        return finding(
            "LG-CONN-009",
            Status.FAIL,
            f"{account.address}: no private endpoint targets the account",
            account,
            evidence=[f"private endpoints declared: {note}"],
        )
    endpoint, loop = switched_off
    return finding(
        "LG-CONN-009",
        Status.FAIL,
        f"{account.address}: private endpoint {endpoint.address} is declared but "
        f"its {loop[0]} makes no instance",
        endpoint,
        loop,
        [f"{endpoint.address} has zero instances ({endpoint.location})"],
    )


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
    return judge_each("LG-CONN-011", accounts(context), _subdomain_verdict)


def _subdomain_verdict(account: Resource) -> Verdict:
    setting = custom_subdomain(account)
    if not setting.present:
        return Verdict(Status.FAIL, "customSubDomainName is not set", setting.path)
    if setting.unresolved and text(setting.value) is None:
        message = "customSubDomainName is set (value unresolved)"
        return Verdict(Status.PASS, message, setting.path)
    return Verdict(Status.PASS, "customSubDomainName is set", setting.path)


def azure_zone_links(context: CheckContext) -> list[Finding]:
    """LG-CONN-012: privatelink zones for AI accounts are linked to VNets."""
    if not accounts(context):
        return []
    return azure_network.zone_link_findings(context)


def compute_in_vpc(context: CheckContext) -> list[Finding]:
    """LG-CONN-013: Lambdas and AgentCore runtimes calling Bedrock are in a VPC."""
    functions = [
        function
        for function in aws.ai_compute(context)
        if function.type.lower() in aws.FUNCTION_TYPES
    ]
    runtimes = context.declared(
        "aws_bedrockagentcore_agent_runtime", "AWS::BedrockAgentCore::Runtime"
    )
    findings = judge_each("LG-CONN-013", functions, _lambda_verdict, " ")
    return findings + [_runtime_in_vpc(runtime) for runtime in runtimes]


def _lambda_verdict(function: Resource) -> Verdict:
    status = aws.vpc_placement(function)
    message = {
        Status.UNRESOLVED: "vpc_config cannot be worked out",
        Status.PASS: "runs inside a VPC",
        Status.FAIL: "has no VPC configuration: it reaches Bedrock over the "
        "public endpoint",
    }[status]
    return Verdict(status, message, evidence=[evidence_of(function, "vpc_config")])


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
