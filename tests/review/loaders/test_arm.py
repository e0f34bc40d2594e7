from __future__ import annotations

from pathlib import Path

from lockgate.review.loaders import load_paths
from lockgate.review.model import Location, Multiplicity, Ref, SourceFormat, Unresolved

ACCOUNT = "Microsoft.CognitiveServices/accounts/oai-default"


def test_arm_parameters_file_overrides_defaults(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "arm"])

    account = inventory.by_address(ACCOUNT)

    assert account is not None
    assert account.source is SourceFormat.ARM
    assert account.get("publicNetworkAccess") == "Disabled"
    assert account.get("customSubDomainName") == "oai-default"
    assert account.location == Location("azuredeploy.json", 30)
    assert account.location_of("publicNetworkAccess") == Location(
        "azuredeploy.json", 36
    )
    assert inventory.files == ["azuredeploy.json", "azuredeploy.parameters.json"]


def test_arm_child_resources_get_full_type_and_name(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "arm"])

    subnet = inventory.by_address(
        "Microsoft.Network/virtualNetworks/subnets/oai-default-vnet/ai"
    )

    assert subnet is not None
    assert subnet.type == "Microsoft.Network/virtualNetworks/subnets"
    assert subnet.location == Location("azuredeploy.json", 22)
    assert subnet.get("addressPrefix") == "10.0.1.0/24"


def test_arm_false_condition_drops_and_copy_loops_are_one_or_more(
    fixtures: Path,
) -> None:
    inventory = load_paths([fixtures / "arm"])

    deployments = inventory.of_type("Microsoft.CognitiveServices/accounts/deployments")

    assert inventory.of_type("Microsoft.Network/privateEndpoints") == []
    assert len(deployments) == 1
    assert deployments[0].multiplicity is Multiplicity.ONE_OR_MORE
    assert deployments[0].get("name") == Unresolved(
        "[format('{0}/d{1}', parameters('accountName'), copyIndex())]",
        "copyIndex() is known only per copy",
    )


def test_arm_unresolvable_functions_stay_unresolved(fixtures: Path) -> None:
    vnet = load_paths([fixtures / "arm"]).by_address(
        "Microsoft.Network/virtualNetworks/oai-default-vnet"
    )

    assert vnet is not None
    assert isinstance(vnet.get("location"), Unresolved)
    assert vnet.get("location").expression == "[parameters('location')]"


def test_arm_nested_deployment_is_read_with_bound_parameters(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "arm"])

    zone = inventory.by_address(
        "Microsoft.Network/privateDnsZones/privatelink.openai.azure.com"
    )

    assert zone is not None
    assert zone.module == "inner"
    assert zone.location == Location("azuredeploy.json", 68)


def test_arm_resource_id_and_subnet_id_become_refs(tmp_path: Path) -> None:
    (tmp_path / "t.json").write_text(
        '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/'
        'deploymentTemplate.json#", "resources": [{"type": "Microsoft.Network/'
        'privateEndpoints", "name": "pe", "properties": {"subnet": {"id": '
        "\"[format('{0}/subnets/ai', resourceId('Microsoft.Network/virtualNetworks',"
        ' \'vn\'))]"}, "target": "[resourceId(\'Microsoft.CognitiveServices/'
        "accounts', 'oai')]\"}}]}"
    )

    endpoint = load_paths([tmp_path]).by_address(
        "Microsoft.Network/privateEndpoints/pe"
    )

    assert endpoint is not None
    assert endpoint.get("subnet", "id") == Ref(
        "Microsoft.Network/virtualNetworks/subnets/vn/ai"
    )
    assert endpoint.get("target") == Ref("Microsoft.CognitiveServices/accounts/oai")


def test_malformed_arm_json_becomes_a_problem_with_its_line(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "arm_broken"])

    assert [(p.file, p.line) for p in inventory.problems] == [("azuredeploy.json", 4)]
    assert inventory.problems[0].message.startswith("not valid JSON: Expecting")


def test_resources_of_a_conditional_nested_deployment_are_conditional(
    tmp_path: Path,
) -> None:
    schema = "https://schema.management.azure.com/schemas/2019-04-01/"
    (tmp_path / "t.json").write_text(
        '{"$schema": "' + schema + 'deploymentTemplate.json#",'
        ' "parameters": {"on": {"type": "bool"}},'
        ' "resources": [{"type": "Microsoft.Resources/deployments", "name": "n",'
        ' "condition": "[parameters(\'on\')]", "properties": {"template": {'
        ' "resources": [{"type": "Microsoft.Network/privateDnsZones",'
        ' "name": "z"}]}}}]}'
    )

    zone = load_paths([tmp_path]).by_address("Microsoft.Network/privateDnsZones/z")

    assert zone is not None
    assert zone.multiplicity is Multiplicity.CONDITIONAL


def test_property_copy_loops_make_their_arrays(tmp_path: Path) -> None:
    schema = "https://schema.management.azure.com/schemas/2019-04-01/"
    (tmp_path / "t.json").write_text(
        '{"$schema": "' + schema + 'deploymentTemplate.json#",'
        ' "parameters": {"n": {"type": "int", "defaultValue": 2}},'
        ' "resources": [{"type": "Microsoft.Network/virtualNetworks", "name": "v",'
        ' "properties": {"copy": [{"name": "subnets",'
        ' "count": "[parameters(\'n\')]", "input": {'
        " \"name\": \"[concat('snet-', copyIndex('subnets'))]\"}}]}}]}"
    )

    vnet = load_paths([tmp_path]).by_address("Microsoft.Network/virtualNetworks/v")

    assert vnet is not None
    assert vnet.get("subnets") == [{"name": "snet-0"}, {"name": "snet-1"}]


def test_symbolic_name_templates_use_the_symbol_and_mark_existing(
    tmp_path: Path,
) -> None:
    schema = "https://schema.management.azure.com/schemas/2019-04-01/"
    (tmp_path / "t.json").write_text(
        '{"$schema": "' + schema + 'deploymentTemplate.json#",'
        ' "languageVersion": "2.0", "resources": {'
        ' "zone": {"type": "Microsoft.Network/privateDnsZones", "existing": true,'
        ' "name": "privatelink.openai.azure.com"},'
        ' "account": {"type": "Microsoft.CognitiveServices/accounts", "name": "a"}}}'
    )

    inventory = load_paths([tmp_path])

    zone = inventory.by_address("zone")
    assert zone is not None
    assert zone.attributes["__meta__"] == {"existing": True}
    assert "existing" not in zone.attributes
    assert inventory.by_address("account") is not None


def test_a_parameter_default_may_use_an_earlier_parameter(tmp_path: Path) -> None:
    schema = "https://schema.management.azure.com/schemas/2019-04-01/"
    (tmp_path / "t.json").write_text(
        '{"$schema": "' + schema + 'deploymentTemplate.json#", "parameters": {'
        ' "base": {"type": "string", "defaultValue": "ai"},'
        ' "name": {"type": "string",'
        " \"defaultValue\": \"[concat(parameters('base'), '-oai')]\"}},"
        ' "resources": [{"type": "Microsoft.CognitiveServices/accounts",'
        ' "name": "[parameters(\'name\')]"}]}'
    )

    inventory = load_paths([tmp_path])

    assert [r.address for r in inventory.resources] == [
        "Microsoft.CognitiveServices/accounts/ai-oai"
    ]
