"""Checks of the AI service's own front door: API Gateway, load balancers, and the
vector store behind a knowledge base.

An AWS deployment that calls Bedrock usually puts an API in front of it (API
Gateway or an Application Load Balancer). That front door decides who can reach
the models from where, so it belongs to connectivity and identity like the
endpoints themselves.
"""

from __future__ import annotations

import json
from typing import Any

from lockgate.review.model import Finding, Resource, Status

from . import aws
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
    locate,
    strings_in,
    text,
    truthy,
)

REST_APIS = ("aws_api_gateway_rest_api", "AWS::ApiGateway::RestApi")
LOAD_BALANCERS = ("aws_lb", "aws_alb", "AWS::ElasticLoadBalancingV2::LoadBalancer")
LISTENERS = (
    "aws_lb_listener",
    "aws_alb_listener",
    "AWS::ElasticLoadBalancingV2::Listener",
)
METHODS = ("aws_api_gateway_method", "AWS::ApiGateway::Method")


def private_front_door(context: CheckContext) -> list[Finding]:
    """LG-CONN-014: the API in front of the AI workload is private."""
    if not aws.has_ai_workload(context):
        return []
    findings = [_rest_api_finding(api) for api in context.declared(*REST_APIS)]
    findings += [_load_balancer_finding(lb) for lb in context.declared(*LOAD_BALANCERS)]
    return findings


def _rest_api_finding(api: Resource) -> Finding:
    path = block_path(api, "endpoint_configuration", "types")
    types = api.get(*path)
    if holds_unresolved(types):
        status, message = Status.UNRESOLVED, "endpoint type cannot be worked out"
    elif types is None:
        status, message = Status.FAIL, "has no endpoint configuration, so it is EDGE"
    elif [t for t in as_list(types) if str(t).upper() == "PRIVATE"]:
        status, message = Status.PASS, "is a PRIVATE API"
    else:
        status = Status.FAIL
        message = f"is a public {'/'.join(map(str, as_list(types)))} API"
    return judged("LG-CONN-014", api, Verdict(status, message, path), " ")


def _load_balancer_finding(balancer: Resource) -> Finding:
    scheme = balancer.get("Scheme")
    internal = balancer.get("internal")
    path = ("Scheme",) if scheme is not None else ("internal",)
    if holds_unresolved(scheme) or holds_unresolved(internal):
        status, message = Status.UNRESOLVED, "scheme cannot be worked out"
    elif scheme == "internal" or truthy(internal) is True:
        status, message = Status.PASS, "is internal"
    else:
        status, message = Status.FAIL, "is internet-facing"
    return judged("LG-CONN-014", balancer, Verdict(status, message, path), " ")


def listener_tls(context: CheckContext) -> list[Finding]:
    """LG-CONN-015: load balancer listeners of an AI deployment use HTTPS."""
    if not aws.has_ai_workload(context):
        return []
    findings = []
    for listener in context.declared(*LISTENERS):
        protocol = listener.get("protocol")
        if holds_unresolved(protocol):
            status, message = Status.UNRESOLVED, "protocol cannot be worked out"
        elif str(protocol).upper() in ("HTTPS", "TLS"):
            status, message = Status.PASS, f"listens with {protocol}"
        elif _redirects_to_https(listener):
            status, message = Status.PASS, "redirects plain HTTP to HTTPS"
        else:
            status, message = Status.FAIL, f"listens with {protocol or 'HTTP'}"
        findings.append(
            judged(
                "LG-CONN-015", listener, Verdict(status, message, ("protocol",)), " "
            )
        )
    return findings


def _redirects_to_https(listener: Resource) -> bool:
    actions = strings_in(listener.get("default_action"))
    return "redirect" in [a.lower() for a in actions] and "HTTPS" in actions


def public_vector_store(context: CheckContext) -> list[Finding]:
    """LG-CONN-016: the vector store behind a knowledge base is not public."""
    policies = aws.vector_store_policies(context, "network")
    return judge_each("LG-CONN-016", policies, _vector_network_verdict, " ")


def _vector_network_verdict(policy: Resource) -> Verdict:
    path: tuple[str | int, ...] = ("policy",)
    rules = _json(policy.get(*path))
    if rules is None:
        return Verdict(Status.UNRESOLVED, "network policy cannot be read", path)
    if any(truthy(r.get("AllowFromPublic")) for r in rules if isinstance(r, dict)):
        message = "allows access from the public internet"
        return Verdict(Status.FAIL, message, path)
    return Verdict(Status.PASS, "allows only VPC endpoints or services", path)


def _json(value: Any) -> list[Any] | None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if isinstance(value, dict):
        return [value]
    return value if isinstance(value, list) else None


