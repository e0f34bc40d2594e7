"""Smoke tests over the shared real-world corpus, with known resources and lines."""

from __future__ import annotations

import pytest

from lockgate.review.loaders import load_paths
from lockgate.review.model import Inventory, Location, Multiplicity, Ref, Resource
from shared_data import shared_dir

REALWORLD = shared_dir() / "realworld"
CASES = sorted(p.name for p in REALWORLD.iterdir() if p.is_dir())


def _get(inventory: Inventory, address: str) -> Resource:
    resource = inventory.by_address(address)
    assert resource is not None, address
    return resource


def _instantiated(inventory: Inventory) -> set[str]:
    """Managed resources only: no data sources, providers or module evidence."""
    return {
        r.address
        for r in inventory.resources
        if not r.type.startswith(("data.", "provider.")) and r.type != "module"
    }


def test_the_corpus_has_the_nine_cases() -> None:
    assert len(CASES) == 9


@pytest.mark.parametrize("case", CASES)
def test_every_case_loads_without_problems(case: str) -> None:
    inventory = load_paths([REALWORLD / case])

    assert inventory.problems == []
    assert inventory.resources
    assert all(r.location.line >= 1 for r in inventory.resources)


def test_the_whole_corpus_reads_every_iac_file() -> None:
    inventory = load_paths([REALWORLD])

    assert inventory.problems == []
    assert len(inventory.files) == 103
    assert sum(f.endswith(".tf") for f in inventory.files) == 71
    assert sum(f.endswith(".bicep") for f in inventory.files) == 20


def test_bedrock_module_agent_example_instantiates_what_count_allows() -> None:
    case = REALWORLD / "terraform-aws-bedrock" / "examples" / "agent-with-guardrails"
    inventory = load_paths([case])

    agent = _get(inventory, "module.bedrock.awscc_bedrock_agent.bedrock_agent")

    assert _instantiated(inventory) == {
        "module.bedrock.random_string.solution_prefix",
        "module.bedrock.awscc_bedrock_agent.bedrock_agent",
        "module.bedrock.awscc_bedrock_guardrail.guardrail",
        "module.bedrock.awscc_bedrock_guardrail_version.guardrail",
        "module.bedrock.aws_iam_role.agent_role",
        "module.bedrock.aws_iam_role_policy.agent_policy",
        "module.bedrock.aws_iam_role_policy.guardrail_policy",
    }
    assert agent.location == Location("main.tf", 80)
    assert agent.multiplicity is Multiplicity.ONE
    assert agent.get("foundation_model") == "anthropic.claude-v2"
    assert agent.get("customer_encryption_key_arn") is None
    assert agent.location_of("customer_encryption_key_arn") == Location("main.tf", 97)
    assert agent.get("guardrail_configuration", "guardrail_identifier") == Ref(
        "module.bedrock.awscc_bedrock_guardrail.guardrail", "id"
    )


def test_bedrock_module_profile_example_instantiates_what_count_allows() -> None:
    case = REALWORLD / "terraform-aws-bedrock" / "examples"
    inventory = load_paths([case / "application-inference-profile"])

    profile = _get(
        inventory,
        "module.bedrock.awscc_bedrock_application_inference_profile."
        "application_inference_profile",
    )

    assert _instantiated(inventory) == {
        "module.bedrock.random_string.solution_prefix",
        "module.bedrock.awscc_bedrock_application_inference_profile."
        "application_inference_profile",
        "module.bedrock.time_sleep.wait_for_inference_profile",
        "module.bedrock.aws_iam_role.application_inference_profile_role",
        "module.bedrock.aws_iam_role_policy.app_inference_profile_role_policy",
        "module.bedrock.aws_iam_role_policy.app_inference_profile_policy",
    }
    assert profile.location == Location("inference-profile.tf", 1)
    assert profile.get("tags") is None
    role = _get(
        inventory, "module.bedrock.aws_iam_role.application_inference_profile_role"
    )
    assert role.location == Location("iam.tf", 297)


def test_hub_and_spoke_endpoints_expand_per_service() -> None:
    inventory = load_paths([REALWORLD / "aws-hub-and-spoke"])

    ssm = _get(inventory, 'aws_vpc_endpoint.endpoint["ssm"]')

    assert ssm.location == Location("main.tf", 167)
    assert ssm.get("service_name") == "com.amazonaws.eu-west-2.ssm"
    assert ssm.get("private_dns_enabled") is False
    assert ssm.location_of("private_dns_enabled") == Location("main.tf", 175)
    assert _get(inventory, "module.hubspoke").get("source") == (
        "aws-ia/network-hubandspoke/aws"
    )


