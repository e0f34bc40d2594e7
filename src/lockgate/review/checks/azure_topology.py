"""Azure connectivity beyond the AI account's own endpoint: whether the AI
private DNS zones reach every peered (spoke) network, and whether the stores an
AI workload depends on are private too.

Each check looks only at deployments that create an AI account.
"""

from __future__ import annotations

from lockgate.review.model import Finding, Resource, Status

from .azure import accounts
from .azure_network import (
    AI_ZONES,
    ENDPOINT_TYPES,
    LINK_TYPES,
    VNET_TYPES,
    ZONE_TYPES,
)
from .support import (
    Check,
    CheckContext,
    Verdict,
    as_list,
    evidence_of,
    holds_unresolved,
    judge_each,
    mentions,
    text,
    truthy,
)

PEERINGS = (
    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
    "azurerm_virtual_network_peering",
)
STORES = (
    "Microsoft.Storage/storageAccounts",
    "Microsoft.Search/searchServices",
    "Microsoft.DocumentDB/databaseAccounts",
    "Microsoft.KeyVault/vaults",
    "azurerm_storage_account",
    "azurerm_search_service",
    "azurerm_cosmosdb_account",
    "azurerm_key_vault",
)

Path = tuple[str | int, ...]


def spoke_zone_links(context: CheckContext) -> list[Finding]:
    """LG-CONN-041: the AI private DNS zones are linked to every peered VNet."""
    if not accounts(context):
        return []
    vnets = context.declared(*VNET_TYPES)
    peered = [v for v in vnets if _peered(context, v)]
    if not peered:
        return judge_each("LG-CONN-041", vnets, _standalone_verdict)
    zones = [
        z
        for z in context.declared(*ZONE_TYPES)
        if (text(z.get("name")) or "").lower() in AI_ZONES
    ]
    return judge_each(
        "LG-CONN-041", peered, lambda v: _linked_verdict(context, v, zones)
    )


def _peered(context: CheckContext, vnet: Resource) -> bool:
    inline = vnet.get("properties", "virtualNetworkPeerings")
    if as_list(inline):
        return True
    return any(
        p.address.startswith(vnet.address + "::") or mentions(p.attributes, vnet)
        for p in context.declared(*PEERINGS)
    )


def _standalone_verdict(vnet: Resource) -> Verdict:
    message = (
        "has no peering: the deployment is not hub-and-spoke, so linking zones "
        "to spokes does not apply"
    )
    evidence = [f"{vnet.address} ({vnet.location}) declares no virtualNetworkPeerings"]
    return Verdict(Status.UNRESOLVED, message, (), evidence)


def _linked_verdict(
    context: CheckContext, vnet: Resource, zones: list[Resource]
) -> Verdict:
    if not zones:
        message = "is peered, and the AI zones are not in the reviewed code"
        evidence = [f"no {' / '.join(AI_ZONES)} zone is declared"]
        return Verdict(Status.UNRESOLVED, message, (), evidence)

    links = context.declared(*LINK_TYPES)
    missing = [
        text(z.get("name")) or z.address
        for z in zones
        if not any(
            mentions(k.attributes, vnet)
            and (mentions(k.attributes, z) or k.address.startswith(z.address + "::"))
            for k in links
        )
    ]
    evidence = [f"{z.address} ({z.location})" for z in zones]
    if missing:
        message = "is peered but not linked to " + ", ".join(missing)
        return Verdict(Status.FAIL, message, (), evidence)
    return Verdict(Status.PASS, "is peered and linked to every AI zone", (), evidence)


def private_stores(context: CheckContext) -> list[Finding]:
    """LG-CONN-042: storage, search, Cosmos DB and Key Vault of an AI deployment
    accept no public traffic."""
    if not accounts(context):
        return []
    endpoints = context.declared(*ENDPOINT_TYPES)
    return judge_each(
        "LG-CONN-042",
        context.declared(*STORES),
        lambda store: _store_verdict(store, endpoints),
    )


def _store_verdict(store: Resource, endpoints: list[Resource]) -> Verdict:
    path, public = _store_public(store)
    endpoint = next((e for e in endpoints if mentions(e.attributes, store)), None)
    evidence = [
        evidence_of(store, *path),
        f"private endpoint: {endpoint.address if endpoint else 'none'}",
    ]
    if public is None:
        message = "public network access cannot be worked out"
        return Verdict(Status.UNRESOLVED, message, path, evidence)
    if public:
        return Verdict(Status.FAIL, "accepts public traffic", path, evidence)
    via = f", reached through {endpoint.address}" if endpoint else ""
    return Verdict(Status.PASS, f"accepts no public traffic{via}", path, evidence)


def _store_public(store: Resource) -> tuple[Path, bool | None]:
    """Whether the store takes public traffic; every one of them does by default."""
    if store.type.lower().startswith("azurerm_"):
        path: Path = ("public_network_access_enabled",)
        value = store.get(*path)
        if value is None:
            return path, True
        return path, None if holds_unresolved(value) else truthy(value)
    path = ("properties", "publicNetworkAccess")
    shown = store.get(*path)
    if shown is None:
        return path, True
    if not isinstance(shown, str):
        return path, None
    return path, shown.lower() != "disabled"


CHECKS: tuple[Check, ...] = (spoke_zone_links, private_stores)
