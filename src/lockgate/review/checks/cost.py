"""Checks of cost attribution: inference profiles, tags, budgets, anomaly monitors.

Budgets, anomaly monitors and cost-allocation tag activation are usually owned by
a finance or platform account, so their absence is "not evidenced" (UNRESOLVED).
"""

from __future__ import annotations

from typing import Any

from lockgate.review.model import Finding, Resource, Status

from . import aws
from .azure import accounts
from .support import (
    Check,
    CheckContext,
    Verdict,
    block_path,
    evidence_of,
    finding,
    holds_unresolved,
    judged,
)

PROFILE_TYPES = (
    "aws_bedrock_inference_profile",
    "awscc_bedrock_application_inference_profile",
    "AWS::Bedrock::ApplicationInferenceProfile",
)
BUDGET_TYPES = (
    "aws_budgets_budget",
    "AWS::Budgets::Budget",
    "azurerm_consumption_budget_resource_group",
    "azurerm_consumption_budget_subscription",
    "Microsoft.Consumption/budgets",
)
ANOMALY_TYPES = (
    "aws_ce_anomaly_monitor",
    "AWS::CE::AnomalyMonitor",
    "azurerm_cost_anomaly_alert",
)
DEPLOYMENT_TYPES = ("Microsoft.CognitiveServices/accounts/deployments",)
TAGGED_BEDROCK_TYPES = (
    "aws_bedrockagent_agent",
    "aws_bedrockagent_knowledge_base",
    "aws_bedrock_guardrail",
    "awscc_bedrock_agent",
    "awscc_bedrock_guardrail",
    "awscc_bedrock_knowledge_base",
    "AWS::Bedrock::Agent",
    "AWS::Bedrock::Guardrail",
    "AWS::Bedrock::KnowledgeBase",
)


def _any_ai(context: CheckContext) -> bool:
    return aws.has_ai_workload(context) or bool(accounts(context))


def _path_to(
    node: Any, wanted: str, path: tuple[str | int, ...] = (), keys: bool = False
) -> tuple[str | int, ...] | None:
    """The path of the first string containing ``wanted`` (or key, with keys)."""
    if isinstance(node, str):
        return path if wanted in node else None
    items: list[tuple[str | int, Any]] = []
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    for key, value in items:
        if keys and isinstance(key, str) and wanted in key:
            return (*path, key)
        found = _path_to(value, wanted, (*path, key), keys)
        if found is not None:
            return found
    return None


def inference_profiles(context: CheckContext) -> list[Finding]:
    """LG-COST-001: Bedrock is called through application inference profiles."""
    profiles = context.declared(*PROFILE_TYPES)
    findings = [
        finding(
            "LG-COST-001",
            Status.PASS,
            f"{p.address} is an application inference profile",
            p,
            evidence=[evidence_of(p, "model_source")],
        )
        for p in profiles
    ]
    for resource in _raw_model_users(context):
        findings.append(_raw_model_finding(resource))
    if not findings and aws.has_ai_workload(context):
        findings.append(
            finding(
                "LG-COST-001",
                Status.UNRESOLVED,
                "no application inference profile and no model id in the reviewed "
                "code: attribution is not evidenced",
                evidence=[f"no {', '.join(PROFILE_TYPES)}"],
                language=context.language("LG-COST-001"),
            )
        )
    return findings


def _raw_model_finding(resource: Resource) -> Finding:
    """FAIL for a fixed raw model id; UNRESOLVED for a proxy's default model.

    A proxy or gateway names a ``DEFAULT_MODEL`` but forwards whatever model its
    callers ask for, so whether calls go through inference profiles depends on
    the callers, not on this code.
    """
    model = aws.model_ids_in(resource)[0]
    path = _path_to(resource.attributes, model) or ()
    if not _is_default_setting(resource, path):
        return finding(
            "LG-COST-001",
            Status.FAIL,
            f"{resource.address} calls the raw model id {model!r}, not an "
            "application inference profile: no per-application cost attribution",
            resource,
            path,
            [evidence_of(resource, *path)],
        )

    toggle = _path_to(resource.attributes, "INFERENCE_PROFILE", keys=True)
    evidence = [evidence_of(resource, *path)]
    if toggle is not None:
        evidence.append(evidence_of(resource, *toggle))
    result = finding(
        "LG-COST-001",
        Status.UNRESOLVED,
        f"{resource.address} forwards the models its callers name (default "
        f"{model!r}); whether they use application inference profiles depends on "
        "the callers",
        resource,
        toggle or (),
        evidence,
    )
    if toggle is None:
        # No setting in the code decides this, so there is no line to point at.
        result.location = None
    return result