def test_bedrock_access_gateway_cloudformation_is_read_with_lines() -> None:
    inventory = load_paths([REALWORLD / "bedrock-access-gateway"])

    alb = _get(inventory, "ProxyALB87756780")
    handler = _get(inventory, "ProxyApiHandler")

    assert alb.type == "AWS::ElasticLoadBalancingV2::LoadBalancer"
    assert alb.location == Location("deployment/BedrockProxyFargate.template", 367)
    assert alb.get("Scheme") == "internet-facing"
    assert alb.location_of("Scheme") == Location(
        "deployment/BedrockProxyFargate.template", 375
    )
    assert alb.get("Subnets") == [
        Ref("VPCPublicSubnet1SubnetB4246D30"),
        Ref("VPCPublicSubnet2Subnet74179F39"),
    ]
    assert handler.location == Location("deployment/BedrockProxy.template", 65)
    assert _get(inventory, "aws_lambda_function.proxy_api_handler").location == (
        Location("deployment/terraform/main.tf", 89)
    )


def test_quickstart_bicep_and_arm_give_the_same_account() -> None:
    inventory = load_paths([REALWORLD / "azure-openai-private-endpoint-quickstart"])
    folder = (
        "quickstarts/microsoft.cognitiveservices/"
        "cognitive-services-OpenaAI-private-endpoint/"
    )

    bicep = _get(inventory, "oaiAccount")
    arm = _get(inventory, "Microsoft.CognitiveServices/accounts/oai-private-demo")

    assert bicep.location == Location(folder + "main.bicep", 154)
    assert bicep.location_of("publicNetworkAccess") == Location(
        folder + "main.bicep", 160
    )
    assert arm.location == Location(folder + "azuredeploy.json", 236)
    assert arm.location_of("publicNetworkAccess") == Location(
        folder + "azuredeploy.json", 244
    )
    for account in (bicep, arm):
        assert account.get("kind") == "OpenAI"
        assert account.get("publicNetworkAccess") == "Disabled"
        assert account.get("disableLocalAuth") is None
    assert arm.get("customSubDomainName") == "GEN-UNIQUE"  # azuredeploy.parameters.json
    endpoint = _get(inventory, "oaiPrivateEndpoint")
    assert endpoint.location == Location(folder + "main.bicep", 205)
    assert endpoint.get(
        "privateLinkServiceConnections", 0, "properties", "groupIds"
    ) == ["account"]


def test_foundry_baseline_is_read_through_its_modules() -> None:
    inventory = load_paths([REALWORLD / "azure-openai-e2e-baseline"])
    file = "infra-as-code/bicep/ai-foundry.bicep"

    foundry = _get(inventory, "deployAzureAIFoundry/aiFoundry")
    group = _get(inventory, "deployAzureAIFoundry/aiFoundryPrivateEndpoint::dnsGroup")

    assert foundry.type == "Microsoft.CognitiveServices/accounts"
    assert foundry.location == Location(file, 62)
    assert foundry.get("kind") == "AIServices"
    assert foundry.get("publicNetworkAccess") == "Disabled"
    assert foundry.location_of("publicNetworkAccess") == Location(file, 82)
    assert foundry.get("disableLocalAuth") is True
    assert foundry.location_of("disableLocalAuth") == Location(file, 75)
    assert foundry.get("networkInjections", 0, "subnetArmId") == Ref(
        "deployVirtualNetwork/virtualNetwork::agentsEgressSubnet", "id"
    )
    assert group.location == Location(file, 149)
    assert [c["name"] for c in group.get("privateDnsZoneConfigs")] == [
        "aifoundry",
        "azureopenai",
        "cognitiveservices",
    ]
    route = _get(inventory, "deployAzureFirewall/egressRouteTable::internetToFirewall")
    assert route.location == Location("infra-as-code/bicep/azure-firewall.bicep", 249)


def test_azurerm_openai_private_example_inlines_the_root_module() -> None:
    case = REALWORLD / "terraform-azurerm-openai" / "examples"
    inventory = load_paths([case / "azureopenai-private-endpoints"])

    account = _get(inventory, "module.openai.azurerm_cognitive_account.this")
    endpoint = _get(inventory, "module.openai.azurerm_private_endpoint.this")

    assert account.location == Location("main.tf", 15)
    assert account.get("public_network_access_enabled") is False
    assert account.get("local_auth_enabled") is True
    assert endpoint.location == Location("private_endpoint.tf", 7)
    assert endpoint.get("private_service_connection", 0, "subresource_names") == [
        "account"
    ]


def test_stratus_invocation_logging_is_found() -> None:
    inventory = load_paths([REALWORLD / "stratus-bedrock-logging"])
    folder = (
        "v2/internal/attacktechniques/aws/defense-evasion/"
        "bedrock-model-invocation-logging-delete/"
    )

    logging = _get(
        inventory, "aws_bedrock_model_invocation_logging_configuration.test_logging"
    )

    assert logging.location == Location(folder + "main.tf", 74)
    assert logging.get("logging_config", 0, "text_data_delivery_enabled") is True
    assert logging.get("logging_config", 0, "cloudwatch_config", 0, "role_arn") == Ref(
        "aws_iam_role.bedrock_logging", "arn"
    )


def test_loading_the_corpus_is_fast() -> None:
    import time

    started = time.perf_counter()
    load_paths([REALWORLD])
    elapsed = time.perf_counter() - started

    assert elapsed < 5.0  # about 0.5 s measured; 103 files
