"""Fix snippets per check and source language, shown with each finding.

Keys are :class:`~lockgate.review.model.SourceFormat` values; a Terraform plan
finding shows the ``terraform`` snippet.
"""

from __future__ import annotations

_TF_ENDPOINT = """resource "aws_vpc_endpoint" "bedrock_runtime" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.${var.region}.bedrock-runtime"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.bedrock_endpoint.id]
  policy              = data.aws_iam_policy_document.bedrock_endpoint.json
}"""

_CFN_ENDPOINT = """BedrockRuntimeEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.bedrock-runtime
    VpcEndpointType: Interface
    PrivateDnsEnabled: true
    SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
    SecurityGroupIds: [!Ref EndpointSecurityGroup]
    PolicyDocument: {...}"""

_TF_ENDPOINT_POLICY = """data "aws_iam_policy_document" "bedrock_endpoint" {
  statement {
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream",
                 "bedrock:Converse", "bedrock:ConverseStream"]
    resources = [aws_bedrock_inference_profile.app.arn]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.org_id]
    }
  }
}
# then: policy = data.aws_iam_policy_document.bedrock_endpoint.json"""

_CFN_ENDPOINT_POLICY = """PolicyDocument:
  Statement:
    - Effect: Allow
      Principal: "*"
      Action: [bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream,
               bedrock:Converse, bedrock:ConverseStream]
      Resource: !GetAtt AppInferenceProfile.InferenceProfileArn
      Condition:
        StringEquals: {aws:PrincipalOrgID: !Ref OrgId}"""

_TF_SCOPED_ACTIONS = """statement {
  actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
  resources = [aws_bedrock_inference_profile.app.arn]
}"""

_CFN_SCOPED_ACTIONS = """- Effect: Allow
  Action: [bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream]
  Resource: !GetAtt AppInferenceProfile.InferenceProfileArn"""

_BICEP_PNA = """resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  properties: {
    publicNetworkAccess: 'Disabled'
    networkAcls: { defaultAction: 'Deny', bypass: 'None' }
  }
}"""

_ARM_PNA = """"properties": {
  "publicNetworkAccess": "Disabled",
  "networkAcls": { "defaultAction": "Deny", "bypass": "None" }
}"""

_TF_PNA = """resource "azurerm_cognitive_account" "openai" {
  # azurerm_ai_services: public_network_access = "Disabled"
  public_network_access_enabled = false
  custom_subdomain_name         = "my-openai"
  network_acls {
    default_action = "Deny"
  }
}"""

_TF_PE = """resource "azurerm_private_endpoint" "openai" {
  subnet_id = azurerm_subnet.private_endpoints.id
  private_service_connection {
    name                           = "openai"
    private_connection_resource_id = azurerm_cognitive_account.openai.id
    subresource_names              = ["account"]
    is_manual_connection           = false
  }
  private_dns_zone_group {
    name                 = "openai"
    private_dns_zone_ids = [azurerm_private_dns_zone.openai.id,
                            azurerm_private_dns_zone.cognitiveservices.id,
                            azurerm_private_dns_zone.services_ai.id]
  }
}"""

_BICEP_PE = """resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  properties: {
    subnet: { id: peSubnet.id }
    privateLinkServiceConnections: [{ name: 'account', properties: {
      privateLinkServiceId: account.id, groupIds: ['account'] } }]
  }
  resource dns 'privateDnsZoneGroups' = { name: 'default', properties: {
    privateDnsZoneConfigs: [
      { name: 'openai', properties: { privateDnsZoneId: openaiZone.id } }
      { name: 'cogsvc', properties: { privateDnsZoneId: cogsvcZone.id } }
      { name: 'aiservices', properties: { privateDnsZoneId: aiServicesZone.id } }
    ] } }
}"""

_ARM_PE = """{ "type": "Microsoft.Network/privateEndpoints", "properties": {
    "privateLinkServiceConnections": [{ "name": "account", "properties": {
      "privateLinkServiceId": "<account resource id>",
      "groupIds": ["account"] } }] } }
{ "type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "properties": {
    "privateDnsZoneConfigs": [
      { "name": "openai",
        "properties": { "privateDnsZoneId": "<privatelink.openai.azure.com id>" } },
      { "name": "cogsvc", "properties": {
        "privateDnsZoneId": "<privatelink.cognitiveservices.azure.com id>" } },
      { "name": "aiservices", "properties": {
        "privateDnsZoneId": "<privatelink.services.ai.azure.com id>" } }
    ] } }"""