def _is_default_setting(resource: Resource, path: tuple[str | int, ...]) -> bool:
    """Whether the value at ``path`` is a DEFAULT_* setting (key or Name entry)."""
    for index in range(len(path), 0, -1):
        key = path[index - 1]
        if isinstance(key, str) and "default" in key.lower():
            return True
        holder = resource.get(*path[: index - 1])
        if isinstance(holder, dict):
            name = holder.get("Name") or holder.get("name")
            if isinstance(name, str) and "default" in name.lower():
                return True
    return False


def _raw_model_users(context: CheckContext) -> list[Resource]:
    users = []
    for resource in context.inventory.resources:
        kind = resource.type.lower()
        if kind in {t.lower() for t in PROFILE_TYPES} or "iam" in kind:
            continue
        if "knowledge" in kind or "knowledgebase" in kind:
            continue  # knowledge bases name an embedding model; profiles do not apply
        if resource.platform != "aws" and not kind.startswith("awscc_"):
            continue
        if aws.model_ids_in(resource):
            users.append(resource)
    return users


def _tag_finding(check_id: str, resource: Resource, what: str) -> Finding:
    tags = resource.get("tags")
    if holds_unresolved(tags):
        status, message = Status.UNRESOLVED, "tags cannot be worked out"
    elif tags:
        status, message = Status.PASS, "carries tags"
    else:
        status, message = Status.FAIL, f"{what} carries no tags"
    return finding(
        check_id,
        status,
        f"{resource.address}: {message}",
        resource,
        ("tags",),
        [evidence_of(resource, "tags")],
    )


def profile_tags(context: CheckContext) -> list[Finding]:
    """LG-COST-002: application inference profiles carry tags."""
    return [
        _tag_finding("LG-COST-002", p, "the inference profile")
        for p in context.declared(*PROFILE_TYPES)
    ]


def _evidenced(
    context: CheckContext, check_id: str, types: tuple[str, ...], what: str
) -> list[Finding]:
    if not _any_ai(context):
        return []
    found = context.declared(*types)
    if not found:
        return [
            finding(
                check_id,
                Status.UNRESOLVED,
                f"no {what} in the reviewed code: not evidenced (often owned by a "
                "finance or platform account); no resource to point at",
                evidence=[f"no resource of type {', '.join(types)}"],
                language=context.language(check_id),
            )
        ]
    return [
        finding(
            check_id,
            Status.PASS,
            f"{r.address} is a {what}",
            r,
            evidence=[f"{r.type} {r.address} ({r.location})"],
        )
        for r in found
    ]


def budgets(context: CheckContext) -> list[Finding]:
    """LG-COST-003: a budget covers the AI spend."""
    return _evidenced(context, "LG-COST-003", BUDGET_TYPES, "budget")


def anomaly_monitors(context: CheckContext) -> list[Finding]:
    """LG-COST-004: a cost anomaly monitor covers the AI spend."""
    return _evidenced(context, "LG-COST-004", ANOMALY_TYPES, "cost anomaly monitor")


def cost_tag_activation(context: CheckContext) -> list[Finding]:
    """LG-COST-005: cost allocation tags are activated."""
    if not aws.has_ai_workload(context):
        return []
    return _evidenced(
        context,
        "LG-COST-005",
        ("aws_ce_cost_allocation_tag",),
        "cost allocation tag activation",
    )


def azure_tags(context: CheckContext) -> list[Finding]:
    """LG-COST-006: AI accounts and their deployments carry tags."""
    findings = [
        _tag_finding("LG-COST-006", a, "the account") for a in accounts(context)
    ]
    findings += [
        _tag_finding("LG-COST-006", d, "the deployment")
        for d in context.declared(*DEPLOYMENT_TYPES)
    ]
    return findings


def bedrock_tags(context: CheckContext) -> list[Finding]:
    """LG-COST-007: Bedrock resources carry tags (their own or provider defaults)."""
    defaults = _provider_default_tags(context)
    findings = []
    if defaults is not None and aws.has_ai_workload(context):
        findings.append(
            finding(
                "LG-COST-007",
                Status.PASS,
                f"{defaults.address} default_tags apply to every Terraform AWS "
                "resource",
                defaults,
                ("default_tags",),
                [evidence_of(defaults, "default_tags")],
            )
        )
    for resource in context.declared(*TAGGED_BEDROCK_TYPES):
        if defaults is not None and resource.source.value.startswith("terraform"):
            continue
        findings.append(_tag_finding("LG-COST-007", resource, "the resource"))
    return findings


def _cost_tagged(tags: Any) -> bool:
    """Tags beyond ``Name`` and tool-generated ``aws-cdk:*``/``aws:*`` keys."""
    keys: list[str] = []
    if isinstance(tags, dict):
        keys = [str(k) for k in tags]
    elif isinstance(tags, list):
        keys = [str(t.get("Key")) for t in tags if isinstance(t, dict)]
    return any(k != "Name" and not k.startswith(("aws-cdk:", "aws:")) for k in keys)


