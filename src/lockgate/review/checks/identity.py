"""Checks of identity: IAM grants for Bedrock, static keys, Azure local auth."""

from __future__ import annotations

import re

from lockgate.review.model import Finding, Resource, Status, Unresolved

from . import aws, outputs
from .azure import ACCOUNT_TYPES, accounts, identity, local_auth, switch_verdict
from .policies import (
    Document,
    Statement,
    action_matches,
    is_wildcard_action,
    principal_strings,
)
from .support import (
    Check,
    CheckContext,
    Verdict,
    evidence_of,
    finding,
    holds_unresolved,
    judge_each,
    judged,
    locate,
    mentions,
    show,
    strings_in,
    text,
)

FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonBedrockFullAccess"
_BROAD_ROLES = (
    "owner",
    "contributor",
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "b24988ac-6180-42a0-ab88-20f7382dd24c",
)
_PERMISSION_TYPES = (
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_iam_role",
    "aws::iam::policy",
    "aws::iam::managedpolicy",
    "aws::iam::role",
)


def _permission_statements(
    context: CheckContext,
) -> list[tuple[Document, Statement]]:
    """Allow statements of identity policies (not trust, not endpoint policies)."""
    found = []
    for document in aws.all_documents(context):
        if document.trust or document.owner.type.lower() not in _PERMISSION_TYPES:
            continue
        for statement in document.statements:
            if statement.effect.lower() == "allow":
                found.append((document, statement))
    return found


def _bedrock_actions(statement: Statement) -> list[str]:
    return [
        a
        for a in statement.actions
        if action_matches(a, "bedrock") or action_matches(a, "bedrock-mantle")
    ]


def wildcard_actions(context: CheckContext) -> list[Finding]:
    """LG-IAM-001: no bedrock:* or * actions in identity policies."""
    findings = []
    for document, statement in _permission_statements(context):
        actions = _bedrock_actions(statement)
        if not actions:
            continue
        wild = [
            a
            for a in actions
            if is_wildcard_action(a, "bedrock")
            or is_wildcard_action(a, "bedrock-mantle")
        ]
        status = Status.FAIL if wild else Status.PASS
        message = (
            f"{document.owner.address} grants {', '.join(wild)}"
            if wild
            else f"{document.owner.address} names its Bedrock actions"
        )
        findings.append(
            finding(
                "LG-IAM-001",
                status,
                message,
                document.owner,
                location=statement.location,
                evidence=[f"actions {show(statement.actions)} ({statement.location})"],
            )
        )
    return findings


def wildcard_resources(context: CheckContext) -> list[Finding]:
    """LG-IAM-002: Bedrock actions are scoped to model or profile ARNs."""
    findings = []
    for document, statement in _permission_statements(context):
        actions = _bedrock_actions(statement)
        if not actions:
            continue
        evidence = [
            f"actions {show(actions)} on resources {show(statement.resources)} "
            f"({statement.location})"
        ]
        breadth = [_breadth(r) for r in statement.resources]
        if "broad" in breadth:
            status = Status.FAIL
            message = (
                "grants Bedrock actions on every resource, region or account "
                "(Resource '*' or a wildcard ARN)"
            )
        elif "unknown" in breadth:
            status = Status.UNRESOLVED
            message = "resources cannot be worked out"
        else:
            status = Status.PASS
            message = "scopes its Bedrock actions to named resources"
        findings.append(
            finding(
                "LG-IAM-002",
                status,
                f"{document.owner.address} {message}",
                document.owner,
                location=statement.location,
                evidence=evidence,
            )
        )
    return findings


_BROAD_ARN = re.compile(r":bedrock(?:-mantle)?:\*:[^:]*:[a-z-]*/?\*?$")


def _breadth(resource: object) -> str:
    """'broad', 'scoped' or 'unknown' for one Resource entry of a statement."""
    if resource == "*":
        return "broad"
    raw = resource.expression if isinstance(resource, Unresolved) else resource
    cleaned = raw.strip().strip('"') if isinstance(raw, str) else ""
    if _BROAD_ARN.search(cleaned):
        return "broad"
    if not holds_unresolved(resource):
        return "scoped"
    # An ARN template whose unknown parts are partition, region or account but
    # whose resource part names one model or profile is scoped all the same.
    if cleaned.startswith("arn:") and not cleaned.endswith(("/*", ":*")):
        return "scoped"
    return "unknown"


