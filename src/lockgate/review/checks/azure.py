"""Azure AI accounts whatever they were written in, and what surrounds them.

One ARM type (``Microsoft.CognitiveServices/accounts``) is spelled three ways in
Terraform (``azurerm_cognitive_account``, ``azurerm_ai_services``, ``azapi_resource``)
and once in ARM and Bicep, with different names and even inverted meanings for the
same property. :class:`Setting` hides that: each accessor returns the value seen,
the path it was read from (for the location) and the platform default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lockgate.review.model import Resource, Status, Unresolved

from .support import (
    CheckContext,
    Verdict,
    azapi_of,
    holds_unresolved,
    text,
    truthy,
)

ACCOUNT_TYPES = (
    "azurerm_cognitive_account",
    "azurerm_ai_services",
    "microsoft.cognitiveservices/accounts",
)
ARM_ACCOUNT = "Microsoft.CognitiveServices/accounts"
ZONE_OPENAI = "privatelink.openai.azure.com"
ZONE_COGNITIVE = "privatelink.cognitiveservices.azure.com"
ZONE_SERVICES_AI = "privatelink.services.ai.azure.com"


@dataclass(frozen=True, slots=True)
class Setting:
    """A value read from an account: ``present`` is False when it was left unset."""

    value: Any
    path: tuple[str | int, ...]
    present: bool

    @property
    def unresolved(self) -> bool:
        return holds_unresolved(self.value)


def switch_verdict(
    setting: Setting,
    on: bool | None,
    *,
    unknown: str,
    off: str,
    on_set: str,
    on_by_default: str,
) -> Verdict:
    """The verdict on a switch that should be off and that the platform turns on
    when it is left unset (public network access, key authentication).

    ``on`` is None when the value cannot be worked out.
    """
    if setting.unresolved or on is None:
        return Verdict(Status.UNRESOLVED, unknown, setting.path)
    if not on:
        return Verdict(Status.PASS, off, setting.path)
    message = on_set if setting.present else on_by_default
    return Verdict(Status.FAIL, message, setting.path)


def accounts(context: CheckContext) -> list[Resource]:
    """Every Azure OpenAI / AI Services account the inventory declares."""

    def find() -> list[Resource]:
        return context.declared(*ACCOUNT_TYPES) + azapi_of(context, ARM_ACCOUNT)

    result: list[Resource] = context.remember("azure.accounts", find)
    return result


def is_terraform_native(account: Resource) -> bool:
    return account.type.lower() in ("azurerm_cognitive_account", "azurerm_ai_services")


def _arm_path(account: Resource, *names: str) -> tuple[str | int, ...]:
    """ARM property path; azapi bodies keep it under ``body``."""
    if account.type.lower() == "azapi_resource":
        return ("body", "properties", *names)
    return names


def read(account: Resource, path: tuple[str | int, ...]) -> Setting:
    value = account.get(*path)
    # An empty list is a dynamic block that made no instance: the same as unset.
    return Setting(value=value, path=path, present=value is not None and value != [])


def kind(account: Resource) -> str | None:
    """``OpenAI``, ``AIServices`` or another kind; None when unresolved."""
    if account.type.lower() == "azurerm_ai_services":
        return "AIServices"
    if account.type.lower() == "azapi_resource":
        return text(account.get("body", "kind"))
    return text(account.get("kind"))


def public_access(account: Resource) -> tuple[Setting, bool | None]:
    """The setting and whether public access is on (None: cannot tell)."""
    kind_of = account.type.lower()
    if kind_of == "azurerm_cognitive_account":
        setting = read(account, ("public_network_access_enabled",))
        on = True if not setting.present else truthy(setting.value)
        return setting, on
    if kind_of == "azurerm_ai_services":
        setting = read(account, ("public_network_access",))
    else:
        setting = read(account, _arm_path(account, "publicNetworkAccess"))
    if not setting.present:
        return setting, True
    value = text(setting.value)
    return setting, None if value is None else value.lower() != "disabled"


def local_auth(account: Resource) -> tuple[Setting, bool | None]:
    """The setting and whether key (local) authentication is on."""
    kind_of = account.type.lower()
    if kind_of in ("azurerm_cognitive_account", "azurerm_ai_services"):
        name = (
            "local_auth_enabled"
            if kind_of == "azurerm_cognitive_account"
            else "local_authentication_enabled"
        )
        setting = read(account, (name,))
        return setting, True if not setting.present else truthy(setting.value)
    setting = read(account, _arm_path(account, "disableLocalAuth"))
    if not setting.present:
        return setting, True
    disabled = truthy(setting.value)
    return setting, None if disabled is None else not disabled


def outbound_restriction(account: Resource) -> tuple[Setting, Setting]:
    """``(restricted flag, allowed FQDN list)`` in the account's own spelling."""
    if is_terraform_native(account):
        return (
            read(account, ("outbound_network_access_restricted",)),
            read(account, ("fqdns",)),
        )
    return (
        read(account, _arm_path(account, "restrictOutboundNetworkAccess")),
        read(account, _arm_path(account, "allowedFqdnList")),
    )


def network_acls(account: Resource) -> Setting:
    if is_terraform_native(account):
        return read(account, ("network_acls",))
    return read(account, _arm_path(account, "networkAcls"))


def acl_default_action(acls: Any) -> Any:
    block = acls[0] if isinstance(acls, list) and acls else acls
    if not isinstance(block, dict):
        return block if isinstance(block, Unresolved) else None
    for key, value in block.items():
        if key.replace("_", "").lower() == "defaultaction":
            return value
    return None


def custom_subdomain(account: Resource) -> Setting:
    if is_terraform_native(account):
        return read(account, ("custom_subdomain_name",))
    return read(account, _arm_path(account, "customSubDomainName"))


def identity(account: Resource) -> Setting:
    return read(account, ("identity",))


def customer_key(account: Resource) -> Setting:
    if is_terraform_native(account):
        return read(account, ("customer_managed_key",))
    return read(account, _arm_path(account, "encryption"))


def tags(account: Resource) -> Setting:
    return read(account, ("tags",))