_TF_LINK = """resource "azurerm_private_dns_zone_virtual_network_link" "openai_hub" {
  name                  = "hub"
  private_dns_zone_name = azurerm_private_dns_zone.openai.name
  virtual_network_id    = azurerm_virtual_network.hub.id
  registration_enabled  = false
}"""

_BICEP_LINK = """resource link
    'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: openaiZone
  name: 'hub'
  location: 'global'
  properties: { virtualNetwork: { id: hubVnet.id }, registrationEnabled: false }
}"""

_ARM_LINK = """{ "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
  "location": "global",
  "properties": { "virtualNetwork": { "id": "<vnet id>" },
                  "registrationEnabled": false } }"""

_TF_LOCAL_AUTH = """resource "azurerm_cognitive_account" "openai" {
  # azurerm_ai_services: local_authentication_enabled = false
  local_auth_enabled = false
}"""

_TF_IDENTITY = """resource "azurerm_cognitive_account" "openai" {
  identity {
    type = "SystemAssigned"
  }
}"""

_TF_DLP = """resource "azurerm_cognitive_account" "openai" {
  outbound_network_access_restricted = true
  fqdns                              = ["mystorage.blob.core.windows.net"]
}"""

_TF_CMK = """resource "azurerm_cognitive_account_customer_managed_key" "openai" {
  cognitive_account_id = azurerm_cognitive_account.openai.id
  key_vault_key_id     = azurerm_key_vault_key.openai.id
}"""

_TF_DIAG = """resource "azurerm_monitor_diagnostic_setting" "openai" {
  name                       = "openai"
  target_resource_id         = azurerm_cognitive_account.openai.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  enabled_log { category = "RequestResponse" }
  enabled_log { category = "AzureOpenAIRequestUsage" }
  enabled_log { category = "Audit" }
}"""

_BICEP_DIAG = """resource diag
    'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'default'
  scope: account
  properties: {
    workspaceId: workspace.id
    logs: [
      { category: 'RequestResponse', enabled: true }
      { category: 'AzureOpenAIRequestUsage', enabled: true }
      { category: 'Audit', enabled: true }
    ]
  }
}"""

_ARM_DIAG = """{ "type": "Microsoft.Insights/diagnosticSettings",
  "scope": "[format('Microsoft.CognitiveServices/accounts/{0}', parameters('name'))]",
  "properties": { "workspaceId": "<workspace id>", "logs": [
    { "category": "RequestResponse", "enabled": true },
    { "category": "AzureOpenAIRequestUsage", "enabled": true } ] } }"""

_TF_LOGGING = """resource "aws_bedrock_model_invocation_logging_configuration" "main" {
  logging_config {
    text_data_delivery_enabled = true
    cloudwatch_config {
      log_group_name = aws_cloudwatch_log_group.bedrock.name
      role_arn       = aws_iam_role.bedrock_logging.arn
      large_data_delivery_s3_config {
        bucket_name = aws_s3_bucket.bedrock_logs.id
      }
    }
  }
}"""

_CFN_LOGGING = """# CloudFormation has no native resource:
# a custom resource calls PutModelInvocationLoggingConfiguration
BedrockInvocationLogging:
  Type: Custom::BedrockInvocationLogging
  Properties:
    ServiceToken: !GetAtt PutLoggingConfigFunction.Arn
    LogGroupName: !Ref BedrockLogGroup"""

_TF_LOG_GROUP = """resource "aws_cloudwatch_log_group" "bedrock" {
  name              = "/aws/bedrock/model_invocations"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.logs.arn
}"""

_CFN_LOG_GROUP = """BedrockLogGroup:
  Type: AWS::Logs::LogGroup
  Properties:
    RetentionInDays: 365
    KmsKeyId: !GetAtt LogsKey.Arn"""

_TF_PROFILE = """resource "aws_bedrock_inference_profile" "app" {
  name = "chat-app"
  model_source {
    copy_from = "arn:aws:bedrock:${var.region}::foundation-model/${var.model_id}"
  }
  tags = { CostCenter = "1234", Application = "chat-app" }
}"""

