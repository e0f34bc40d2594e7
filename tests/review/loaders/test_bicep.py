from __future__ import annotations

from pathlib import Path

import pytest

from lockgate.review.loaders import load_paths
from lockgate.review.loaders.bicep_parser import parse_bicep
from lockgate.review.loaders.hcl_lexer import SourceSyntaxError
from lockgate.review.model import (
    Inventory,
    Location,
    Multiplicity,
    Ref,
    Resource,
    SourceFormat,
    Unresolved,
)


@pytest.fixture
def inventory(fixtures: Path) -> Inventory:
    return load_paths([fixtures / "bicep"])


def _get(inventory: Inventory, address: str) -> Resource:
    resource = inventory.by_address(address)
    assert resource is not None, address
    return resource


def test_bicep_resources_have_symbols_types_and_lines(inventory: Inventory) -> None:
    account = _get(inventory, "account")

    assert account.type == "Microsoft.CognitiveServices/accounts"
    assert account.source is SourceFormat.BICEP
    assert account.location == Location("main.bicep", 23)
    assert account.location_of("publicNetworkAccess") == Location("main.bicep", 32)
    assert account.location_of("sku", "name") == Location("main.bicep", 28)


def test_bicep_params_vars_and_functions_resolve(inventory: Inventory) -> None:
    account = _get(inventory, "account")

    assert account.get("name") == "oai-demo"
    assert account.get("customSubDomainName") == "oai-demo"
    assert account.get("disableLocalAuth") is True
    assert account.get("sku", "name") == "S0"
    assert account.get("publicNetworkAccess") == Unresolved(
        "publicAccess", "parameter publicAccess has no default and no value is given"
    )
    assert account.get("location") == Unresolved(
        "resourceGroup().location", "function resourceGroup() is not evaluated"
    )


def test_nested_child_resources_get_the_parent_type(inventory: Inventory) -> None:
    chat = _get(inventory, "account::chat")

    assert chat.type == "Microsoft.CognitiveServices/accounts/deployments"
    assert chat.location == Location("main.bicep", 37)  # after its decorator
    assert chat.get("model", "name") == "gpt-4o"


def test_existing_resources_are_marked(inventory: Inventory) -> None:
    zone = _get(inventory, "zone")

    assert zone.attributes["__meta__"] == {"existing": True}
    assert zone.get("name") == "privatelink.openai.azure.com"


def test_conditions_and_loops_set_multiplicity(inventory: Inventory) -> None:
    maybe = _get(inventory, "maybe")
    links = _get(inventory, "links")

    assert inventory.by_address("pe") is None  # if (withPe) with withPe = false
    assert maybe.multiplicity is Multiplicity.CONDITIONAL
    assert maybe.get("privateLinkServiceConnections", 0, "properties") == {
        "privateLinkServiceId": Ref("account", "id"),
        "groupIds": ["account"],
    }
    assert maybe.location_of("privateLinkServiceConnections", 0, "name") == Location(
        "main.bicep", 54
    )
    assert links.multiplicity is Multiplicity.ONE_OR_MORE
    assert links.get("name") == Unresolved(
        "'${z}/link'", "the loop item is known only per instance"
    )


def test_local_modules_are_inlined_with_params(inventory: Inventory) -> None:
    vnet = _get(inventory, "net/vnet")

    assert vnet.module == "net"
    assert vnet.location == Location("modules/net.bicep", 4)
    assert vnet.get("name") == "snet-oai-demo-vnet"
    assert vnet.get("addressSpace", "addressPrefixes") == ["10.0.0.0/16"]
    assert inventory.files == ["main.bicep", "modules/net.bicep"]


def test_registry_modules_are_kept_as_evidence(inventory: Inventory) -> None:
    avm = _get(inventory, "avm")

    assert avm.type == "module"
    assert avm.get("source") == "br/public:avm/res/cognitive-services/account:0.7.0"
    assert avm.get("params") == {
        "publicNetworkAccess": "Disabled",
        "disableLocalAuth": True,
    }