def full_access_policy(context: CheckContext) -> list[Finding]:
    """LG-IAM-003: AmazonBedrockFullAccess is not attached."""
    findings = []
    for resource in context.inventory.resources:
        if resource.platform != "aws":
            continue
        for key in ("policy_arn", "managed_policy_arns", "ManagedPolicyArns"):
            value = resource.get(key)
            if any(s.endswith("AmazonBedrockFullAccess") for s in strings_in(value)):
                findings.append(
                    finding(
                        "LG-IAM-003",
                        Status.FAIL,
                        f"{resource.address} attaches AmazonBedrockFullAccess",
                        resource,
                        (key,),
                        [evidence_of(resource, key)],
                    )
                )
                break
    return findings


def static_access_keys(context: CheckContext) -> list[Finding]:
    """LG-IAM-004: no long-lived IAM access keys, declared or in a provider.

    A provider block is judged by the presence of ``access_key``/``secret_key``:
    the value is usually an unset variable, but configuring static keys at all is
    the finding.
    """
    findings = [
        finding(
            "LG-IAM-004",
            Status.FAIL,
            f"{key.address} creates a long-lived IAM access key",
            key,
            evidence=[f"{key.type} {key.address} ({key.location})"],
        )
        for key in context.declared("aws_iam_access_key", "AWS::IAM::AccessKey")
    ]
    for provider in context.inventory.resources:
        if not provider.type.lower().startswith("provider."):
            continue
        keys = [
            k
            for k in ("access_key", "secret_key", "aws_access_key", "aws_secret_key")
            if provider.get(k) is not None
        ]
        if not keys:
            continue
        findings.append(
            finding(
                "LG-IAM-004",
                Status.FAIL,
                f"{provider.address} authenticates with a static access_key and "
                "secret_key (long-lived IAM user keys)",
                provider,
                (keys[0],),
                [
                    f"{provider.address}.{k} is set ({locate(provider, (k,))})"
                    for k in keys
                ],
            )
        )
    return findings


def long_term_api_keys(context: CheckContext) -> list[Finding]:
    """LG-IAM-005: no long-term Bedrock API keys (service-specific credentials)."""
    findings = []
    for credential in context.declared(
        "aws_iam_service_specific_credential", "AWS::IAM::ServiceSpecificCredential"
    ):
        service = credential.get("service_name")
        evidence = [evidence_of(credential, "service_name")]
        if holds_unresolved(service):
            status = Status.UNRESOLVED
            message = "is a service-specific credential for an unresolved service"
        elif isinstance(service, str) and service.startswith("bedrock"):
            status = Status.FAIL
            message = "is a long-term Bedrock API key"
        else:
            continue
        findings.append(
            judged(
                "LG-IAM-005",
                credential,
                Verdict(status, message, ("service_name",), evidence),
                " ",
            )
        )
    return findings


def bearer_token_grants(context: CheckContext) -> list[Finding]:
    """LG-IAM-006: no grants of CallWithBearerToken."""
    findings = []
    for document, statement in _permission_statements(context):
        bearer = [
            a
            for a in statement.actions
            if isinstance(a, str)
            and a.lower()
            in ("bedrock:callwithbearertoken", "bedrock-mantle:callwithbearertoken")
        ]
        if bearer:
            findings.append(
                finding(
                    "LG-IAM-006",
                    Status.FAIL,
                    f"{document.owner.address} grants {', '.join(bearer)}",
                    document.owner,
                    location=statement.location,
                    evidence=[
                        f"actions {show(statement.actions)} ({statement.location})"
                    ],
                )
            )
    return findings


def confused_deputy(context: CheckContext) -> list[Finding]:
    """LG-IAM-007: roles trusting bedrock.amazonaws.com carry source conditions."""
    findings = []
    for document in aws.all_documents(context):
        if not document.trust:
            continue
        for statement in document.statements:
            services = [
                p for p in principal_strings(statement) if p.startswith("bedrock")
            ]
            if not services or statement.effect.lower() != "allow":
                continue
            keys = statement.condition_keys
            guarded = {"aws:sourceaccount", "aws:sourcearn"} & keys
            status = Status.PASS if guarded else Status.FAIL
            if statement.unresolved and not guarded:
                status = Status.UNRESOLVED
            message = (
                f"trusts {services[0]} only with {', '.join(sorted(guarded))}"
                if guarded
                else f"trusts {services[0]} without aws:SourceAccount or "
                "aws:SourceArn: another account's Bedrock resources can use it"
            )
            findings.append(
                finding(
                    "LG-IAM-007",
                    status,
                    f"{document.owner.address} {message}",
                    document.owner,
                    location=statement.location,
                    evidence=[
                        f"principal {show(services)}, condition keys "
                        f"{sorted(keys) or 'none'} ({statement.location})"
                    ],
                )
            )
    return findings