def caller_authorization(context: CheckContext) -> list[Finding]:
    """LG-IAM-012: the AI API authorizes its callers at the front door."""
    if not aws.has_ai_workload(context):
        return []
    findings = [_method_finding(m) for m in context.declared(*METHODS)]
    for api in context.declared(*REST_APIS):
        body = api.get("body")
        if isinstance(body, dict) and isinstance(body.get("paths"), dict):
            findings.append(_openapi_finding(api, body))
    for listener in context.declared(*LISTENERS):
        findings.append(_listener_auth_finding(listener))
    return findings


def _method_finding(method: Resource) -> Finding:
    kind = method.get("authorization")
    if kind is None:
        kind = method.get("AuthorizationType")
    path = (
        ("authorization",)
        if method.get("authorization") is not None
        else ("AuthorizationType",)
    )
    if holds_unresolved(kind):
        status, message = Status.UNRESOLVED, "authorization cannot be worked out"
    elif kind is None or str(kind).upper() == "NONE":
        status, message = Status.FAIL, "accepts callers without authorization (NONE)"
    else:
        status, message = Status.PASS, f"authorizes callers ({kind})"
    return judged("LG-IAM-012", method, Verdict(status, message, path), " ")


def _openapi_finding(api: Resource, body: dict[str, Any]) -> Finding:
    components = body.get("components")
    schemes = (
        components.get("securitySchemes") if isinstance(components, dict) else None
    )
    secured = (
        bool(schemes)
        or bool(body.get("security"))
        or bool(body.get("securityDefinitions"))
    )
    status = Status.PASS if secured else Status.FAIL
    message = (
        "declares security schemes in its OpenAPI body"
        if secured
        else "declares no securitySchemes or security in its OpenAPI body: every "
        "method is open at the gateway"
    )
    return finding(
        "LG-IAM-012",
        status,
        f"{api.address} {message}",
        api,
        ("body",),
        [f"{api.address}.Body has no securitySchemes ({api.location_of('body')})"]
        if not secured
        else [evidence_of(api, "body", "components")],
    )


def _listener_auth_finding(listener: Resource) -> Finding:
    key = (
        "DefaultActions"
        if listener.get("DefaultActions") is not None
        else ("default_action")
    )
    actions = [a for a in as_list(listener.get(key)) if isinstance(a, dict)]
    types = [(text(a.get("type")) or "").lower() for a in actions]
    authenticated = any(t.startswith("authenticate") for t in types)
    status = Status.PASS if authenticated else Status.FAIL
    message = (
        "authenticates callers (authenticate-oidc/cognito)"
        if authenticated
        else "forwards callers without an authenticate action"
    )
    return judged(
        "LG-IAM-012",
        listener,
        Verdict(
            status,
            message,
            (key,),
            [f"{listener.address} action types {types} ({locate(listener, (key,))})"],
        ),
        " ",
    )


def cross_region_inference(context: CheckContext) -> list[Finding]:
    """LG-DATA-015: cross-region inference is switched on knowingly."""
    findings = []
    for compute in aws.ai_compute(context):
        path = _setting_path(compute.attributes, "CROSS_REGION")
        if path is None:
            continue
        value = compute.get(*path)
        if isinstance(value, dict):
            value = value.get("Value", value.get("value"))
        on = truthy(value)
        if on is None and not holds_unresolved(value):
            continue
        status = Status.UNRESOLVED if on is None else Status.FAIL if on else Status.PASS
        message = {
            Status.FAIL: "turns on cross-region inference: prompts may be processed "
            "outside the deployment region",
            Status.PASS: "keeps inference in its region",
            Status.UNRESOLVED: "cross-region inference setting cannot be worked out",
        }[status]
        findings.append(
            judged("LG-DATA-015", compute, Verdict(status, message, path), " ")
        )
    return findings


def _setting_path(
    node: Any, marker: str, path: tuple[str | int, ...] = ()
) -> tuple[str | int, ...] | None:
    """Path of an environment setting whose name contains ``marker``."""
    if isinstance(node, dict):
        name = node.get("Name") if isinstance(node.get("Name"), str) else None
        if name is not None and marker in name:
            return path
        for key, value in node.items():
            if isinstance(key, str) and marker in key:
                return (*path, key)
            found = _setting_path(value, marker, (*path, key))
            if found is not None:
                return found
    if isinstance(node, list):
        for index, value in enumerate(node):
            found = _setting_path(value, marker, (*path, index))
            if found is not None:
                return found
    return None


CHECKS: tuple[Check, ...] = (
    private_front_door,
    listener_tls,
    public_vector_store,
    caller_authorization,
    cross_region_inference,
)
