from __future__ import annotations

from lockgate.review.deliverables import build_deliverables
from lockgate.review.deliverables.facts import EgressPath, Endpoint, MissingEndpoint
from lockgate.review.model import Inventory, Location, Ref, Resource, SourceFormat


def test_endpoint_inventory_lists_each_network_with_its_zones(inventory, findings):
    networks = build_deliverables(inventory, findings).network.networks

    assert [n.network for n in networks] == [
        "aws_vpc.ai",
        "azurerm_virtual_network.hub",
    ]
    aws = networks[0]
    assert aws.zones == ("us-east-1a", "us-east-1b")
    assert aws.endpoints == (
        Endpoint(
            address="aws_vpc_endpoint.runtime",
            service="bedrock-runtime",
            platform="aws",
            network="aws_vpc.ai",
            zones=("us-east-1a", "us-east-1b"),
            private_dns="on",
            policy="none (full access)",
            location="aws.tf:13",
        ),
        Endpoint(
            address="aws_vpc_endpoint.s3",
            service="s3",
            platform="aws",
            network="aws_vpc.ai",
            zones=(),
            private_dns="n/a (gateway endpoint)",
            policy="none (full access)",
            location="aws.tf:21",
        ),
    )


def test_agents_without_an_agent_runtime_endpoint_are_reported_missing(
    inventory, findings
):
    aws = build_deliverables(inventory, findings).network.networks[0]

    assert aws.missing == (
        MissingEndpoint(
            "aws_vpc.ai", "bedrock-agent-runtime", "Bedrock workloads are declared"
        ),
    )


def test_azure_private_endpoint_is_placed_in_its_vnet(inventory, findings):
    azure = build_deliverables(inventory, findings).network.networks[1]

    assert [(e.address, e.service, e.private_dns) for e in azure.endpoints] == [
        (
            "azurerm_private_endpoint.oai",
            "azurerm_cognitive_account.oai (account)",
            "zone group",
        )
    ]
    assert azure.missing == ()


def test_account_without_private_endpoint_is_missing_one():
    account = Resource(
        "azurerm_ai_services",
        "azurerm_ai_services.foundry",
        SourceFormat.TERRAFORM,
        Location("main.tf", 3),
        {"custom_subdomain_name": "foundry"},
    )
    twin = Resource(
        "azurerm_ai_services",
        "azurerm_ai_services.foundry",
        SourceFormat.TERRAFORM,
        Location("other/main.tf", 3),
        {},
    )
    design = build_deliverables(Inventory("/r", [account, twin]), []).network

    assert len(design.networks[0].missing) == 1
    assert [n.id for n in design.topology.nodes] == [
        "internet",
        "azurerm_ai_services.foundry",
    ]
    assert design.networks[0].network == "(no private network)"
    assert (
        design.networks[0].missing[0].service == "azurerm_ai_services.foundry (account)"
    )
    assert design.dns.missing_zones == (
        "privatelink.cognitiveservices.azure.com",
        "privatelink.openai.azure.com",
        "privatelink.services.ai.azure.com",
    )


def test_dns_plan_shows_managed_and_private_zones(inventory, findings):
    dns = build_deliverables(inventory, findings).network.dns

    assert [(z.name, z.kind, z.linked_networks) for z in dns.zones] == [
        (
            "bedrock-runtime.<region>.amazonaws.com",
            "managed by endpoint",
            ("aws_vpc.ai",),
        ),
        (
            "privatelink.openai.azure.com",
            "private DNS zone",
            ("azurerm_virtual_network.hub",),
        ),
    ]
    assert dns.required_zones == ("privatelink.openai.azure.com",)
    assert dns.missing_zones == ()


def test_hub_endpoint_with_private_dns_off_needs_a_service_named_zone():
    endpoint = Resource(
        "aws_vpc_endpoint",
        "aws_vpc_endpoint.hub",
        SourceFormat.TERRAFORM,
        Location("hub.tf", 1),
        {
            "service_name": "com.amazonaws.eu-west-1.bedrock-runtime",
            "vpc_endpoint_type": "Interface",
            "private_dns_enabled": False,
            "vpc_id": Ref("aws_vpc.hub", "id"),
        },
    )
    zone = Resource(
        "aws_route53_zone",
        "aws_route53_zone.runtime",
        SourceFormat.TERRAFORM,
        Location("hub.tf", 9),
        {
            "name": "bedrock-runtime.eu-west-1.amazonaws.com",
            "vpc": [{"vpc_id": Ref("aws_vpc.spoke", "id")}],
        },
    )
    without = build_deliverables(Inventory("/r", [endpoint]), []).network.dns
    with_zone = build_deliverables(Inventory("/r", [endpoint, zone]), []).network.dns

    assert without.missing_zones == ("bedrock-runtime.<region>.amazonaws.com",)
    assert with_zone.missing_zones == ()
    assert with_zone.zones[0].kind == "private hosted zone"
    assert with_zone.zones[0].linked_networks == ("aws_vpc.spoke",)