_CFN_PROFILE = """AppInferenceProfile:
  Type: AWS::Bedrock::ApplicationInferenceProfile
  Properties:
    InferenceProfileName: chat-app
    ModelSource:
      CopyFrom: !Sub arn:aws:bedrock:${AWS::Region}::foundation-model/${ModelId}
    Tags: [{Key: CostCenter, Value: "1234"}]"""

_TF_BUDGET = """resource "aws_budgets_budget" "bedrock" {
  name         = "bedrock-monthly"
  budget_type  = "COST"
  limit_amount = "1000"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"
  cost_filter {
    name   = "Service"
    values = ["Amazon Bedrock"]
  }
}"""

_TF_ANOMALY = """resource "aws_ce_anomaly_monitor" "services" {
  name              = "services"
  monitor_type      = "DIMENSIONAL"
  monitor_dimension = "SERVICE"
}
resource "aws_ce_anomaly_subscription" "services" {
  name             = "services"
  frequency        = "DAILY"
  monitor_arn_list = [aws_ce_anomaly_monitor.services.arn]
  subscriber { type = "EMAIL", address = "finops@example.com" }
}"""

_TF_COST_TAG = """resource "aws_ce_cost_allocation_tag" "cost_center" {
  tag_key = "CostCenter"
  status  = "Active"
}"""

_BICEP_TAGS = """resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  tags: { CostCenter: '1234', Application: 'chat-app' }
}"""

_ARM_TAGS = """"tags": { "CostCenter": "1234", "Application": "chat-app" }"""

