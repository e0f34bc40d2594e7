from __future__ import annotations

from check_helpers import ARM, CFN, account, only, res, run, vpc_endpoint

from lockgate.review.checks import aws_egress as egress
from lockgate.review.checks import data_perimeter as d
from lockgate.review.checks import encryption as e
from lockgate.review.model import Location, Ref, Status, Unresolved

AI_POLICY = res(
    "aws_iam_policy",
    "aws_iam_policy.ai",
    {"policy": {"Statement": [{"Effect": "Allow", "Action": "bedrock:Converse"}]}},
)


def _endpoint(suffix: str = "bedrock-runtime", **attributes: object) -> object:
    return vpc_endpoint(suffix, "aws_vpc_endpoint.e", 167, **attributes)


def test_endpoint_without_policy_fails_at_the_endpoint() -> None:
    found = only(d.endpoint_policy_present, _endpoint("ssm"))

    assert found.status is Status.FAIL
    assert found.location == Location("main.tf", 167)


def test_endpoint_policy_attached_separately_counts() -> None:
    attached = res(
        "aws_vpc_endpoint_policy",
        "aws_vpc_endpoint_policy.p",
        {
            "vpc_endpoint_id": Ref("aws_vpc_endpoint.e", "id"),
            "policy": {
                "Statement": [{"Effect": "Allow", "Action": "bedrock:Converse"}]
            },
        },
    )

    assert only(d.endpoint_policy_present, _endpoint(), attached).status is Status.PASS


def test_unresolved_endpoint_policy_is_unresolved() -> None:
    found = only(
        d.endpoint_policy_present, _endpoint(policy=Unresolved("var.policy", "no"))
    )

    assert found.status is Status.UNRESOLVED


def test_broad_endpoint_policy_fails_org_scoped_passes() -> None:
    broad = _endpoint(
        policy={
            "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
            ]
        }
    )
    scoped = _endpoint(
        policy={
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "bedrock:InvokeModel",
                    "Resource": "arn:aws:bedrock:us-east-1:1:inference-profile/x",
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}},
                }
            ]
        }
    )

    assert only(d.endpoint_policy_scope, broad).status is Status.FAIL
    assert only(d.endpoint_policy_scope, scoped).status is Status.PASS


def test_mantle_policy_needs_mantle_actions() -> None:
    bedrock_only = _endpoint(
        "bedrock-mantle",
        policy={"Statement": [{"Effect": "Allow", "Action": "bedrock:*"}]},
    )
    mantle = _endpoint(
        "bedrock-mantle",
        policy={
            "Statement": [
                {"Effect": "Allow", "Action": "bedrock-mantle:CreateInference"}
            ]
        },
    )

    assert only(d.mantle_policy, bedrock_only).status is Status.FAIL
    assert only(d.mantle_policy, mantle).status is Status.PASS


def _network(route: dict[str, object], subnet: str = "aws_subnet.ai") -> list[object]:
    """A route table with ``route``, associated with ``subnet``, and a Lambda
    calling Bedrock placed in aws_subnet.ai."""
    return [
        res("aws_internet_gateway", "aws_internet_gateway.igw", {}),
        res("aws_route_table", "aws_route_table.t", {"route": [route]}),
        res(
            "aws_route_table_association",
            "aws_route_table_association.a",
            {
                "route_table_id": Ref("aws_route_table.t", "id"),
                "subnet_id": Ref(subnet, "id"),
            },
        ),
        res(
            "aws_lambda_function",
            "aws_lambda_function.ai",
            {
                "handler": "bedrock.handler",
                "vpc_config": [{"subnet_ids": [Ref("aws_subnet.ai", "id")]}],
            },
        ),
    ]


def test_default_route_from_an_ai_subnet_to_the_internet_fails() -> None:
    igw = {"cidr_block": "0.0.0.0/0", "gateway_id": Ref("aws_internet_gateway.igw")}
    nat = {"cidr_block": "0.0.0.0/0", "nat_gateway_id": Ref("aws_nat_gateway.n")}

    through_igw = only(egress.internet_routes, *_network(igw))
    through_nat = only(egress.internet_routes, *_network(nat))

    assert through_igw.status is Status.FAIL
    assert "aws_lambda_function.ai" in through_igw.message
    assert through_nat.status is Status.FAIL


def test_default_route_of_other_subnets_passes_and_transit_gateway_passes() -> None:
    igw = {"cidr_block": "0.0.0.0/0", "gateway_id": Ref("aws_internet_gateway.igw")}
    tgw = {"cidr_block": "0.0.0.0/0", "transit_gateway_id": "tgw-1"}

    elsewhere = only(egress.internet_routes, *_network(igw, subnet="aws_subnet.web"))
    to_tgw = only(egress.internet_routes, *_network(tgw))

    assert elsewhere.status is Status.PASS
    assert to_tgw.status is Status.PASS


