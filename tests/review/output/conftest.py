"""A hand-made review: one AWS VPC and one Azure VNet with known facts.

The inventory is written the way the loaders produce it (Terraform blocks as lists
of dicts, references as Ref), so the deliverable builders and renderers can be
tested without the loaders or the checks.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from lockgate.review.deliverables import build_deliverables
from lockgate.review.engine import compute_gates
from lockgate.review.model import (
    Area,
    CheckSpec,
    Finding,
    Inventory,
    Location,
    ParseProblem,
    Platform,
    Ref,
    Resource,
    Severity,
    SourceFormat,
    Status,
)
from lockgate.review.render import Report

PROFILE_ARN = (
    "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/chat"
)


def resource(type_: str, label: str, line: int, **attributes: Any) -> Resource:
    platform_file = "aws.tf" if type_.startswith("aws_") else "azure.tf"
    return Resource(
        type=type_,
        address=f"{type_}.{label}",
        source=SourceFormat.TERRAFORM,
        location=Location(platform_file, line),
        attributes=attributes,
    )


def aws_resources() -> list[Resource]:
    vpc = Ref("aws_vpc.ai", "id")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "bedrock:InvokeModel",
                "Resource": PROFILE_ARN,
            }
        ],
    }
    return [
        resource("aws_vpc", "ai", 1, cidr_block="10.0.0.0/16", enable_dns_support=True),
        resource("aws_subnet", "a", 5, vpc_id=vpc, availability_zone="us-east-1a"),
        resource("aws_subnet", "b", 9, vpc_id=vpc, availability_zone="us-east-1b"),
        resource(
            "aws_vpc_endpoint",
            "runtime",
            13,
            service_name="com.amazonaws.us-east-1.bedrock-runtime",
            vpc_endpoint_type="Interface",
            private_dns_enabled=True,
            vpc_id=vpc,
            subnet_ids=[Ref("aws_subnet.a", "id"), Ref("aws_subnet.b", "id")],
        ),
        resource(
            "aws_vpc_endpoint",
            "s3",
            21,
            service_name="com.amazonaws.us-east-1.s3",
            vpc_id=vpc,
        ),
        resource("aws_bedrockagent_agent", "helper", 25, agent_name="helper"),
        resource("aws_nat_gateway", "main", 29, subnet_id=Ref("aws_subnet.b", "id")),
        resource(
            "aws_route_table",
            "private",
            33,
            vpc_id=vpc,
            route=[
                {
                    "cidr_block": "0.0.0.0/0",
                    "nat_gateway_id": Ref("aws_nat_gateway.main", "id"),
                }
            ],
        ),
        resource(
            "aws_route_table_association",
            "a",
            40,
            subnet_id=Ref("aws_subnet.a", "id"),
            route_table_id=Ref("aws_route_table.private", "id"),
        ),
        resource("aws_iam_role", "app", 44, name="app"),
        resource(
            "aws_iam_role_policy",
            "app",
            48,
            role=Ref("aws_iam_role.app", "id"),
            policy=json.dumps(policy),
        ),
        resource("aws_iam_user", "dev", 55, name="dev"),
        resource("aws_iam_access_key", "dev", 58, user=Ref("aws_iam_user.dev", "name")),
        resource(
            "aws_bedrock_model_invocation_logging_configuration",
            "main",
            61,
            logging_config=[
                {"cloudwatch_config": [{"log_group_name": "/bedrock/calls"}]}
            ],
        ),
        resource(
            "aws_bedrock_inference_profile",
            "chat",
            70,
            model_source=[
                {"copy_from": "arn:aws:bedrock:us-east-1::foundation-model/m"}
            ],
            tags={"app": "chat"},
        ),
        resource(
            "aws_budgets_budget",
            "ai",
            78,
            limit_amount="500",
            cost_filter=[{"name": "Service", "values": ["Amazon Bedrock"]}],
        ),
    ]


def azure_resources() -> list[Resource]:
    account = Ref("azurerm_cognitive_account.oai", "id")
    return [
        resource("azurerm_virtual_network", "hub", 1, name="hub"),
        resource(
            "azurerm_subnet",
            "pe",
            5,
            virtual_network_name=Ref("azurerm_virtual_network.hub", "name"),
            default_outbound_access_enabled=False,
        ),
        resource(
            "azurerm_cognitive_account",
            "oai",
            10,
            kind="OpenAI",
            custom_subdomain_name="oai-demo",
            local_auth_enabled=True,
            outbound_network_access_restricted=True,
            fqdns=["api.contoso.example"],
        ),
        resource(
            "azurerm_private_endpoint",
            "oai",
            20,
            subnet_id=Ref("azurerm_subnet.pe", "id"),
            private_service_connection=[
                {
                    "private_connection_resource_id": account,
                    "subresource_names": ["account"],
                }
            ],
            private_dns_zone_group=[
                {"private_dns_zone_ids": [Ref("azurerm_private_dns_zone.openai", "id")]}
            ],
        ),
        resource(
            "azurerm_private_dns_zone",
            "openai",
            32,
            name="privatelink.openai.azure.com",
        ),
        resource(
            "azurerm_private_dns_zone_virtual_network_link",
            "hub",
            35,
            private_dns_zone_name=Ref("azurerm_private_dns_zone.openai", "name"),
            virtual_network_id=Ref("azurerm_virtual_network.hub", "id"),
        ),
        resource(
            "azurerm_role_assignment",
            "app",
            40,
            principal_id=Ref("azurerm_user_assigned_identity.app", "principal_id"),
            role_definition_name="Cognitive Services OpenAI User",
            scope=account,
        ),
        resource(
            "azurerm_monitor_diagnostic_setting",
            "oai",
            46,
            target_resource_id=account,
            enabled_log=[{"category": "RequestResponse"}],
        ),
    ]


def spec(check_id: str, title: str, area: Area, severity: Severity) -> CheckSpec:
    return CheckSpec(
        id=check_id,
        title=title,
        area=area,
        platform=Platform.AWS,
        severity=severity,
        rationale=f"Why {check_id} matters.",
        fix={"terraform": "policy = data.aws_iam_policy_document.x.json"},
    )


CATALOG = [
    spec(
        "LG-DP-001",
        "Endpoint has no endpoint policy",
        Area.DATA_PERIMETER,
        Severity.HIGH,
    ),
    spec(
        "LG-ID-001", "IAM user has a static access key", Area.IDENTITY, Severity.MEDIUM
    ),
    spec("LG-ID-002", "Wildcard action on Bedrock", Area.IDENTITY, Severity.HIGH),
    spec("LG-OB-001", "Invocation logging is on", Area.OBSERVABILITY, Severity.MEDIUM),
    spec("LG-CO-001", "Budget covers the model service", Area.COST, Severity.LOW),
]


def sample_findings() -> list[Finding]:
    by_id = {c.id: c for c in CATALOG}
    return [
        Finding(
            by_id["LG-DP-001"],
            Status.FAIL,
            "endpoint 'aws_vpc_endpoint.runtime' has no policy | full access",
            "aws_vpc_endpoint.runtime",
            Location("aws.tf", 13),
            evidence=["aws.tf:13"],
            fix="policy = ...",
        ),
        Finding(
            by_id["LG-ID-001"],
            Status.FAIL,
            "user 'aws_iam_user.dev' has a static access key",
            "aws_iam_user.dev",
            Location("aws.tf", 58, 3),
        ),
        Finding(
            by_id["LG-ID-002"],
            Status.UNRESOLVED,
            "policy of 'aws_iam_role.app' could not be read",
            "aws_iam_role.app",
            None,
        ),
        Finding(
            by_id["LG-OB-001"], Status.PASS, "logging on", "x", Location("aws.tf", 61)
        ),
        Finding(
            by_id["LG-CO-001"],
            Status.FAIL,
            "budget has no anomaly monitor",
            "aws_budgets_budget.ai",
            Location("aws.tf", 78),
        ),
    ]


def sample_inventory() -> Inventory:
    return Inventory(
        root="/reviewed",
        resources=aws_resources() + azure_resources(),
        problems=[ParseProblem("broken.tf", "unexpected '}' <script>", 7)],
        files=["aws.tf", "azure.tf", "broken.tf"],
    )


def make_report(findings: list[Finding] | None = None) -> Report:
    inventory = sample_inventory()
    findings = sample_findings() if findings is None else findings
    return Report(
        tool_version="0.1.0",
        generated_at="2026-12-03T12:00:00Z",
        root=inventory.root,
        files=inventory.files,
        findings=findings,
        gates=compute_gates(findings),
        catalog=CATALOG,
        problems=inventory.problems,
        deliverables=build_deliverables(inventory, findings),
        resource_locations={r.address: r.location for r in inventory.resources},
    )


@pytest.fixture
def report() -> Report:
    return make_report()


@pytest.fixture
def inventory() -> Inventory:
    return sample_inventory()


@pytest.fixture
def findings() -> list[Finding]:
    return sample_findings()


@pytest.fixture
def catalog() -> list[CheckSpec]:
    return list(CATALOG)
