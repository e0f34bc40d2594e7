"""Checks of Azure API Management in front of Azure OpenAI (facts gap 12).

An APIM policy is XML kept as a string (``xml_content`` in Terraform, ``value`` in
ARM/Bicep). The checks look for the policy elements by name; they do not parse
the XML, so a commented-out element still counts.
"""

from __future__ import annotations

from lockgate.review.model import Finding, Resource, Status

from .support import (
    Check,
    CheckContext,
    Verdict,
    evidence_of,
    finding,
    judged,
    strings_in,
)

POLICY_TYPES = (
    "azurerm_api_management_api_policy",
    "azurerm_api_management_api_operation_policy",
    "azurerm_api_management_product_policy",
    "Microsoft.ApiManagement/service/apis/policies",
    "Microsoft.ApiManagement/service/apis/operations/policies",
    "Microsoft.ApiManagement/service/products/policies",
    "Microsoft.ApiManagement/service/policies",
)
TOKEN_LIMIT = ("llm-token-limit", "azure-openai-token-limit")
TOKEN_METRIC = ("llm-emit-token-metric", "azure-openai-emit-token-metric")
MANAGED_IDENTITY = ("authentication-managed-identity",)


def _policies(context: CheckContext) -> list[tuple[Resource, tuple[str, ...], str]]:
    """(policy resource, path of its XML, the XML) for every APIM policy."""
    found: list[tuple[Resource, tuple[str, ...], str]] = []
    for policy in context.declared(*POLICY_TYPES):
        paths: tuple[tuple[str, ...], ...] = (
            ("xml_content",),
            ("value",),
            ("properties", "value"),
        )
        for path in paths:
            xml = policy.get(*path)
            if isinstance(xml, str):
                found.append((policy, path, xml))
                break
    return found


def _element_check(
    context: CheckContext, check_id: str, names: tuple[str, ...], what: str
) -> list[Finding]:
    findings = []
    for policy, path, xml in _policies(context):
        present = any(f"<{name}" in xml for name in names)
        findings.append(
            finding(
                check_id,
                Status.PASS if present else Status.FAIL,
                f"{policy.address} "
                + (f"has {what}" if present else f"has no {what} ({names[0]})"),
                policy,
                path,
                [evidence_of(policy, *path).split(" = ")[0]],
            )
        )
    return findings


def token_limit(context: CheckContext) -> list[Finding]:
    """LG-COST-009: APIM limits tokens per caller."""
    return _element_check(context, "LG-COST-009", TOKEN_LIMIT, "a token limit")


def token_metrics(context: CheckContext) -> list[Finding]:
    """LG-OBS-010: APIM emits token metrics."""
    return _element_check(context, "LG-OBS-010", TOKEN_METRIC, "token metrics")


def backend_identity(context: CheckContext) -> list[Finding]:
    """LG-IAM-013: APIM calls the model with its managed identity, not a key."""
    findings = []
    for policy, path, xml in _policies(context):
        identity = any(f"<{name}" in xml for name in MANAGED_IDENTITY)
        key_header = 'name="api-key"' in xml.replace("'", '"')
        status = Status.FAIL if key_header or not identity else Status.PASS
        message = (
            "sends an api-key header to the backend"
            if key_header
            else "authenticates to the backend with its managed identity"
            if identity
            else "has no authentication-managed-identity for the backend"
        )
        findings.append(
            judged(
                "LG-IAM-013",
                policy,
                Verdict(
                    status, message, path, [evidence_of(policy, *path).split(" = ")[0]]
                ),
                " ",
            )
        )
    for backend in context.declared(
        "azurerm_api_management_backend", "Microsoft.ApiManagement/service/backends"
    ):
        if any("api-key" in s.lower() for s in strings_in(backend.get("credentials"))):
            findings.append(
                finding(
                    "LG-IAM-013",
                    Status.FAIL,
                    f"{backend.address} sends an api-key credential to the backend",
                    backend,
                    ("credentials",),
                    [evidence_of(backend, "credentials").split(" = ")[0]],
                )
            )
    return findings


CHECKS: tuple[Check, ...] = (token_limit, token_metrics, backend_identity)