FIXES: dict[str, dict[str, str]] = {
    "LG-CONN-001": {"terraform": _TF_ENDPOINT, "cloudformation": _CFN_ENDPOINT},
    "LG-CONN-002": {
        "terraform": _TF_ENDPOINT.replace("bedrock-runtime", "bedrock-agent-runtime"),
        "cloudformation": _CFN_ENDPOINT.replace(
            "bedrock-runtime", "bedrock-agent-runtime"
        ),
    },
    "LG-CONN-003": {
        "terraform": "private_dns_enabled = true  # or a hub hosted zone, LG-CONN-006",
        "cloudformation": "PrivateDnsEnabled: true",
    },
    "LG-CONN-004": {
        "terraform": "enable_dns_support   = true\nenable_dns_hostnames = true",
        "cloudformation": "EnableDnsSupport: true\nEnableDnsHostnames: true",
    },
    "LG-CONN-005": {
        "terraform": "subnet_ids = [aws_subnet.private_a.id, aws_subnet.private_b.id]",
        "cloudformation": "SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]",
    },
    "LG-CONN-006": {
        "terraform": """resource "aws_route53_zone" "bedrock_runtime" {
  name = "bedrock-runtime.${var.region}.amazonaws.com"
  vpc { vpc_id = aws_vpc.hub.id }
  dynamic "vpc" {
    for_each = var.spoke_vpc_ids
    content { vpc_id = vpc.value }
  }
}
resource "aws_route53_record" "bedrock_runtime" {
  zone_id = aws_route53_zone.bedrock_runtime.zone_id
  name    = ""
  type    = "A"
  alias {
    name                   = aws_vpc_endpoint.bedrock_runtime.dns_entry[0].dns_name
    zone_id = aws_vpc_endpoint.bedrock_runtime.dns_entry[0].hosted_zone_id
    evaluate_target_health = false
  }
}""",
        "cloudformation": """BedrockRuntimeZone:
  Type: AWS::Route53::HostedZone
  Properties:
    Name: !Sub bedrock-runtime.${AWS::Region}.amazonaws.com
    VPCs: [{VPCId: !Ref HubVpc, VPCRegion: !Ref AWS::Region}]""",
    },
    "LG-CONN-007": {"terraform": _TF_PNA, "bicep": _BICEP_PNA, "arm": _ARM_PNA},
    "LG-CONN-008": {"terraform": _TF_PNA, "bicep": _BICEP_PNA, "arm": _ARM_PNA},
    "LG-CONN-009": {"terraform": _TF_PE, "bicep": _BICEP_PE, "arm": _ARM_PE},
    "LG-CONN-010": {"terraform": _TF_PE, "bicep": _BICEP_PE, "arm": _ARM_PE},
    "LG-CONN-011": {
        "terraform": 'custom_subdomain_name = "my-openai"',
        "bicep": "customSubDomainName: accountName",
        "arm": '"customSubDomainName": "[parameters(\'accountName\')]"',
    },
    "LG-CONN-012": {"terraform": _TF_LINK, "bicep": _BICEP_LINK, "arm": _ARM_LINK},
    "LG-CONN-013": {
        "terraform": """vpc_config {
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = [aws_security_group.lambda.id]
}""",
        "cloudformation": """VpcConfig:
  SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
  SecurityGroupIds: [!Ref LambdaSecurityGroup]""",
    },
    "LG-IAM-001": {
        "terraform": _TF_SCOPED_ACTIONS,
        "cloudformation": _CFN_SCOPED_ACTIONS,
    },
    "LG-IAM-002": {
        "terraform": _TF_SCOPED_ACTIONS,
        "cloudformation": _CFN_SCOPED_ACTIONS,
    },
    "LG-IAM-003": {
        "terraform": "# detach AmazonBedrockFullAccess; attach a policy like:\n"
        + _TF_SCOPED_ACTIONS,
        "cloudformation": "# remove AmazonBedrockFullAccess from ManagedPolicyArns\n"
        + _CFN_SCOPED_ACTIONS,
    },
    "LG-IAM-004": {
        "terraform": "# remove aws_iam_access_key and provider access_key/secret_key;"
        " give the workload an IAM role (instance profile, task role, IRSA) or "
        "use IAM Identity Center or OIDC for the deploy pipeline",
        "cloudformation": "# remove AWS::IAM::AccessKey; give the workload an IAM role",
    },
    "LG-IAM-005": {
        "terraform": "# remove aws_iam_service_specific_credential for "
        "bedrock.amazonaws.com; use short-term API keys or SigV4 roles",
        "cloudformation": "# remove the long-term Bedrock API key; use SigV4 roles",
    },
    "LG-IAM-006": {
        "terraform": "# drop bedrock:CallWithBearerToken from the statement, or "
        "deny it with an SCP",
        "cloudformation": "# drop bedrock:CallWithBearerToken from the statement",
    },
    "LG-IAM-007": {
        "terraform": """condition {
  test     = "StringEquals"
  variable = "aws:SourceAccount"
  values   = [data.aws_caller_identity.current.account_id]
}
condition {
  test     = "ArnLike"
  variable = "aws:SourceArn"
  values   = ["arn:aws:bedrock:${var.region}:${local.account_id}:*"]
}""",
        "cloudformation": """Condition:
  StringEquals: {aws:SourceAccount: !Ref AWS::AccountId}
  ArnLike:
    aws:SourceArn: !Sub 'arn:aws:bedrock:${AWS::Region}:${AWS::AccountId}:*'""",
    },
    "LG-IAM-008": {
        "terraform": _TF_LOCAL_AUTH,
        "bicep": "properties: { disableLocalAuth: true }",
        "arm": '"properties": { "disableLocalAuth": true }',
    },
    "LG-IAM-009": {
        "terraform": _TF_IDENTITY,
        "bicep": "identity: { type: 'SystemAssigned' }",
        "arm": '"identity": { "type": "SystemAssigned" }',
    },
    "LG-IAM-010": {
        "terraform": 'role_definition_name = "Cognitive Services OpenAI User"',
        "bicep": "roleDefinitionId: subscriptionResourceId("
        "'Microsoft.Authorization/roleDefinitions', "
        "'5e0bd9bd-7b93-4f28-af87-19fc36ad61bd')",
        "arm": '"roleDefinitionId": "[subscriptionResourceId('
        "'Microsoft.Authorization/roleDefinitions', "
        "'5e0bd9bd-7b93-4f28-af87-19fc36ad61bd')]\"",
    },
    "LG-IAM-011": {
        "terraform": "# do not read primary_access_key; grant the caller's managed "
        "identity 'Cognitive Services OpenAI User' instead",
        "bicep": "// do not call listKeys(); use a managed identity role assignment",
        "arm": "// do not call listKeys(); use a managed identity role assignment",
    },
    "LG-DATA-001": {
        "terraform": _TF_ENDPOINT_POLICY,
        "cloudformation": _CFN_ENDPOINT_POLICY,
    },
    "LG-DATA-002": {
        "terraform": _TF_ENDPOINT_POLICY,
        "cloudformation": _CFN_ENDPOINT_POLICY,
    },
    "LG-DATA-003": {
        "terraform": """statement {
  actions   = ["bedrock-mantle:CreateInference"]
  resources = ["arn:aws:bedrock-mantle:${var.region}:${var.account_id}:project/*"]
  principals {
    type        = "AWS"
    identifiers = ["*"]
  }
  condition {
    test     = "StringEquals"
    variable = "aws:PrincipalOrgID"
    values   = [var.org_id]
  }
}""",
        "cloudformation": """- Effect: Allow
  Principal: "*"
  Action: bedrock-mantle:CreateInference
  Resource: !Sub arn:aws:bedrock-mantle:${AWS::Region}:${AWS::AccountId}:project/*
  Condition: {StringEquals: {aws:PrincipalOrgID: !Ref OrgId}}""",
    },
    "LG-DATA-004": {
        "terraform": "# route 0.0.0.0/0 from AI subnets to a firewall or remove it; "
        "reach Bedrock through interface endpoints",
        "cloudformation": "# remove the 0.0.0.0/0 route to the internet or NAT "
        "gateway from AI subnets; reach Bedrock through interface endpoints",
    },
    "LG-DATA-005": {
        "terraform": """egress {
  from_port       = 443
  to_port         = 443
  protocol        = "tcp"
  prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]
  security_groups = [aws_security_group.bedrock_endpoint.id]
}""",
        "cloudformation": """SecurityGroupEgress:
  - IpProtocol: tcp
    FromPort: 443
    ToPort: 443
    DestinationSecurityGroupId: !Ref BedrockEndpointSecurityGroup""",
    },
    "LG-DATA-006": {
        "terraform": _TF_DLP,
        "bicep": "properties: {\n  restrictOutboundNetworkAccess: true\n"
        "  allowedFqdnList: [ 'mystorage.blob.core.windows.net' ]\n}",
        "arm": '"properties": { "restrictOutboundNetworkAccess": true, '
        '"allowedFqdnList": ["mystorage.blob.core.windows.net"] }',
    },
    "LG-DATA-007": {
        "terraform": _TF_CMK,
        "bicep": "properties: { encryption: { keySource: 'Microsoft.KeyVault', "
        "keyVaultProperties: { keyName: key.name, keyVaultUri: vault.properties."
        "vaultUri, identityClientId: uami.properties.clientId } } }",
        "arm": '"encryption": { "keySource": "Microsoft.KeyVault", '
        '"keyVaultProperties": { "keyName": "<key>", "keyVaultUri": "<uri>" } }',
    },
    "LG-DATA-008": {
        "terraform": "customer_encryption_key_arn = aws_kms_key.bedrock.arn",
        "cloudformation": "CustomerEncryptionKeyArn: !GetAtt BedrockKey.Arn",
    },
    "LG-DATA-009": {"terraform": _TF_LOG_GROUP, "cloudformation": _CFN_LOG_GROUP},
    "LG-DATA-010": {
        "terraform": "kms_key_arn = aws_kms_key.bedrock.arn",
        "cloudformation": "KmsKeyArn: !GetAtt BedrockKey.Arn",
    },
    "LG-DATA-011": {
        "terraform": """statement {
  effect    = "Deny"
  actions   = ["bedrock:Invoke*", "bedrock:Converse*"]
  resources = ["*"]
  condition {
    test     = "StringNotEquals"
    variable = "aws:SourceVpce"
    values   = [aws_vpc_endpoint.bedrock_runtime.id]
  }
}""",
        "cloudformation": """- Effect: Deny
  Action: ["bedrock:Invoke*", "bedrock:Converse*"]
  Resource: "*"
  Condition: {StringNotEquals: {aws:SourceVpce: !Ref BedrockRuntimeEndpoint}}""",
    },
    "LG-DATA-012": {
        "terraform": "default_outbound_access_enabled = false\n"
        "# and associate a route table sending 0.0.0.0/0 to the firewall",
        "bicep": "properties: { defaultOutboundAccess: false, routeTable: { id: "
        "toFirewall.id } }",
        "arm": '"properties": { "defaultOutboundAccess": false, "routeTable": '
        '{ "id": "<route table id>" } }',
    },
    "LG-DATA-013": {
        "terraform": "map_public_ip_on_launch = false  # ECS: assign_public_ip = false",
        "cloudformation": "MapPublicIpOnLaunch: false  # ECS: AssignPublicIp: DISABLED",
    },
    "LG-DATA-014": {
        "terraform": """vpc_config {
  subnet_ids         = aws_subnet.private[*].id  # no route to an IGW or NAT
  security_group_ids = [aws_security_group.lambda_to_endpoints.id]
}""",
        "cloudformation": """VpcConfig:
  SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
  SecurityGroupIds: [!Ref LambdaToEndpointsSecurityGroup]""",
    },
    "LG-OBS-001": {"terraform": _TF_LOGGING, "cloudformation": _CFN_LOGGING},
    "LG-OBS-002": {"terraform": _TF_LOGGING, "cloudformation": _CFN_LOGGING},
    "LG-OBS-003": {"terraform": _TF_LOG_GROUP, "cloudformation": _CFN_LOG_GROUP},
    "LG-OBS-004": {"terraform": _TF_LOGGING, "cloudformation": _CFN_LOGGING},
    "LG-OBS-005": {
        "terraform": "# log mantle traffic at the caller (lockgate gateway "
        "telemetry) or route inference through bedrock-runtime",
        "cloudformation": "# log mantle traffic at the caller or route inference "
        "through bedrock-runtime",
    },
    "LG-OBS-006": {"terraform": _TF_DIAG, "bicep": _BICEP_DIAG, "arm": _ARM_DIAG},
    "LG-OBS-007": {"terraform": _TF_DIAG, "bicep": _BICEP_DIAG, "arm": _ARM_DIAG},
    "LG-COST-001": {"terraform": _TF_PROFILE, "cloudformation": _CFN_PROFILE},
    "LG-COST-002": {"terraform": _TF_PROFILE, "cloudformation": _CFN_PROFILE},
    "LG-COST-003": {
        "terraform": _TF_BUDGET,
        "cloudformation": """BedrockBudget:
  Type: AWS::Budgets::Budget
  Properties:
    Budget:
      BudgetType: COST
      TimeUnit: MONTHLY
      BudgetLimit: {Amount: 1000, Unit: USD}
      CostFilters: {Service: [Amazon Bedrock]}""",
        "bicep": "resource budget 'Microsoft.Consumption/budgets@2023-11-01' = {\n"
        "  name: 'openai-monthly'\n  properties: { category: 'Cost', amount: 1000, "
        "timeGrain: 'Monthly', timePeriod: { startDate: '2026-01-01' } }\n}",
        "arm": '{ "type": "Microsoft.Consumption/budgets", "properties": '
        '{ "category": "Cost", "amount": 1000, "timeGrain": "Monthly" } }',
    },
    "LG-COST-004": {
        "terraform": _TF_ANOMALY,
        "cloudformation": """ServiceMonitor:
  Type: AWS::CE::AnomalyMonitor
  Properties:
    MonitorName: services
    MonitorType: DIMENSIONAL
    MonitorDimension: SERVICE""",
    },
    "LG-COST-005": {"terraform": _TF_COST_TAG},
    "LG-COST-006": {
        "terraform": 'tags = { CostCenter = "1234", Application = "chat-app" }',
        "bicep": _BICEP_TAGS,
        "arm": _ARM_TAGS,
    },
    "LG-COST-007": {
        "terraform": 'provider "aws" {\n  default_tags {\n    tags = { CostCenter = '
        '"1234" }\n  }\n}',
        "cloudformation": "Tags: [{Key: CostCenter, Value: '1234'}]",
    },
    "LG-GW-001": {"gateway": "upstreams:\n  - name: local\n    base_url: https://..."},
    "LG-GW-002": {
        "gateway": "upstreams:\n  - kind: bedrock_converse\n    endpoint_url: "
        "https://vpce-0abc-xyz.bedrock-runtime.us-east-1.vpce.amazonaws.com"
    },
    "LG-GW-003": {
        "gateway": "# keep endpoint: https://NAME.openai.azure.com and make it "
        "resolve through privatelink.openai.azure.com; check with lockgate doctor"
    },
    "LG-GW-004": {
        "gateway": "auth:\n  mode: entra_managed_identity\n  client_id: <uami id>"
    },
    "LG-GW-005": {"gateway": "server:\n  auth: <a token-based mode>"},
    "LG-GW-006": {
        "gateway": "server:\n  tls:\n    cert_file: /etc/lockgate/tls.crt\n"
        "    key_file: /etc/lockgate/tls.key"
    },
}
