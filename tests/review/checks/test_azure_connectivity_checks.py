from __future__ import annotations

from check_helpers import BICEP, account, only, res, run

from lockgate.review.checks import connectivity as c
from lockgate.review.model import Location, Multiplicity, Ref, Status, Unresolved


def _account(properties: dict[str, object], kind: str = "OpenAI") -> object:
    return account("oai", properties, BICEP, 20, "main.bicep", kind=kind)


def test_public_access_disabled_passes_at_the_property_line() -> None:
    found = only(c.azure_public_access, _account({"publicNetworkAccess": "Disabled"}))

    assert found.status is Status.PASS
    assert found.location == Location("main.bicep", 23)


def test_public_access_absent_fails_at_the_properties_block() -> None:
    found = only(c.azure_public_access, _account({"disableLocalAuth": True}))

    assert found.status is Status.FAIL
    assert found.location == Location("main.bicep", 22)
    assert "platform default" in found.message
    assert found.fix is not None and "publicNetworkAccess: 'Disabled'" in found.fix


def test_public_access_unresolved_parameter_is_unresolved() -> None:
    found = only(
        c.azure_public_access,
        _account(
            {"publicNetworkAccess": Unresolved("parameters('pna')", "no default")}
        ),
    )

    assert found.status is Status.UNRESOLVED


def test_terraform_public_access_spellings() -> None:
    cognitive = res(
        "azurerm_cognitive_account",
        "azurerm_cognitive_account.a",
        {"public_network_access_enabled": False},
    )
    services = res(
        "azurerm_ai_services",
        "azurerm_ai_services.a",
        {"public_network_access": "Enabled"},
    )

    assert only(c.azure_public_access, cognitive).status is Status.PASS
    assert only(c.azure_public_access, services).status is Status.FAIL


def test_network_acls_matter_only_while_public_access_is_on() -> None:
    deny = _account(
        {"publicNetworkAccess": "Enabled", "networkAcls": {"defaultAction": "Deny"}}
    )
    allow = _account({"publicNetworkAccess": "Enabled"})
    closed = only(c.azure_network_acls, _account({"publicNetworkAccess": "Disabled"}))
    unknown = only(
        c.azure_network_acls,
        _account({"networkAcls": {"defaultAction": Unresolved("param", "none")}}),
    )

    assert closed.status is Status.PASS
    assert closed.location == Location("main.bicep", 22)
    assert unknown.status is Status.UNRESOLVED
    assert only(c.azure_network_acls, deny).status is Status.PASS
    assert only(c.azure_network_acls, allow).status is Status.FAIL


def _private_endpoint(target: object, groups: list[str]) -> object:
    return res(
        "Microsoft.Network/privateEndpoints",
        "pe",
        {
            "properties": {
                "privateLinkServiceConnections": [
                    {"properties": {"privateLinkServiceId": target, "groupIds": groups}}
                ]
            }
        },
        BICEP,
        line=50,
        file="main.bicep",
    )


def _zone(symbol: str, name: str) -> object:
    return res(
        "Microsoft.Network/privateDnsZones", symbol, {"name": name}, BICEP, line=90
    )


def _zone_group(*zone_symbols: str) -> object:
    return res(
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
        "pe::dns",
        {
            "parent": Ref("pe"),
            "properties": {
                "privateDnsZoneConfigs": [
                    {"properties": {"privateDnsZoneId": Ref(s, "id")}}
                    for s in zone_symbols
                ]
            },
        },
        BICEP,
        line=70,
        file="main.bicep",
    )


def test_private_endpoint_found_by_reference_with_group_account() -> None:
    found = only(
        c.azure_private_endpoint,
        _account({}),
        _private_endpoint(Ref("oai", "id"), ["account"]),
    )

    assert found.status is Status.PASS
    assert found.resource == "pe"


def test_private_endpoint_for_another_group_does_not_count() -> None:
    found = only(
        c.azure_private_endpoint,
        _account({}),
        _private_endpoint(Ref("oai", "id"), ["blob"]),
    )

    assert found.status is Status.FAIL
    assert found.location == Location("main.bicep", 20)


def test_private_endpoint_with_unresolved_target_is_unresolved() -> None:
    found = only(
        c.azure_private_endpoint,
        _account({}),
        _private_endpoint(Unresolved("[resourceId(...)]", "function"), ["account"]),
    )

    assert found.status is Status.UNRESOLVED


def test_openai_account_with_only_the_openai_zone_fails_advisory() -> None:
    findings = run(
        c.azure_dns_zones,
        _account({}),
        _private_endpoint(Ref("oai", "id"), ["account"]),
        _zone_group("openaiZone"),
        _zone("openaiZone", "privatelink.openai.azure.com"),
    )

    assert [f.status for f in findings] == [Status.FAIL]
    assert "recommended privatelink.cognitiveservices.azure.com" in findings[0].message
    assert findings[0].location == Location("main.bicep", 73)