def test_bicep_syntax_error_is_a_problem_with_a_line(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "bicep_broken"])

    assert [(p.file, p.line, p.message) for p in inventory.problems] == [
        ("main.bicep", 6, "not valid Bicep: expected ':' but found 'false'")
    ]


@pytest.mark.parametrize(
    "source",
    [
        "resource r 'a@1' = {",
        "var x = [",
        "var x = (a, b",
        "resource",
        "param p string = '",
    ],
)
def test_truncated_bicep_is_a_syntax_error_not_a_crash(source: str) -> None:
    with pytest.raises(SourceSyntaxError):
        parse_bicep(source)


def test_type_and_func_declarations_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "main.bicep").write_text(
        "type pe = {\n  @description('x')\n  zone: string?\n  kind: 'a' | 'b'\n}\n"
        "func prefix(n string) string => 'p-${n}'\n"
        "param p pe?\n"
        "resource r 'A.B/c@1' = {\n  name: prefix('x')\n}\n"
    )

    r = load_paths([tmp_path]).by_address("r")

    assert r is not None
    assert r.location == Location("main.bicep", 8)
    assert r.get("name") == Unresolved(
        "prefix('x')", "function prefix() is not evaluated"
    )


def test_bicepparam_values_feed_the_file_they_use(fixtures: Path) -> None:
    inventory = load_paths(
        [
            fixtures / "bicep_params" / "main.bicep",
            fixtures / "bicep_params" / "main.bicepparam",
        ]
    )

    account = _get(inventory, "account")

    assert account.get("name") == "oai-s0"
    assert account.get("sku", "name") == "S0"
    assert account.get("publicNetworkAccess") == "Disabled"  # overrides the default
    assert inventory.files == ["main.bicep", "main.bicepparam"]


def test_parameters_json_beside_a_bicep_file_feeds_it(fixtures: Path) -> None:
    folder = fixtures / "bicep_params"
    inventory = load_paths([folder / "other.bicep", folder / "other.parameters.json"])

    assert _get(inventory, "account").get("name") == "from-json"


def test_newer_bicep_syntax_parses_and_nullable_params_are_null(
    fixtures: Path,
) -> None:
    inventory = load_paths([fixtures / "bicep_syntax"])

    ai = _get(inventory, "ai")

    assert inventory.problems == []
    assert [r.address for r in inventory.resources] == ["ai"]  # both ifs are false
    assert ai.get("networkAcls") is None
    assert ai.get("publicNetworkAccess") == "Disabled"
    assert ai.location_of("publicNetworkAccess") == Location("main.bicep", 41)
    assert ai.get("disableLocalAuth") is True


def test_bicep_syntax_errors_never_quote_a_string_value() -> None:
    with pytest.raises(SourceSyntaxError) as raised:
        parse_bicep("var key = {\n  value 'sk-planted-secret-0003'\n}\n")

    assert "sk-planted" not in raised.value.message


def test_resource_id_references_point_at_the_declaring_symbol(tmp_path: Path) -> None:
    (tmp_path / "main.bicep").write_text(
        "resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' = {\n"
        "  name: 'vn'\n"
        "  resource snet 'subnets' = {\n    name: 'ai'\n  }\n"
        "}\n"
        "resource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = {\n"
        "  name: 'pe'\n"
        "  properties: {\n"
        "    subnet: {\n"
        "      id: resourceId(\n"
        "        'Microsoft.Network/virtualNetworks/subnets', 'vn', 'ai')\n"
        "    }\n"
        "    other: resourceId('Microsoft.Network/virtualNetworks', 'elsewhere')\n"
        "  }\n"
        "}\n"
    )

    pe = _get(load_paths([tmp_path]), "pe")

    assert pe.get("subnet", "id") == Ref("vnet::snet")
    assert pe.get("other") == Ref("Microsoft.Network/virtualNetworks/elsewhere")