def test_few_ai_networks_keep_endpoints_per_network(inventory, findings):
    decision = build_deliverables(inventory, findings).network.hub_spoke

    assert (decision.ai_networks, decision.accounts) == (2, 1)
    assert decision.decision == "endpoints per network"
    assert decision.pattern_found == "per-network"
    assert decision.reason.startswith("2 AI network(s) across 1 account(s); ")


def test_three_ai_networks_are_centralised_in_a_hub():
    endpoints = [
        Resource(
            "aws_vpc_endpoint",
            f"aws_vpc_endpoint.e{i}",
            SourceFormat.TERRAFORM,
            Location("net.tf", i),
            {
                "service_name": "com.amazonaws.us-east-1.bedrock-runtime",
                "vpc_endpoint_type": "Interface",
                "private_dns_enabled": True,
                "vpc_id": Ref(f"aws_vpc.v{i}", "id"),
            },
        )
        for i in range(3)
    ]
    decision = build_deliverables(Inventory("/r", endpoints), []).network.hub_spoke

    assert decision.ai_networks == 3
    assert decision.decision == "centralise in a hub"


def test_topology_links_networks_endpoints_services_and_exits(inventory, findings):
    topology = build_deliverables(inventory, findings).network.topology
    edges = {(e.source, e.target, e.label) for e in topology.edges}

    assert ("aws_vpc.ai", "aws_vpc_endpoint.runtime", "hosts") in edges
    assert (
        "aws_vpc_endpoint.runtime",
        "Amazon Bedrock (bedrock-runtime)",
        "private link",
    ) in edges
    gap = "aws_vpc.ai:missing:bedrock-agent-runtime"
    assert ("aws_vpc.ai", gap, "missing endpoint") in edges
    assert (gap, "Amazon Bedrock (bedrock-agent-runtime)", "missing endpoint") in edges
    assert ("aws_nat_gateway.main", "internet", "egress") in edges
    assert ("aws_vpc.ai", "aws_nat_gateway.main", "route") in edges
    assert (
        "zone:azurerm_private_dns_zone.openai",
        "azurerm_virtual_network.hub",
        "linked",
    ) in edges
    kinds = {n.id: n.kind for n in topology.nodes}
    assert kinds["aws_vpc_endpoint.runtime"] == "endpoint"
    assert kinds["aws_vpc.ai:other-endpoints"] == "endpoint"
    assert kinds["internet"] == "internet"
    assert kinds[gap] == "missing"


def test_access_model_lists_who_can_reach_a_model(inventory, findings):
    access = build_deliverables(inventory, findings).access

    assert [
        (p.name, p.kind, p.permissions, p.static_keys) for p in access.principals
    ] == [
        (
            "aws_iam_role.app",
            "iam role",
            (
                "bedrock:InvokeModel on arn:aws:bedrock:us-east-1:111122223333:"
                "application-inference-profile/chat",
            ),
            False,
        ),
        ("aws_iam_user.dev", "iam user", ("no model action found",), True),
        (
            "azurerm_user_assigned_identity.app",
            "managed identity",
            ("Cognitive Services OpenAI User",),
            False,
        ),
    ]
    assert access.local_auth == (
        "azurerm_cognitive_account.oai: key authentication enabled",
    )
    assert [f.check_id for f in access.static_key_findings] == ["LG-ID-001"]
    assert [f.check_id for f in access.wildcard_findings] == ["LG-ID-002"]
    assert access.just_in_time == ()
    assert access.human_approval == ()


def test_policy_the_loader_could_not_evaluate_is_shown_unresolved():
    role = Resource(
        "aws_iam_role",
        "aws_iam_role.r",
        SourceFormat.TERRAFORM,
        Location("a.tf", 1),
        {},
    )
    policy = Resource(
        "aws_iam_role_policy",
        "aws_iam_role_policy.r",
        SourceFormat.TERRAFORM,
        Location("a.tf", 4),
        {"role": Ref("aws_iam_role.r", "id"), "policy": "${jsonencode(local.p)}"},
    )
    access = build_deliverables(Inventory("/r", [role, policy]), []).access

    assert access.principals[0].permissions == ("unresolved policy",)


