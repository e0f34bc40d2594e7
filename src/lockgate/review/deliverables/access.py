"""Deliverable 2, the identity and access model: who can reach a model, and how.

A principal is listed when something in the code lets it call a model: an IAM
statement allowing ``bedrock:``/``bedrock-mantle:`` actions (or ``*``), a managed
Bedrock policy, an Azure role assignment of a Cognitive Services role, or a gateway
upstream credential. Policies written as expressions the loader could not evaluate
are shown as "unresolved", never assumed empty.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from lockgate.review.model import Area, Finding, Inventory, Resource, Unresolved

from . import catalog as types
from .facts import AccessModel, FindingRef, Principal
from .gateway import GatewayView
from .values import (
    arm_type,
    as_list,
    finding_ref,
    identity,
    is_false,
    is_true,
    of_types,
    open_findings,
    policy_document,
    ref_target,
    statements,
    text,
)

MODEL_ACTION_PREFIXES = ("bedrock:", "bedrock-mantle:", "bedrock-agentcore:")
BEDROCK_MANAGED = ("AmazonBedrock", "AmazonBedrockMantle")
AZURE_MODEL_ROLES = {
    "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd": "Cognitive Services OpenAI User",
    "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68": "Cognitive Services Contributor",
    "53ca6127-db72-4b80-b1b0-d745d6d5456d": "Azure AI User",
    "64702f94-c441-49e6-a78b-ef80e0188fee": "Azure AI Developer",
    "a001fd3d-188f-4b5d-821b-7da978bf7442": "Cognitive Services OpenAI Contributor",
    "a97b65f3-24c7-4388-baec-2e87135dc908": "Cognitive Services User",
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
}
_WILDCARD_WORDS = ("wildcard", "full access", "fullaccess", "scoped")
_KEY_WORDS = ("key", "static", "credential", "local auth", "bearer")


def build_access_model(
    inventory: Inventory, findings: Iterable[Finding], gateway: GatewayView
) -> AccessModel:
    permissions = _aws_permissions(inventory)
    keyed = _users_with_keys(inventory)
    principals = _aws_principals(inventory, permissions, keyed)
    principals += _azure_principals(inventory)
    principals += gateway.principals()

    identity_findings = [
        f for f in open_findings(findings) if f.check.area is Area.IDENTITY
    ]
    return AccessModel(
        principals=tuple(sorted(principals, key=lambda p: (p.kind, p.name))),
        local_auth=_local_auth(inventory),
        wildcard_findings=_matching(identity_findings, _WILDCARD_WORDS),
        static_key_findings=_matching(identity_findings, _KEY_WORDS),
        just_in_time=gateway.just_in_time(),
        human_approval=gateway.human_approval(),
    )


def _matching(
    findings: list[Finding], words: tuple[str, ...]
) -> tuple[FindingRef, ...]:
    chosen = [
        finding_ref(f)
        for f in findings
        if any(w in f"{f.check.id} {f.check.title}".lower() for w in words)
    ]
    return tuple(sorted(chosen, key=lambda r: (r.check_id, r.resource)))


def _aws_permissions(inventory: Inventory) -> dict[str, set[str]]:
    """Principal address -> model actions its policies allow (with resources)."""
    found: dict[str, set[str]] = defaultdict(set)
    documents = _named_documents(inventory)

    for policy in of_types(inventory, *types.INLINE_POLICIES):
        owner = ref_target(policy.get("role")) or ref_target(policy.get("user"))
        if owner:
            found[owner] |= _model_actions(policy.get("policy"), documents)
    for attachment in of_types(inventory, *types.POLICY_ATTACHMENTS):
        actions = _attached_actions(attachment, documents)
        owners = [attachment.get("role"), attachment.get("user")]
        owners += as_list(attachment.get("roles")) + as_list(attachment.get("users"))
        for owner in filter(None, (ref_target(o) for o in owners)):
            found[owner] |= actions
    for role in of_types(inventory, *types.IAM_ROLES, *types.IAM_USERS):
        found[role.address] |= _own_actions(role, documents)
    for policy in of_types(inventory, *types.MANAGED_POLICIES):
        owners = as_list(policy.get("Roles")) + as_list(policy.get("Users"))
        actions = _model_actions(documents.get(policy.address), documents)
        for owner in filter(None, (ref_target(o) for o in owners)):
            found[owner] |= actions
    return found


def _named_documents(inventory: Inventory) -> dict[str, Any]:
    """Managed policies and policy-document data sources, by address."""
    named: dict[str, Any] = {}
    for policy in of_types(inventory, *types.MANAGED_POLICIES):
        named[policy.address] = policy.get("policy") or policy.get("PolicyDocument")
    for document in of_types(inventory, *types.POLICY_DOCUMENTS):
        named[document.address] = {"Statement": document.get("statement") or []}
        named[f"data.{document.address}"] = named[document.address]
    return named


def _attached_actions(attachment: Resource, documents: dict[str, Any]) -> set[str]:
    arn = attachment.get("policy_arn")
    target = ref_target(arn)
    if target is not None:
        return _model_actions(documents.get(target), documents)
    if isinstance(arn, str) and arn.rsplit("/", 1)[-1].startswith(BEDROCK_MANAGED):
        return {f"managed policy {arn.rsplit('/', 1)[-1]}"}
    return set()


def _own_actions(principal: Resource, documents: dict[str, Any]) -> set[str]:
    actions: set[str] = set()
    for inline in as_list(principal.get("inline_policy")) + as_list(
        principal.get("Policies")
    ):
        if isinstance(inline, dict):
            body = inline.get("policy", inline.get("PolicyDocument"))
            actions |= _model_actions(body, documents)
    for arn in as_list(principal.get("managed_policy_arns")) + as_list(
        principal.get("ManagedPolicyArns")
    ):
        if isinstance(arn, str) and arn.rsplit("/", 1)[-1].startswith(BEDROCK_MANAGED):
            actions.add(f"managed policy {arn.rsplit('/', 1)[-1]}")
    return actions


def _model_actions(value: Any, documents: dict[str, Any]) -> set[str]:
    target = ref_target(value)
    if target is not None and target in documents:
        value = documents[target]
    if isinstance(value, Unresolved) or (isinstance(value, str) and "${" in value):
        return {"unresolved policy"}
    document = policy_document(value)
    if document is None:
        return set()

    allowed: set[str] = set()
    for statement in statements(document):
        if str(statement.get("Effect", statement.get("effect", "Allow"))) != "Allow":
            continue
        actions = as_list(statement.get("Action", statement.get("actions")))
        resources = [
            text(r)
            for r in as_list(statement.get("Resource", statement.get("resources")))
        ]
        scope = ",".join(resources) or "*"
        for action in (text(a) for a in actions):
            if action == "*" or action.lower().startswith(MODEL_ACTION_PREFIXES):
                allowed.add(f"{action} on {scope}")
    return allowed


def _users_with_keys(inventory: Inventory) -> set[str]:
    owners = set()
    for key in of_types(inventory, *types.ACCESS_KEYS):
        owner = key.get("user") or key.get("user_name") or key.get("UserName")
        owners.add(identity(owner))
    return owners


def _aws_principals(
    inventory: Inventory, permissions: dict[str, set[str]], keyed: set[str]
) -> list[Principal]:
    found = []
    kinds = [(r, "iam role") for r in of_types(inventory, *types.IAM_ROLES)]
    kinds += [(r, "iam user") for r in of_types(inventory, *types.IAM_USERS)]
    for resource, kind in kinds:
        allowed = permissions.get(resource.address, set())
        has_key = resource.address in keyed
        if not allowed and not (has_key and kind == "iam user"):
            continue
        found.append(
            Principal(
                name=resource.address,
                kind=kind,
                platform="aws",
                permissions=tuple(sorted(allowed)) or ("no model action found",),
                scope=(),
                static_keys=has_key,
                location=str(resource.location),
            )
        )
    return found


def _azure_principals(inventory: Inventory) -> list[Principal]:
    """Holders of a model role, or of any role on an AI account."""
    accounts = _ai_account_addresses(inventory)
    found = []
    for assignment in of_types(inventory, *types.ROLE_ASSIGNMENTS):
        role = _azure_role(assignment, inventory)
        scope = identity(assignment.get("scope"))
        if role is None and scope not in accounts:
            continue
        principal = assignment.get("principal_id") or assignment.get("principalId")
        kind = "managed identity" if _is_identity(principal) else "azure principal"
        found.append(
            Principal(
                name=identity(principal),
                kind=kind,
                platform="azure",
                permissions=(role or f"role {_role_reference(assignment)}",),
                scope=(scope,),
                static_keys=False,
                location=str(assignment.location),
            )
        )
    return found


def _ai_account_addresses(inventory: Inventory) -> set[str]:
    """AI accounts, Bicep ``existing`` references included (they are scopes too)."""
    wanted = {t.lower() for t in types.AI_ACCOUNTS}
    return {r.address for r in inventory.resources if arm_type(r).lower() in wanted}


def _azure_role(assignment: Resource, inventory: Inventory) -> str | None:
    name = assignment.get("role_definition_name")
    if isinstance(name, str) and (
        name.startswith("Cognitive Services") or name in AZURE_MODEL_ROLES.values()
    ):
        return name
    definition = _role_reference(assignment, inventory).lower()
    return next((r for g, r in AZURE_MODEL_ROLES.items() if g in definition), None)


def _role_reference(assignment: Resource, inventory: Inventory | None = None) -> str:
    """The role definition id, or the GUID name of the definition it refers to."""
    value = assignment.get("role_definition_id") or assignment.get("roleDefinitionId")
    target = ref_target(value)
    declared = inventory.by_address(target) if inventory and target else None
    if declared is not None and isinstance(declared.get("name"), str):
        return str(declared.get("name"))
    return identity(value)


def _is_identity(principal: Any) -> bool:
    target = ref_target(principal) or ""
    named = f"{target} {text(principal)}".lower()
    return "user_assigned_identity" in named or "identity" in named


def _local_auth(inventory: Inventory) -> tuple[str, ...]:
    """AI accounts where key (local) authentication is still on."""
    found = []
    for account in of_types(inventory, *types.AI_ACCOUNTS):
        disabled = account.get("disableLocalAuth")
        enabled = account.get(
            "local_auth_enabled", default=account.get("local_authentication_enabled")
        )
        if isinstance(enabled, Unresolved) or isinstance(disabled, Unresolved):
            found.append(f"{account.address}: unresolved")
        elif is_true(disabled) or is_false(enabled):
            continue
        elif (
            account.type.startswith("azurerm")
            or disabled is not None
            or is_true(enabled)
        ):
            found.append(f"{account.address}: key authentication enabled")
        else:
            found.append(f"{account.address}: key authentication enabled (default)")
    return tuple(sorted(found))
