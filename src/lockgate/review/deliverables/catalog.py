"""Resource type names the deliverable builders look for, grouped by concept."""

from __future__ import annotations

VPCS = ("aws_vpc", "AWS::EC2::VPC")
VNETS = ("azurerm_virtual_network", "Microsoft.Network/virtualNetworks")
AWS_SUBNETS = ("aws_subnet", "AWS::EC2::Subnet")
AZURE_SUBNETS = ("azurerm_subnet", "Microsoft.Network/virtualNetworks/subnets")
VPC_ENDPOINTS = ("aws_vpc_endpoint", "AWS::EC2::VPCEndpoint")
ENDPOINT_POLICIES = ("aws_vpc_endpoint_policy",)
ZONE_GROUPS = ("Microsoft.Network/privateEndpoints/privateDnsZoneGroups",)
PRIVATE_ENDPOINTS = ("azurerm_private_endpoint", "Microsoft.Network/privateEndpoints")
AI_ACCOUNTS = (
    "azurerm_cognitive_account",
    "azurerm_ai_services",
    "Microsoft.CognitiveServices/accounts",
)
AWS_ZONES = ("aws_route53_zone", "AWS::Route53::HostedZone")
AWS_ZONE_ASSOCIATIONS = ("aws_route53_zone_association",)
AWS_RESOLVERS = (
    "aws_route53_resolver_endpoint",
    "AWS::Route53Resolver::ResolverEndpoint",
)
AWS_RESOLVER_RULES = ("aws_route53_resolver_rule", "AWS::Route53Resolver::ResolverRule")
AZURE_ZONES = ("azurerm_private_dns_zone", "Microsoft.Network/privateDnsZones")
AZURE_ZONE_LINKS = (
    "azurerm_private_dns_zone_virtual_network_link",
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
)
AZURE_RESOLVERS = ("azurerm_private_dns_resolver", "Microsoft.Network/dnsResolvers")
TRANSIT = (
    "aws_ec2_transit_gateway",
    "AWS::EC2::TransitGateway",
    "azurerm_virtual_network_peering",
    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
    "azurerm_virtual_hub",
)
GATEWAY_ATTACHMENTS = (
    "AWS::EC2::VPCGatewayAttachment",
    "aws_internet_gateway_attachment",
)
NAT_GATEWAYS = ("aws_nat_gateway", "AWS::EC2::NatGateway", "azurerm_nat_gateway")
INTERNET_GATEWAYS = ("aws_internet_gateway", "AWS::EC2::InternetGateway")
FIREWALLS = (
    "aws_networkfirewall_firewall",
    "azurerm_firewall",
    "AWS::NetworkFirewall::Firewall",
)

BEDROCK_AGENTS = (
    "aws_bedrockagent_agent",
    "AWS::Bedrock::Agent",
    "aws_bedrockagent_knowledge_base",
    "AWS::Bedrock::KnowledgeBase",
)
AGENTCORE = (
    "aws_bedrockagentcore_agent_runtime",
    "aws_bedrockagentcore_gateway",
    "AWS::BedrockAgentCore::Runtime",
    "AWS::BedrockAgentCore::Gateway",
)

IAM_ROLES = ("aws_iam_role", "AWS::IAM::Role")
IAM_USERS = ("aws_iam_user", "AWS::IAM::User")
ACCESS_KEYS = (
    "aws_iam_access_key",
    "AWS::IAM::AccessKey",
    "aws_iam_service_specific_credential",
)
INLINE_POLICIES = ("aws_iam_role_policy", "aws_iam_user_policy")
MANAGED_POLICIES = ("aws_iam_policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy")
POLICY_ATTACHMENTS = (
    "aws_iam_role_policy_attachment",
    "aws_iam_user_policy_attachment",
    "aws_iam_policy_attachment",
)
POLICY_DOCUMENTS = ("aws_iam_policy_document",)
MANAGED_IDENTITIES = (
    "azurerm_user_assigned_identity",
    "Microsoft.ManagedIdentity/userAssignedIdentities",
)
ROLE_ASSIGNMENTS = (
    "azurerm_role_assignment",
    "Microsoft.Authorization/roleAssignments",
)

KMS_KEYS = ("aws_kms_key", "AWS::KMS::Key", "azurerm_key_vault_key")
ACCOUNT_CMK = ("azurerm_cognitive_account_customer_managed_key",)
GUARDRAILS = ("aws_bedrock_guardrail", "AWS::Bedrock::Guardrail")
ROUTE_TABLES = (
    "aws_route_table",
    "AWS::EC2::RouteTable",
    "azurerm_route_table",
    "Microsoft.Network/routeTables",
)
ROUTES = (
    "aws_route",
    "AWS::EC2::Route",
    "azurerm_route",
    "Microsoft.Network/routeTables/routes",
)
ROUTE_ASSOCIATIONS = (
    "aws_route_table_association",
    "AWS::EC2::SubnetRouteTableAssociation",
    "azurerm_subnet_route_table_association",
)
NAT_ASSOCIATIONS = ("azurerm_subnet_nat_gateway_association",)
SECURITY_GROUPS = ("aws_security_group", "AWS::EC2::SecurityGroup")
NSGS = ("azurerm_network_security_group", "Microsoft.Network/networkSecurityGroups")
NSG_RULES = (
    "azurerm_network_security_rule",
    "Microsoft.Network/networkSecurityGroups/securityRules",
)
NSG_ASSOCIATIONS = ("azurerm_subnet_network_security_group_association",)
SG_EGRESS = ("aws_vpc_security_group_egress_rule", "AWS::EC2::SecurityGroupEgress")
FIREWALL_RULES = (
    "aws_networkfirewall_rule_group",
    "azurerm_firewall_policy_rule_collection_group",
    "azurerm_firewall_application_rule_collection",
)

INVOCATION_LOGGING = ("aws_bedrock_model_invocation_logging_configuration",)
CUSTOM_RESOURCES = ("AWS::CloudFormation::CustomResource",)
DIAGNOSTICS = (
    "azurerm_monitor_diagnostic_setting",
    "Microsoft.Insights/diagnosticSettings",
)
APP_INSIGHTS = ("azurerm_application_insights", "Microsoft.Insights/components")
INFERENCE_PROFILES = (
    "aws_bedrock_inference_profile",
    "AWS::Bedrock::ApplicationInferenceProfile",
)
BUDGETS = (
    "aws_budgets_budget",
    "AWS::Budgets::Budget",
    "azurerm_consumption_budget_resource_group",
    "azurerm_consumption_budget_subscription",
    "Microsoft.Consumption/budgets",
)
ANOMALY_MONITORS = (
    "aws_ce_anomaly_monitor",
    "AWS::CE::AnomalyMonitor",
    "aws_ce_anomaly_subscription",
    "AWS::CE::AnomalySubscription",
    "azurerm_cost_anomaly_alert",
)
COST_TAGS = ("aws_ce_cost_allocation_tag",)
AZURE_DEPLOYMENTS = (
    "azurerm_cognitive_deployment",
    "Microsoft.CognitiveServices/accounts/deployments",
)

# Azure Private DNS zones a Cognitive Services account needs, by kind.
AZURE_ZONES_BY_KIND = {
    "openai": ("privatelink.openai.azure.com",),
    "aiservices": (
        "privatelink.cognitiveservices.azure.com",
        "privatelink.openai.azure.com",
        "privatelink.services.ai.azure.com",
    ),
}