def test_default_route_without_known_placement_is_unresolved() -> None:
    igw = res("AWS::EC2::InternetGateway", "Igw", {}, CFN)
    route = res(
        "AWS::EC2::Route",
        "PublicRoute",
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": Ref("Igw")},
        CFN,
    )

    assert only(egress.internet_routes, AI_POLICY, igw, route).status is (
        Status.UNRESOLVED
    )
    assert run(egress.internet_routes, igw, route) == []


def test_security_group_open_egress_fails_at_the_rule() -> None:
    open_group = res(
        "aws_security_group",
        "aws_security_group.w",
        {"egress": [{"cidr_blocks": ["0.0.0.0/0"], "from_port": 0}]},
    )
    narrow = res(
        "aws_security_group",
        "aws_security_group.n",
        {"egress": [{"cidr_blocks": ["10.0.0.0/8"]}]},
    )
    cfn_default = res("AWS::EC2::SecurityGroup", "Sg", {"GroupDescription": "x"}, CFN)
    unknown = res(
        "aws_security_group",
        "aws_security_group.u",
        {"egress": Unresolved("local.rules", "dynamic")},
    )

    assert only(d.security_group_egress, open_group).status is Status.FAIL
    assert only(d.security_group_egress, open_group).location == Location("main.tf", 2)
    assert only(d.security_group_egress, narrow).status is Status.PASS
    assert only(d.security_group_egress, cfn_default).status is Status.FAIL
    assert only(d.security_group_egress, unknown).status is Status.UNRESOLVED


def _account(properties: dict[str, object]) -> object:
    return account("a", properties, ARM, 12, "a.json", kind="OpenAI")


def test_outbound_restriction_needs_flag_and_fqdns() -> None:
    restricted = _account(
        {"restrictOutboundNetworkAccess": True, "allowedFqdnList": ["x.blob.core"]}
    )
    empty = _account({"restrictOutboundNetworkAccess": True, "allowedFqdnList": []})
    off = _account({"restrictOutboundNetworkAccess": False, "allowedFqdnList": []})
    unknown = _account({"restrictOutboundNetworkAccess": Unresolved("p", "r")})

    assert only(d.azure_outbound, restricted).status is Status.PASS
    assert only(d.azure_outbound, empty).status is Status.FAIL
    assert only(d.azure_outbound, off).status is Status.FAIL
    assert only(d.azure_outbound, off).location == Location("a.json", 15)
    assert only(d.azure_outbound, unknown).status is Status.UNRESOLVED


def test_perimeter_condition_applies_only_with_bedrock_endpoints() -> None:
    grant = res(
        "aws_iam_policy",
        "aws_iam_policy.g",
        {
            "policy": {
                "Statement": [{"Effect": "Allow", "Action": "bedrock:InvokeModel"}]
            }
        },
    )
    scoped = res(
        "aws_iam_policy",
        "aws_iam_policy.s",
        {
            "policy": {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "bedrock:InvokeModel",
                        "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}},
                    }
                ]
            }
        },
    )

    assert run(d.perimeter_condition, grant) == []
    assert only(d.perimeter_condition, _endpoint(), grant).status is Status.FAIL
    assert only(d.perimeter_condition, _endpoint(), scoped).status is Status.PASS


def test_azure_subnets_without_outbound_control_fail_special_subnets_skipped() -> None:
    vnet = res(
        "Microsoft.Network/virtualNetworks",
        "vnet",
        {
            "properties": {
                "subnets": [
                    {"name": "VMs", "properties": {"addressPrefix": "10.0.0.0/24"}},
                    {
                        "name": "agents",
                        "properties": {"defaultOutboundAccess": False},
                    },
                    {"name": "AzureBastionSubnet", "properties": {}},
                ]
            }
        },
        ARM,
    )

    findings = run(d.azure_subnet_egress, _account({}), vnet)

    assert [(f.status, "VMs" in f.message) for f in findings] == [
        (Status.FAIL, True),
        (Status.PASS, False),
    ]


def test_public_ip_on_subnet_and_ecs_service_fail() -> None:
    subnet = res("AWS::EC2::Subnet", "Public", {"MapPublicIpOnLaunch": True}, CFN)
    service = res(
        "AWS::ECS::Service",
        "Svc",
        {
            "NetworkConfiguration": {
                "AwsvpcConfiguration": {"AssignPublicIp": "ENABLED"}
            }
        },
        CFN,
    )

    statuses = [f.status for f in run(d.public_ips, AI_POLICY, subnet, service)]

    assert statuses == [Status.FAIL, Status.FAIL]