def test_perimeter_lists_egress_keys_destinations_and_dlp(inventory, findings):
    perimeter = build_deliverables(inventory, findings).perimeter

    assert perimeter.egress_paths == (
        EgressPath(
            "aws_subnet.a",
            "aws_vpc.ai",
            "NAT gateway aws_nat_gateway.main",
            "0.0.0.0/0",
            "aws.tf:33",
            ai_network=True,
        ),
    )
    assert perimeter.endpoint_policies == (
        "aws_vpc_endpoint.runtime (bedrock-runtime): none (full access)",
        "aws_vpc_endpoint.s3 (s3): none (full access)",
    )
    assert perimeter.encryption_keys == (
        "aws_bedrockagent_agent.helper: AWS-owned key",
        "azurerm_cognitive_account.oai: platform-managed key",
    )
    assert perimeter.approved_destinations == (
        "azurerm_cognitive_account.oai: api.contoso.example",
    )
    assert perimeter.dlp_rules == (
        "azurerm_cognitive_account.oai: outbound restricted",
    )
    assert [g.check_id for g in perimeter.gaps] == ["LG-DP-001"]


def test_observability_and_cost_baseline_from_code_and_store(inventory, findings):
    class History:
        def spend_per_day(self):
            return [("2026-12-02", "chat", 1.25), ("2026-12-01", "chat", 0.5)]

        def tokens_per_request(self):
            return [("chat", 412.0)]

    facts = build_deliverables(inventory, findings, history=History()).observability

    assert facts.invocation_logging == (
        "aws_bedrock_model_invocation_logging_configuration.main: "
        "CloudWatch /bedrock/calls",
    )
    assert facts.diagnostic_settings == (
        "azurerm_monitor_diagnostic_setting.oai -> azurerm_cognitive_account.oai: "
        "RequestResponse",
    )
    assert facts.inference_profiles == (
        "aws_bedrock_inference_profile.chat: copies "
        "arn:aws:bedrock:us-east-1::foundation-model/m",
    )
    assert facts.budgets == ("aws_budgets_budget.ai: limit 500 filtered by Service",)
    assert facts.cost_tags == (
        "aws_bedrock_inference_profile.chat: app",
        "azurerm_cognitive_account.oai: no tags",
    )
    assert facts.anomaly_monitors == ()
    assert [g.check_id for g in facts.gaps] == ["LG-CO-001"]
    assert facts.baseline is not None
    assert facts.baseline.spend_per_day == (
        ("2026-12-01", "chat", 0.5),
        ("2026-12-02", "chat", 1.25),
    )
    assert facts.baseline.tokens_per_request == (("chat", 412.0),)


def test_without_a_store_there_is_no_baseline(inventory, findings):
    assert build_deliverables(inventory, findings).observability.baseline is None


def bicep(type_: str, address: str, **attributes) -> Resource:
    return Resource(
        type_, address, SourceFormat.BICEP, Location("main.bicep", 1), attributes
    )