def azure_local_auth(context: CheckContext) -> list[Finding]:
    """LG-IAM-008: AI accounts have key (local) authentication disabled."""
    return judge_each("LG-IAM-008", accounts(context), _local_auth_verdict)


def _local_auth_verdict(account: Resource) -> Verdict:
    setting, on = local_auth(account)
    return switch_verdict(
        setting,
        on,
        unknown="local auth cannot be worked out",
        off="key (local) authentication is disabled",
        on_set="key (local) authentication is enabled",
        on_by_default="key (local) authentication is not disabled, so the platform "
        "default (enabled) applies",
    )


def azure_managed_identity(context: CheckContext) -> list[Finding]:
    """LG-IAM-009: AI accounts have a managed identity."""
    return judge_each("LG-IAM-009", accounts(context), _identity_verdict, " ")


def _identity_verdict(account: Resource) -> Verdict:
    setting = identity(account)
    block = setting.value
    if isinstance(block, list):
        block = block[0] if block else None
    kind = block.get("type") if isinstance(block, dict) else None

    if setting.unresolved:
        return Verdict(Status.UNRESOLVED, "identity cannot be worked out", setting.path)
    if not setting.present or (isinstance(kind, str) and kind.lower() == "none"):
        return Verdict(Status.FAIL, "has no managed identity", setting.path)
    return Verdict(Status.PASS, f"has a managed identity ({kind})", setting.path)


def azure_broad_roles(context: CheckContext) -> list[Finding]:
    """LG-IAM-010: no Owner or Contributor assignment scoped to an AI account."""
    findings = []
    # An account declared ``existing`` is still the account a grant is made on.
    ai_accounts = context.inventory.of_type(*ACCOUNT_TYPES)
    for assignment in context.declared(
        "azurerm_role_assignment", "Microsoft.Authorization/roleAssignments"
    ):
        scope = assignment.get("scope")
        target = next((a for a in ai_accounts if mentions(scope, a)), None)
        if target is None:
            continue
        role = assignment.get("role_definition_name") or assignment.get(
            "role_definition_id"
        )
        if role is None:
            role = assignment.get("roleDefinitionId")
        words = " ".join(strings_in(role)).lower()
        broad = any(marker in words for marker in _BROAD_ROLES)
        findings.append(
            finding(
                "LG-IAM-010",
                Status.FAIL if broad else Status.PASS,
                f"{assignment.address} grants {show(role)} on {target.address}",
                assignment,
                evidence=[f"role {show(role)} scope {show(scope)}"],
            )
        )
    return findings


def azure_keys_in_code(context: CheckContext) -> list[Finding]:
    """LG-IAM-011: no static keys: listKeys(), primary_access_key, ApiKey auth."""
    if not accounts(context):
        return []
    findings = []
    for resource in context.inventory.resources:
        hits = [
            s
            for s in _expressions(resource)
            if "listkeys(" in s.lower() or "primary_access_key" in s.lower()
        ]
        auth = resource.get("authType")
        if hits:
            findings.append(
                finding(
                    "LG-IAM-011",
                    Status.FAIL,
                    f"{resource.address} reads a static key: {show(hits[0])}",
                    resource,
                    evidence=[show(h) for h in hits[:3]],
                )
            )
        elif isinstance(auth, str) and auth.lower() == "apikey":
            findings.append(
                finding(
                    "LG-IAM-011",
                    Status.FAIL,
                    f"{resource.address} authenticates with a static key "
                    "(authType ApiKey) instead of Entra ID",
                    resource,
                    ("authType",),
                    [evidence_of(resource, "authType")],
                )
            )
        elif isinstance(auth, str) and auth.lower() in ("aad", "managedidentity"):
            findings.append(
                finding(
                    "LG-IAM-011",
                    Status.PASS,
                    f"{resource.address} authenticates with Entra ID ({auth})",
                    resource,
                    ("authType",),
                    [evidence_of(resource, "authType")],
                )
            )
    return findings


def _expressions(resource: Resource) -> list[str]:
    found = strings_in(resource.attributes)
    stack = [resource.attributes]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif hasattr(node, "expression"):
            found.append(str(node.expression))
    return [s for s in found if text(s)]


CHECKS: tuple[Check, ...] = (
    wildcard_actions,
    wildcard_resources,
    full_access_policy,
    static_access_keys,
    long_term_api_keys,
    bearer_token_grants,
    confused_deputy,
    azure_local_auth,
    azure_managed_identity,
    azure_broad_roles,
    azure_keys_in_code,
    outputs.keys_in_outputs,
)
