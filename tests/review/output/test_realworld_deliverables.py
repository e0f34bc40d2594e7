"""Deliverables computed from the real loaders over the shared real-world cases.

The expected values come from each case's EXPECTED.md (connectivity, identity and
perimeter sections); only facts the deliverables state are asserted here.
"""

from __future__ import annotations

from lockgate.review.deliverables import build_deliverables
from lockgate.review.deliverables.facts import Deliverables
from lockgate.review.loaders import load_paths
from shared_data import shared_dir


def deliverables_of(case: str) -> Deliverables:
    inventory = load_paths([shared_dir() / "realworld" / case])
    return build_deliverables(inventory, [])


def test_hub_and_spoke_case_is_recognised_and_lacks_bedrock():
    facts = deliverables_of("aws-hub-and-spoke")
    [hub] = facts.network.networks

    assert [(e.service, e.private_dns, e.policy) for e in hub.endpoints] == [
        ("ec2messages", "off", "none (full access)"),
        ("s3", "off", "none (full access)"),
        ("ssm", "off", "none (full access)"),
        ("ssmmessages", "off", "none (full access)"),
    ]
    assert [m.service for m in hub.missing] == ["bedrock-runtime"]
    assert facts.network.hub_spoke.pattern_found == "hub-and-spoke"
    zones = [(z.name, z.kind) for z in facts.network.dns.zones]
    assert zones == [
        (f"{service}.eu-west-2.amazonaws.com", "private hosted zone")
        for service in ("ec2messages", "s3", "ssm", "ssmmessages")
    ]
    assert facts.network.dns.resolvers == (
        "aws_route53_resolver_endpoint.inbound_endpoint (Route 53 Resolver, inbound)",
        "aws_route53_resolver_endpoint.outbound_endpoint (Route 53 Resolver, outbound)",
    )
    assert [r.split(": ")[1] for r in facts.network.dns.forwarding_rules] == [
        "example.com (forward)",
        "test.es (forward)",
    ]


def test_public_azure_openai_example_has_no_private_endpoint_or_zone():
    facts = deliverables_of(
        "terraform-azurerm-openai/examples/azureopenai-public-endpoint"
    )
    [network] = facts.network.networks

    assert network.network == "(no private network)"
    assert [m.service for m in network.missing] == [
        "module.openai.azurerm_cognitive_account.this (account)"
    ]
    assert facts.network.dns.missing_zones == ("privatelink.openai.azure.com",)
    assert facts.access.local_auth == (
        "module.openai.azurerm_cognitive_account.this: key authentication enabled",
    )
    assert facts.perimeter.dlp_rules == (
        "module.openai.azurerm_cognitive_account.this: outbound not restricted",
    )


def test_private_azure_openai_example_has_endpoint_zone_group_and_linked_zone():
    facts = deliverables_of(
        "terraform-azurerm-openai/examples/azureopenai-private-endpoints"
    )
    endpoints = [e for n in facts.network.networks for e in n.endpoints]

    assert [(e.address, e.service, e.private_dns) for e in endpoints] == [
        (
            "module.openai.azurerm_private_endpoint.this",
            "module.openai.azurerm_cognitive_account.this (account)",
            "zone group",
        )
    ]
    assert all(not n.missing for n in facts.network.networks)
    [zone] = facts.network.dns.zones
    assert (zone.name, len(zone.linked_networks)) == ("privatelink.openai.azure.com", 1)
    assert facts.network.dns.missing_zones == ()


def test_bedrock_access_gateway_shows_its_roles_missing_endpoint_and_igw_egress():
    facts = deliverables_of("bedrock-access-gateway")
    [vpc] = facts.network.networks

    assert vpc.network == "VPCB9E5F0B4"
    assert [(m.service, m.reason) for m in vpc.missing] == [
        ("bedrock-runtime", "Bedrock workloads are declared")
    ]
    roles = {p.name: p for p in facts.access.principals}
    assert sorted(roles) == [
        "ProxyApiHandlerServiceRole",
        "ProxyTaskRole5DB6A540",
        "aws_iam_role.proxy_api_handler_role",
    ]
    assert "bedrock:* on *" in roles["aws_iam_role.proxy_api_handler_role"].permissions
    assert not any(p.static_keys for p in facts.access.principals)
    internet = [
        (p.subnet, p.network, p.evidence)
        for p in facts.perimeter.egress_paths
        if p.via == "internet gateway VPCIGWB7E252D3"
    ]
    assert internet == [
        (
            "VPCPublicSubnet1SubnetB4246D30",
            "VPCB9E5F0B4",
            "deployment/BedrockProxyFargate.template:65",
        ),
        (
            "VPCPublicSubnet2Subnet74179F39",
            "VPCB9E5F0B4",
            "deployment/BedrockProxyFargate.template:108",
        ),
    ]


def test_azure_baseline_lists_the_web_app_identity_and_the_deploying_user():
    facts = deliverables_of("azure-openai-e2e-baseline")
    grants = [
        (p.name, p.kind, p.permissions, p.scope, p.location)
        for p in facts.access.principals
    ]

    assert grants == [
        (
            "unresolved (yourPrincipalId)",
            "azure principal",
            ("Cognitive Services User",),
            ("deployAzureAIFoundry/aiFoundry",),
            "infra-as-code/bicep/ai-foundry.bicep:115",
        ),
        (
            "deployWebApp/appServiceManagedIdentity",
            "managed identity",
            ("Azure AI User",),
            ("deployWebApp/aiFoundry",),
            "infra-as-code/bicep/web-app.bicep:134",
        ),
    ]
    assert facts.access.local_auth == ()


def test_azure_baseline_egress_goes_through_the_firewall_except_app_service():
    facts = deliverables_of("azure-openai-e2e-baseline")
    vnet = "deployVirtualNetwork/virtualNetwork"
    paths = {
        (p.subnet.removeprefix(f"{vnet}/"), p.via) for p in facts.perimeter.egress_paths
    }

    firewall = "VirtualAppliance deployAzureFirewall/azureFirewall"
    for subnet in ("snet-agentsEgress", "snet-privateEndpoints", "snet-jumpBoxes"):
        assert (subnet, firewall) in paths
        assert (subnet, "Azure default outbound access") not in paths
    assert ("snet-appServicePlan", "Azure default outbound access") in paths
    assert not any(s == "snet-appServicePlan" and v == firewall for s, v in paths)