def test_bicep_nested_children_find_their_network_zone_and_group():
    resources = [
        bicep("Microsoft.Network/virtualNetworks", "net/vnet", name="vnet"),
        bicep(
            "Microsoft.CognitiveServices/accounts",
            "ai/foundry",
            kind="AIServices",
            properties={"customSubDomainName": "foundry"},
        ),
        bicep(
            "Microsoft.CognitiveServices/accounts",
            "web/foundry",
            name="foundry",
            __meta__={"existing": True},
        ),
        bicep(
            "Microsoft.Network/privateEndpoints",
            "ai/pe",
            location="swedencentral",
            properties={
                "subnet": {"id": Ref("net/vnet::endpoints", "id")},
                "privateLinkServiceConnections": [
                    {
                        "properties": {
                            "privateLinkServiceId": Ref("ai/foundry", "id"),
                            "groupIds": ["account"],
                        }
                    }
                ],
            },
        ),
        bicep("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "ai/pe::g"),
        bicep(
            "Microsoft.Network/privateDnsZones",
            "net/zone",
            name="privatelink.openai.azure.com",
        ),
        bicep(
            "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
            "net/zone::link",
            properties={"virtualNetwork": {"id": Ref("net/vnet", "id")}},
        ),
    ]
    design = build_deliverables(Inventory("/r", resources), []).network

    assert [n.network for n in design.networks] == ["net/vnet"]
    assert design.networks[0].endpoints == (
        Endpoint(
            address="ai/pe",
            service="ai/foundry (account)",
            platform="azure",
            network="net/vnet",
            zones=("swedencentral",),
            private_dns="zone group",
            policy="n/a",
            location="main.bicep:1",
        ),
    )
    assert design.networks[0].missing == ()
    assert design.dns.zones[0].linked_networks == ("net/vnet",)
    assert design.dns.missing_zones == (
        "privatelink.cognitiveservices.azure.com",
        "privatelink.services.ai.azure.com",
    )


def test_spoke_served_by_a_hub_zone_needs_no_endpoint_of_its_own():
    def tf(type_: str, label: str, **attributes) -> Resource:
        return Resource(
            type_,
            f"{type_}.{label}",
            SourceFormat.TERRAFORM,
            Location("h.tf", 1),
            attributes,
        )

    resources = [
        tf("aws_vpc", "hub"),
        tf("aws_vpc", "spoke"),
        tf("aws_vpc", "lonely"),
        tf(
            "aws_vpc_endpoint",
            "runtime",
            service_name="com.amazonaws.eu-west-1.bedrock-runtime",
            vpc_endpoint_type="Interface",
            private_dns_enabled=False,
            vpc_id=Ref("aws_vpc.hub", "id"),
        ),
        tf(
            "aws_route53_zone",
            "runtime",
            name="bedrock-runtime.eu-west-1.amazonaws.com",
            vpc=[{"vpc_id": Ref("aws_vpc.hub", "id")}],
        ),
        tf(
            "aws_route53_zone_association",
            "spoke",
            zone_id=Ref("aws_route53_zone.runtime", "zone_id"),
            vpc_id=Ref("aws_vpc.spoke", "id"),
        ),
        tf("aws_bedrock_guardrail", "g"),
    ]
    networks = build_deliverables(Inventory("/r", resources), []).network.networks

    assert {n.network: [m.service for m in n.missing] for n in networks} == {
        "aws_vpc.hub": [],
        "aws_vpc.lonely": ["bedrock-runtime"],
        "aws_vpc.spoke": [],
    }


def test_gateway_settings_add_upstream_credentials_and_destinations():
    from lockgate.config.settings import Settings

    settings = Settings.model_validate(
        {
            "server": {"host": "127.0.0.1", "port": 8080, "auth": "none"},
            "upstreams": [
                {
                    "name": "aoai",
                    "kind": "azure_openai",
                    "endpoint": "https://oai-demo.openai.azure.com",
                    "auth": {"mode": "key", "api_key": "not-a-real-key"},
                },
                {"name": "br", "kind": "bedrock_converse", "region": "eu-west-1"},
            ],
            "models": [
                {"alias": "chat", "upstream": "aoai", "upstream_model": "gpt-4o"},
                {
                    "alias": "embed",
                    "upstream": "br",
                    "upstream_model": "amazon.titan-embed-text-v2:0",
                    "operations": ["embeddings"],
                },
            ],
        }
    )
    facts = build_deliverables(Inventory("/r", []), [], settings)

    gateway = [
        (p.name, p.permissions, p.scope, p.static_keys) for p in facts.access.principals
    ]
    assert gateway == [
        ("lockgate -> aoai", ("chat (chat)",), ("Azure key",), True),
        ("lockgate -> br", ("embed (embeddings)",), ("AWS credential chain",), False),
    ]
    assert facts.perimeter.approved_destinations == (
        "gateway: bedrock-runtime.eu-west-1.amazonaws.com",
        "gateway: oai-demo.openai.azure.com",
    )
    assert "not-a-real-key" not in repr(facts)


def test_azure_nsg_rule_allowing_internet_outbound_is_an_egress_path():
    rules = [
        {
            "name": "deny-all-out",
            "direction": "Outbound",
            "access": "Deny",
            "destination_address_prefix": "*",
        },
        {
            "name": "web-out",
            "direction": "Outbound",
            "access": "Allow",
            "destination_address_prefix": "Internet",
        },
    ]
    nsg = Resource(
        "azurerm_network_security_group",
        "azurerm_network_security_group.ai",
        SourceFormat.TERRAFORM,
        Location("nsg.tf", 4),
        {"security_rule": rules},
    )
    closed = Resource(
        "Microsoft.Network/networkSecurityGroups",
        "closed",
        SourceFormat.ARM,
        Location("nsg.json", 9),
        {"properties": {"securityRules": [{"properties": rules[0]}]}},
    )
    vnet = Resource(
        "Microsoft.Network/virtualNetworks",
        "net/vnet",
        SourceFormat.BICEP,
        Location("net.bicep", 2),
        {
            "properties": {
                "subnets": [
                    {
                        "name": "snet-agents",
                        "properties": {
                            "networkSecurityGroup": {"id": Ref("net/agentsNsg", "id")},
                            "defaultOutboundAccess": False,
                        },
                    }
                ]
            }
        },
    )
    agents = Resource(
        "Microsoft.Network/networkSecurityGroups",
        "net/agentsNsg",
        SourceFormat.BICEP,
        Location("net.bicep", 30),
        {"properties": {"securityRules": [{"properties": rules[1]}]}},
    )
    inventory = Inventory("/r", [nsg, closed, vnet, agents])
    paths = build_deliverables(inventory, []).perimeter.egress_paths

    assert paths == (
        EgressPath(
            "subnets using azurerm_network_security_group.ai",
            "",
            "network security group azurerm_network_security_group.ai allows "
            "outbound to the internet",
            "internet",
            "nsg.tf:4",
        ),
        EgressPath(
            "net/vnet/snet-agents",
            "net/vnet",
            "network security group net/agentsNsg allows outbound to the internet",
            "internet",
            "net.bicep:30",
        ),
    )