def compute_tags(context: CheckContext) -> list[Finding]:
    """LG-COST-007 for compute calling Bedrock: tagged for attribution."""
    defaults = _provider_default_tags(context)
    findings = []
    for compute in aws.ai_compute(context):
        if defaults is not None and compute.source.value.startswith("terraform"):
            continue
        tags = compute.get("tags")
        if holds_unresolved(tags):
            status, message = Status.UNRESOLVED, "tags cannot be worked out"
        elif _cost_tagged(tags):
            status, message = Status.PASS, "carries cost tags"
        else:
            status = Status.FAIL
            message = "calls Bedrock but carries no cost tags"
        findings.append(
            judged("LG-COST-007", compute, Verdict(status, message, ("tags",)), " ")
        )
    return findings


_LIMIT_TYPES = (
    "aws_api_gateway_usage_plan",
    "AWS::ApiGateway::UsagePlan",
    "aws_wafv2_web_acl",
    "AWS::WAFv2::WebACL",
)
_FRONT_DOORS = (
    "aws_api_gateway_rest_api",
    "AWS::ApiGateway::RestApi",
    "aws_lb_listener",
    "aws_alb_listener",
    "AWS::ElasticLoadBalancingV2::Listener",
)


def rate_limits(context: CheckContext) -> list[Finding]:
    """LG-COST-008: an AI API limits the request rate or concurrency."""
    doors = context.declared(*_FRONT_DOORS)
    if not doors or not aws.has_ai_workload(context):
        return []
    limits = _rate_limit_evidence(context)
    if limits:
        return [
            finding(
                "LG-COST-008",
                Status.PASS,
                f"{r.address} limits requests to the AI API",
                r,
                evidence=[f"{r.type} {r.address} ({r.location})"],
            )
            for r in limits
        ]
    lambdas = [
        c for c in aws.ai_compute(context) if c.type.lower().endswith("function")
    ]
    listeners = [d for d in doors if "listener" in d.type.lower()]
    anchor = (lambdas or listeners or doors)[0]
    return [
        finding(
            "LG-COST-008",
            Status.FAIL,
            f"no usage plan, throttling, WAF rate rule or reserved concurrency "
            f"limits the AI API; anyone who can call {anchor.address} can drive "
            "unbounded model spend",
            anchor,
            evidence=[f"front doors: {', '.join(d.address for d in doors)}"],
        )
    ]


def _rate_limit_evidence(context: CheckContext) -> list[Resource]:
    found = list(context.declared(*_LIMIT_TYPES))
    for compute in aws.ai_compute(context):
        if compute.get("reserved_concurrent_executions") is not None:
            found.append(compute)
    for settings in context.declared("aws_api_gateway_method_settings"):
        if "throttling" in str(settings.attributes):
            found.append(settings)
    for stage in context.declared("AWS::ApiGateway::Stage"):
        if "Throttling" in str(stage.get("MethodSettings")):
            found.append(stage)
    return found


DEPLOYMENTS = ("azurerm_cognitive_deployment", *DEPLOYMENT_TYPES)


def deployment_capacity(context: CheckContext) -> list[Finding]:
    """LG-COST-010: model deployments set an explicit capacity (TPM quota)."""
    findings = []
    for deployment in context.declared(*DEPLOYMENTS):
        block = "scale" if deployment.get("scale") is not None else "sku"
        path = (*block_path(deployment, block), "capacity")
        capacity = deployment.get(*path)
        if holds_unresolved(capacity) or (
            capacity is None and holds_unresolved(deployment.get(block))
        ):
            status, message = Status.UNRESOLVED, "capacity cannot be worked out"
        elif isinstance(capacity, int) and not isinstance(capacity, bool):
            status, message = Status.PASS, f"caps capacity at {capacity}K tokens/min"
        elif capacity is None:
            status = Status.UNRESOLVED
            message = "sets no capacity: the platform default applies, unseen here"
        else:
            status = Status.FAIL
            message = f"capacity {capacity!r} is not a number of thousand tokens"
        findings.append(
            judged("LG-COST-010", deployment, Verdict(status, message, path), " ")
        )
    return findings


def _provider_default_tags(context: CheckContext) -> Resource | None:
    for resource in context.inventory.resources:
        if resource.type.lower() == "provider.aws" and resource.get("default_tags"):
            return resource
    return None


CHECKS: tuple[Check, ...] = (
    inference_profiles,
    profile_tags,
    budgets,
    anomaly_monitors,
    cost_tag_activation,
    azure_tags,
    bedrock_tags,
    compute_tags,
    rate_limits,
    deployment_capacity,
)
