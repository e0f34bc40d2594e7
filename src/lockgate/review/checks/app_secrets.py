"""Model API keys written into compute settings (facts gap 12: proxies such as
LiteLLM keeping provider keys in environment variables).

A setting whose name says key, secret or token and whose value is a literal
string is a key in plain configuration. References (a Secrets Manager ARN, a Key
Vault reference, a parameter) are not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lockgate.review.model import Finding, Status

from . import aws
from .support import Check, CheckContext, finding, unresolved_expressions

COMPUTE_TYPES = (
    "aws_lambda_function",
    "AWS::Lambda::Function",
    "AWS::Serverless::Function",
    "aws_ecs_task_definition",
    "AWS::ECS::TaskDefinition",
    "Microsoft.Web/sites",
    "Microsoft.Web/sites/config",
    "Microsoft.App/containerApps",
    "azurerm_linux_web_app",
    "azurerm_windows_web_app",
    "azurerm_linux_function_app",
    "azurerm_container_app",
)
_SECRET_NAME = re.compile(r"(API_?KEY|SECRET|TOKEN|PASSWORD)", re.IGNORECASE)
_REFERENCE = re.compile(
    r"^(arn:aws:(secretsmanager|ssm)|@Microsoft\.KeyVault|\$\{|\{\{resolve:)"
)

Path = tuple[str | int, ...]


def keys_in_settings(context: CheckContext) -> list[Finding]:
    """LG-IAM-014: no API key, secret or token as a literal compute setting."""
    findings = []
    for compute in context.declared(*COMPUTE_TYPES):
        for path, name in _literal_secrets(compute.attributes, ()):
            findings.append(
                finding(
                    "LG-IAM-014",
                    Status.FAIL,
                    f"{compute.address} sets {name} to a literal value in its "
                    "configuration",
                    compute,
                    path,
                    [
                        f"{compute.address} setting {name} holds a literal value "
                        f"({compute.location_of(*path)}); the value is not shown"
                    ],
                )
            )
    return findings


def _literal_secrets(node: Any, path: Path) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    if isinstance(node, dict):
        name = node.get("Name", node.get("name"))
        value = node.get("Value", node.get("value"))
        if isinstance(name, str) and _is_literal_secret(name, value):
            found.append((path, name))
        for key, child in node.items():
            if isinstance(key, str) and _is_literal_secret(key, child):
                found.append(((*path, key), key))
            elif isinstance(child, dict | list):
                found.extend(_literal_secrets(child, (*path, key)))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found.extend(_literal_secrets(child, (*path, index)))
    return found


def _is_literal_secret(name: str, value: Any) -> bool:
    if not _SECRET_NAME.search(name) or not isinstance(value, str):
        return False
    stripped = value.strip()
    if len(stripped) < 8 or _REFERENCE.match(stripped):
        return False
    return not stripped.lower().startswith(("arn:", "http://", "https://"))


_SHARED_KEY = re.compile(
    r"^(API_KEY|APIKEY|API_KEY_SECRET(_ARN)?|CLIENT_API_KEY)$", re.I
)


def shared_client_key(context: CheckContext) -> list[Finding]:
    """LG-IAM-015: AI compute does not authenticate its callers with one shared key.

    A service that calls Bedrock and reads a single ``API_KEY`` (or the ARN of
    the secret holding it) checks every caller against the same static key.
    """
    findings = []
    for compute in aws.ai_compute(context):
        path = _shared_key_setting(compute.attributes, ())
        if path is None:
            continue
        findings.append(
            finding(
                "LG-IAM-015",
                Status.FAIL,
                f"{compute.address} authenticates callers with one shared static "
                "key: no per-client identity, no expiry",
                compute,
                path,
                [
                    f"{compute.address} reads a shared API key setting "
                    f"({compute.location_of(*path)})"
                ],
            )
        )
        findings.extend(_key_secret_grants(context, compute.get(*path)))
        findings.extend(_key_parameters(context, compute.get(*path)))
    return findings


def _key_parameters(context: CheckContext, secret: Any) -> list[Finding]:
    """LG-IAM-015 at the CloudFormation parameter the key's setting reads.

    Only a parameter without a default is seen: one with a default is replaced
    by its value when the template is loaded, and the link to it is lost.
    """
    names = {n for e in unresolved_expressions(secret) for n in _referenced(e)}
    found = []
    for parameter in context.inventory.parameters:
        name = parameter.address.removeprefix("Parameters.")
        if name in names:
            found.append(
                finding(
                    "LG-IAM-015",
                    Status.FAIL,
                    f"{parameter.address} passes in the secret holding the one "
                    "static API key all callers share: no per-client identity, "
                    "no rotation defined",
                    parameter,
                    evidence=[f"{parameter.address} ({parameter.location})"],
                )
            )
    return found


def _referenced(expression: str) -> list[str]:
    """The names a rendered CloudFormation intrinsic reads with ``Ref``."""
    try:
        node = json.loads(expression)
    except ValueError:
        return []
    return list(_refs(node))


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("Ref"), str):
            yield node["Ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _key_secret_grants(context: CheckContext, secret: Any) -> list[Finding]:
    """LG-IAM-015 at the policy statements that let the compute read that key."""
    if secret is None:
        return []
    found = []
    for document in aws.all_documents(context):
        for statement in document.statements:
            reads = any(
                isinstance(a, str) and a.lower() == "secretsmanager:getsecretvalue"
                for a in statement.actions
            )
            if reads and secret in statement.resources:
                found.append(
                    finding(
                        "LG-IAM-015",
                        Status.FAIL,
                        f"{document.owner.address} lets the compute read the one "
                        "shared API key every caller is checked against",
                        document.owner,
                        evidence=[f"{document.owner.address} ({statement.location})"],
                        location=statement.location,
                    )
                )
    return found


def _shared_key_setting(node: Any, path: Path) -> Path | None:
    """Path of a setting named like a single shared API key."""
    if isinstance(node, dict):
        name = node.get("Name", node.get("name"))
        if isinstance(name, str) and _SHARED_KEY.match(name):
            return path
        for key, child in node.items():
            if isinstance(key, str) and _SHARED_KEY.match(key):
                return (*path, key)
            found = _shared_key_setting(child, (*path, key))
            if found is not None:
                return found
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found = _shared_key_setting(child, (*path, index))
            if found is not None:
                return found
    return None


CHECKS: tuple[Check, ...] = (keys_in_settings, shared_client_key)