def test_agent_cmk_set_by_reference_passes_missing_fails() -> None:
    with_key = res(
        "aws_bedrockagent_agent",
        "aws_bedrockagent_agent.k",
        {"customer_encryption_key_arn": Ref("aws_kms_key.example", "arn")},
    )
    without = res("AWS::Bedrock::Agent", "Fail", {"AgentName": "x"}, CFN, line=3)
    unknown = res(
        "awscc_bedrock_agent",
        "awscc_bedrock_agent.u",
        {"customer_encryption_key_arn": Unresolved("var.kms", "no default")},
    )

    assert only(e.agent_customer_key, with_key).status is Status.PASS
    assert only(e.agent_customer_key, without).status is Status.FAIL
    assert only(e.agent_customer_key, without).location == Location("main.tf", 3)
    assert only(e.agent_customer_key, unknown).status is Status.UNRESOLVED


def test_guardrail_and_azure_account_keys() -> None:
    guardrail = res("aws_bedrock_guardrail", "aws_bedrock_guardrail.g", {"name": "g"})
    keyed = _account(
        {"encryption": {"keySource": "Microsoft.KeyVault", "keyVaultProperties": {}}}
    )

    assert only(e.guardrail_customer_key, guardrail).status is Status.FAIL
    assert only(e.azure_customer_key, keyed).status is Status.PASS
    assert only(e.azure_customer_key, _account({})).status is Status.FAIL


def test_terraform_account_key_in_a_separate_resource_counts() -> None:
    account = res("azurerm_cognitive_account", "azurerm_cognitive_account.a", {})
    key = res(
        "azurerm_cognitive_account_customer_managed_key",
        "azurerm_cognitive_account_customer_managed_key.k",
        {"cognitive_account_id": Ref("azurerm_cognitive_account.a", "id")},
    )

    assert only(e.azure_customer_key, account, key).status is Status.PASS
    assert only(e.azure_customer_key, account).status is Status.FAIL


def _logging(group_ref: object) -> object:
    return res(
        "aws_bedrock_model_invocation_logging_configuration",
        "aws_bedrock_model_invocation_logging_configuration.l",
        {
            "logging_config": [
                {
                    "text_data_delivery_enabled": True,
                    "cloudwatch_config": [{"log_group_name": group_ref}],
                }
            ]
        },
    )


def test_invocation_log_group_without_kms_fails() -> None:
    group = res(
        "aws_cloudwatch_log_group",
        "aws_cloudwatch_log_group.bedrock",
        {"name": "/aws/bedrock/x", "retention_in_days": 1},
        line=11,
        file="cloudwatch_logs.tf",
    )
    keyed = res(
        "aws_cloudwatch_log_group",
        "aws_cloudwatch_log_group.bedrock",
        {"name": "/aws/bedrock/x", "kms_key_id": Ref("aws_kms_key.k", "arn")},
    )
    ref = Ref("aws_cloudwatch_log_group.bedrock", "name")

    failed = only(e.invocation_log_key, _logging(ref), group)

    assert failed.status is Status.FAIL
    assert failed.location == Location("cloudwatch_logs.tf", 11)
    assert only(e.invocation_log_key, _logging(ref), keyed).status is Status.PASS
    assert only(e.invocation_log_key, _logging("/aws/bedrock/x"), keyed).status is (
        Status.PASS
    )


def test_vector_store_encryption_policy_key() -> None:
    def policy(document: str) -> object:
        return res(
            "aws_opensearchserverless_security_policy",
            "aws_opensearchserverless_security_policy.e",
            {"type": "encryption", "policy": document},
        )

    owned = policy('{"Rules":[],"AWSOwnedKey":true}')
    customer = policy('{"Rules":[],"AWSOwnedKey":false,"KmsARN":"arn:aws:kms:x"}')

    assert only(e.vector_store_key, owned).status is Status.FAIL
    assert only(e.vector_store_key, customer).status is Status.PASS
    assert only(e.vector_store_key, policy("not json")).status is Status.UNRESOLVED


def test_private_endpoint_subnet_without_outbound_control_is_not_ai_egress() -> None:
    vnet = res(
        "Microsoft.Network/virtualNetworks",
        "vnet",
        {
            "properties": {
                "subnets": [
                    {"name": "pe", "properties": {}},
                    {"name": "apps", "properties": {}},
                ]
            }
        },
        ARM,
    )
    endpoint = res(
        "Microsoft.Network/privateEndpoints",
        "endpoint",
        {"properties": {"subnet": {"id": Unresolved("'${vnet.id}/subnets/pe'", "r")}}},
        ARM,
    )

    findings = run(d.azure_subnet_egress, _account({}), vnet, endpoint)

    assert [(f.status, "apps" in f.message) for f in findings] == [(Status.FAIL, True)]