def test_ai_services_account_needs_all_three_zones() -> None:
    zones = [
        _zone("z1", "privatelink.openai.azure.com"),
        _zone("z2", "privatelink.cognitiveservices.azure.com"),
        _zone("z3", "privatelink.services.ai.azure.com"),
    ]
    account = _account({}, kind="AIServices")
    endpoint = _private_endpoint(Ref("oai", "id"), ["account"])

    two = only(c.azure_dns_zones, account, endpoint, _zone_group("z1", "z2"), *zones)
    three = only(
        c.azure_dns_zones, account, endpoint, _zone_group("z1", "z2", "z3"), *zones
    )

    assert two.status is Status.FAIL
    assert "privatelink.services.ai.azure.com" in two.message
    assert three.status is Status.PASS


def test_zone_group_with_unreadable_zone_ids_is_unresolved() -> None:
    group = _zone_group("missing")

    found = only(
        c.azure_dns_zones,
        _account({}),
        _private_endpoint(Ref("oai", "id"), ["account"]),
        group,
    )

    assert found.status is Status.UNRESOLVED


def test_terraform_zone_ids_are_read_from_zone_resources() -> None:
    account = res(
        "azurerm_cognitive_account",
        "azurerm_cognitive_account.this",
        {"kind": "OpenAI"},
    )
    endpoint = res(
        "azurerm_private_endpoint",
        "azurerm_private_endpoint.this",
        {
            "private_service_connection": [
                {
                    "private_connection_resource_id": Ref(
                        "azurerm_cognitive_account.this", "id"
                    ),
                    "subresource_names": ["account"],
                }
            ],
            "private_dns_zone_group": [
                {
                    "private_dns_zone_ids": [
                        Ref("azurerm_private_dns_zone.a", "id"),
                        Ref("azurerm_private_dns_zone.b", "id"),
                    ]
                }
            ],
        },
    )
    zones = [
        res(
            "azurerm_private_dns_zone",
            "azurerm_private_dns_zone.a",
            {"name": "privatelink.openai.azure.com"},
        ),
        res(
            "azurerm_private_dns_zone",
            "azurerm_private_dns_zone.b",
            {"name": "privatelink.cognitiveservices.azure.com"},
        ),
    ]

    assert only(c.azure_dns_zones, account, endpoint, *zones).status is Status.PASS


def test_custom_subdomain_set_or_missing() -> None:
    assert (
        only(c.azure_subdomain, _account({"customSubDomainName": "x"})).status
        is Status.PASS
    )
    assert only(c.azure_subdomain, _account({})).status is Status.FAIL


def test_zone_without_vnet_link_fails_and_with_link_passes() -> None:
    zone = _zone("openaiZone", "privatelink.openai.azure.com")
    link = res(
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        "openaiZone::link",
        {"properties": {"virtualNetwork": {"id": Ref("vnet", "id")}}},
        BICEP,
    )

    assert only(c.azure_zone_links, _account({}), zone).status is Status.FAIL
    assert only(c.azure_zone_links, _account({}), zone, link).status is Status.PASS


def test_one_zone_per_name_two_copies_fail() -> None:
    first = _zone("openaiZone", "privatelink.openai.azure.com")
    second = _zone("openaiZoneSpoke", "privatelink.openai.azure.com")

    findings = run(c.azure_zone_links, _account({}), first, second)

    assert [f.status for f in findings] == [Status.FAIL, Status.FAIL]
    assert "declared 2 times" in findings[0].message


def test_zone_must_reach_every_vnet_of_the_deployment() -> None:
    zone = _zone("openaiZone", "privatelink.openai.azure.com")
    hub = res("Microsoft.Network/virtualNetworks", "hub", {"name": "hub"}, BICEP)
    spoke = res("Microsoft.Network/virtualNetworks", "spoke", {"name": "s"}, BICEP)
    link = res(
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        "openaiZone::hub",
        {"properties": {"virtualNetwork": {"id": Ref("hub", "id")}}},
        BICEP,
    )

    found = only(c.azure_zone_links, _account({}), zone, hub, spoke, link)

    assert found.status is Status.FAIL
    assert found.message.endswith("is not linked to spoke")


def test_verdict_on_a_conditional_resource_is_unresolved() -> None:
    account = res(
        "Microsoft.CognitiveServices/accounts",
        "oai",
        {"kind": "OpenAI", "properties": {"publicNetworkAccess": "Disabled"}},
        BICEP,
        multiplicity=Multiplicity.CONDITIONAL,
    )

    found = only(c.azure_public_access, account)

    assert found.status is Status.UNRESOLVED
    assert "would be pass" in found.message
