"""AWS views the checks share: Bedrock endpoints, AI workload evidence, compute.

"AI workload evidence" is what makes a Bedrock check apply: a Bedrock resource, an
IAM statement granting ``bedrock:`` or ``bedrock-mantle:`` actions, a Bedrock
endpoint, or compute whose configuration names Bedrock or a model id. Without any
of it the AWS checks stay silent rather than fail a repository that runs no AI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lockgate.review.model import Resource, Status, Unresolved

from .policies import Document, action_matches, documents
from .support import CheckContext, holds_unresolved, reference_targets, strings_in

BEDROCK_SUFFIXES = (
    "bedrock-runtime",
    "bedrock",
    "bedrock-agent-runtime",
    "bedrock-agent",
    "bedrock-mantle",
)
ENDPOINT_TYPES = ("aws_vpc_endpoint", "AWS::EC2::VPCEndpoint")
VPC_TYPES = ("aws_vpc", "AWS::EC2::VPC")
FUNCTION_TYPES = (
    "aws_lambda_function",
    "aws::lambda::function",
    "aws::serverless::function",
)
COMPUTE_TYPES = (
    "aws_lambda_function",
    "AWS::Lambda::Function",
    "AWS::Serverless::Function",
    "aws_ecs_task_definition",
    "AWS::ECS::TaskDefinition",
    "aws_instance",
    "AWS::EC2::Instance",
)
VECTOR_POLICY_TYPES = (
    "aws_opensearchserverless_security_policy",
    "AWS::OpenSearchServerless::SecurityPolicy",
)
_SERVICE = re.compile(r"\.(bedrock(?:-[a-z]+)*)(?=$|[\"'}\s,\]])")
_MODEL_ID = re.compile(
    r"\b(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|qwen|writer)"
    r"\.[a-z0-9][a-z0-9.-]*(?:-v\d+(?::\d+)?|:\d+)"
)


@dataclass(frozen=True, slots=True)
class Endpoint:
    resource: Resource
    suffix: str | None  # None: the service name cannot be worked out


def service_suffix(value: object) -> str | None:
    """``bedrock-runtime`` from ``com.amazonaws.us-east-1.bedrock-runtime``."""
    raw = value.expression if isinstance(value, Unresolved) else value
    if not isinstance(raw, str):
        return None
    match = _SERVICE.search(raw.strip())
    return match.group(1) if match else None


def endpoints(context: CheckContext) -> list[Endpoint]:
    """Every interface endpoint, with its Bedrock suffix when it has one."""

    def find() -> list[Endpoint]:
        found = []
        for resource in context.declared(*ENDPOINT_TYPES):
            value = resource.get("service_name")
            suffix = service_suffix(value)
            if suffix is None and isinstance(value, str):
                suffix = value.rsplit(".", 1)[-1]
            found.append(Endpoint(resource, suffix))
        return found

    result: list[Endpoint] = context.remember("aws.endpoints", find)
    return result


def bedrock_endpoints(context: CheckContext) -> list[Endpoint]:
    return [e for e in endpoints(context) if e.suffix in BEDROCK_SUFFIXES]


def all_documents(context: CheckContext) -> list[Document]:
    result: list[Document] = context.remember(
        "aws.documents", lambda: documents(context.inventory)
    )
    return result


def grants_bedrock(document: Document) -> bool:
    return any(
        statement.effect.lower() == "allow"
        and any(
            action_matches(a, "bedrock") or action_matches(a, "bedrock-mantle")
            for a in statement.actions
        )
        for statement in document.statements
    )


def bedrock_roles(context: CheckContext) -> set[str]:
    """Addresses of roles that some policy grants Bedrock actions."""

    def find() -> set[str]:
        granting = {
            d.owner.address
            for d in all_documents(context)
            if not d.trust and grants_bedrock(d)
        }
        roles: set[str] = set()
        for resource in context.inventory.resources:
            kind = resource.type.lower()
            if kind in ("aws_iam_role", "aws::iam::role") and resource.address in (
                granting
            ):
                roles.add(resource.address)
            attached = set(reference_targets(resource.get("policy_arn"))) & granting
            if resource.address in granting or attached:
                for key in ("role", "roles"):
                    roles.update(reference_targets(resource.get(key)))
        return roles

    result: set[str] = context.remember("aws.bedrock_roles", find)
    return result


def is_ai_compute(context: CheckContext, resource: Resource) -> bool:
    """Compute that calls Bedrock: named in its settings or through its role."""
    strings = strings_in(resource.attributes)
    if any("bedrock" in s.lower() or _MODEL_ID.search(s) for s in strings):
        return True
    roles = bedrock_roles(context)
    return any(t in roles for t in reference_targets(resource.attributes))


def ai_compute(context: CheckContext) -> list[Resource]:
    def find() -> list[Resource]:
        return [
            r for r in context.declared(*COMPUTE_TYPES) if is_ai_compute(context, r)
        ]

    result: list[Resource] = context.remember("aws.ai_compute", find)
    return result


def bedrock_resources(context: CheckContext) -> list[Resource]:
    return [
        r
        for r in context.inventory.resources
        if r.platform == "aws" or r.type.lower().startswith("awscc_")
        if "bedrock" in r.type.lower()
    ]


def has_ai_workload(context: CheckContext) -> bool:
    """Whether the inventory shows any Bedrock use at all."""

    def find() -> bool:
        return bool(
            bedrock_resources(context)
            or bedrock_endpoints(context)
            or ai_compute(context)
            or any(grants_bedrock(d) for d in all_documents(context))
        )

    result: bool = context.remember("aws.has_ai", find)
    return result


def model_ids_in(resource: Resource) -> list[str]:
    """Raw foundation-model ids named anywhere in ``resource``."""
    found = []
    for value in strings_in(resource.attributes):
        if "inference-profile" in value or "application-inference-profile" in value:
            continue
        match = _MODEL_ID.search(value)
        if match:
            found.append(match.group(0))
    return found


def vector_store_policies(context: CheckContext, kind: str) -> list[Resource]:
    """OpenSearch Serverless security policies of ``kind`` (network, encryption)."""
    return [
        policy
        for policy in context.declared(*VECTOR_POLICY_TYPES)
        if str(policy.get("type")).lower() == kind
    ]


def vpc_placement(function: Resource) -> Status:
    """PASS when a Lambda function runs inside a VPC, FAIL when it does not."""
    config = function.get("vpc_config")
    if holds_unresolved(config):
        return Status.UNRESOLVED
    return Status.PASS if config else Status.FAIL
