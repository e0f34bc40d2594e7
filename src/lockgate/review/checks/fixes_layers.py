"""Fix snippets for the data perimeter, observability, cost and gateway checks."""

from __future__ import annotations

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
        "bicep": "resource anomalies "
        "'Microsoft.CostManagement/scheduledActions@2023-11-01' = { name: "
        "'ai-anomalies', kind: 'InsightAlert', properties: { displayName: "
        "'AI spend anomalies', status: 'Enabled', viewId: costView.id, notification: "
        "{ to: [ 'finops@example.com' ], subject: 'Cost anomaly' } } }",
        "arm": '{ "type": "Microsoft.CostManagement/scheduledActions", "kind": '
        '"InsightAlert", "properties": { "status": "Enabled", "notification": '
        '{ "to": ["finops@example.com"] } } }',
    },
    "LG-COST-005": {
        "terraform": _TF_COST_TAG,
        "cloudformation": "# no CloudFormation resource activates cost allocation "
        "tags; run: aws ce update-cost-allocation-tags-status "
        "--cost-allocation-tags-status TagKey=CostCenter,Status=Active",
    },
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
    "LG-DATA-015": {
        "terraform": """environment {
  variables = { ENABLE_CROSS_REGION_INFERENCE = "false" }
}""",
        "cloudformation": """Environment:
  Variables:
    ENABLE_CROSS_REGION_INFERENCE: 'false'""",
    },
    "LG-DATA-016": {
        "terraform": """application_rule_collection {
  name     = "agent-egress"
  priority = 1000
  action   = "Allow"
  rule {
    name              = "allowed-dependencies"
    source_addresses  = [azurerm_subnet.agents.address_prefixes[0]]
    destination_fqdns = ["mystorage.blob.core.windows.net"]
    protocols {
      type = "Https"
      port = 443
    }
  }
}""",
        "bicep": "rules: [ { ruleType: 'ApplicationRule', name: 'allowed', "
        "protocols: [ { protocolType: 'Https', port: 443 } ], targetFqdns: [ "
        "'mystorage.blob.core.windows.net' ], sourceAddresses: [ agentsPrefix ] } ]",
        "arm": '"targetFqdns": ["mystorage.blob.core.windows.net"]',
    },
    "LG-DATA-017": {
        "terraform": "internet_ingestion_enabled = false\ninternet_query_enabled     "
        "= false  # and an azurerm_monitor_private_link_scope",
        "bicep": "properties: { publicNetworkAccessForIngestion: 'Disabled', "
        "publicNetworkAccessForQuery: 'Disabled' }",
        "arm": '"publicNetworkAccessForIngestion": "Disabled", '
        '"publicNetworkAccessForQuery": "Disabled"',
    },
    "LG-OBS-008": {
        "terraform": """access_log_settings {
  destination_arn = aws_cloudwatch_log_group.api_access.arn
  format          = jsonencode({ requestId = "$context.requestId",
                                 caller = "$context.identity.caller" })
}""",
        "cloudformation": """AccessLogSetting:
  DestinationArn: !GetAtt ApiAccessLogGroup.Arn
  Format: '{"requestId":"$context.requestId","caller":"$context.identity.caller"}'""",
    },
    "LG-OBS-009": {
        "terraform": """logConfiguration = {
  logDriver = "awslogs"
  options = { awslogs-group = aws_cloudwatch_log_group.app.name,
              awslogs-region = var.region, awslogs-stream-prefix = "app" }
}""",
        "cloudformation": """LogConfiguration:
  LogDriver: awslogs
  Options:
    awslogs-group: !Ref AppLogGroup
    awslogs-region: !Ref AWS::Region
    awslogs-stream-prefix: app""",
    },
    "LG-COST-008": {
        "terraform": """resource "aws_api_gateway_usage_plan" "clients" {
  name = "clients"
  api_stages {
    api_id = aws_api_gateway_rest_api.api.id
    stage  = aws_api_gateway_stage.api.stage_name
  }
  throttle_settings {
    rate_limit  = 20
    burst_limit = 40
  }
}
# and on the function: reserved_concurrent_executions = 50""",
        "cloudformation": """UsagePlan:
  Type: AWS::ApiGateway::UsagePlan
  Properties:
    ApiStages: [{ApiId: !Ref RestApi, Stage: !Ref ApiStage}]
    Throttle: {RateLimit: 20, BurstLimit: 40}
# and on the function: ReservedConcurrentExecutions: 50""",
    },
    "LG-DATA-018": {
        "terraform": """guardrail_configuration {
  guardrail_identifier = aws_bedrock_guardrail.main.guardrail_id
  guardrail_version    = aws_bedrock_guardrail_version.main.version
}""",
        "cloudformation": """GuardrailConfiguration:
  GuardrailIdentifier: !GetAtt Guardrail.GuardrailId
  GuardrailVersion: !GetAtt GuardrailVersion.Version""",
    },
    "LG-OBS-010": {
        "terraform": '<llm-emit-token-metric namespace="openai">\n'
        '  <dimension name="Subscription ID" />\n</llm-emit-token-metric>',
        "bicep": '<llm-emit-token-metric namespace="openai"><dimension '
        'name="Subscription ID" /></llm-emit-token-metric>',
        "arm": '<llm-emit-token-metric namespace="openai"><dimension '
        'name="Subscription ID" /></llm-emit-token-metric>',
    },
    "LG-COST-009": {
        "terraform": '<llm-token-limit counter-key="@(context.Subscription.Id)" '
        'tokens-per-minute="5000" estimate-prompt-tokens="true" />',
        "bicep": '<llm-token-limit counter-key="@(context.Subscription.Id)" '
        'tokens-per-minute="5000" estimate-prompt-tokens="true" />',
        "arm": '<llm-token-limit counter-key="@(context.Subscription.Id)" '
        'tokens-per-minute="5000" estimate-prompt-tokens="true" />',
    },
    "LG-DATA-019": {
        "terraform": """content_policy_config {
  filters_config {
    type            = "PROMPT_ATTACK"
    input_strength  = "HIGH"
    output_strength = "NONE"
  }
}""",
        "cloudformation": """ContentPolicyConfig:
  FiltersConfig:
    - Type: PROMPT_ATTACK
      InputStrength: HIGH
      OutputStrength: NONE""",
    },
    "LG-DATA-020": {
        "terraform": """policy = jsonencode({
  Rules  = [{ ResourceType = "collection", Resource = ["collection/kb"] }]
  AWSOwnedKey = false
  KmsARN      = aws_kms_key.kb.arn
})""",
        "cloudformation": """Policy: !Sub >-
  {"Rules":[{"ResourceType":"collection","Resource":["collection/kb"]}],
   "AWSOwnedKey":false,"KmsARN":"${KbKey.Arn}"}""",
    },
    "LG-COST-010": {
        "terraform": """sku {
  name     = "GlobalStandard"
  capacity = 50
}""",
        "bicep": "sku: { name: 'DataZoneStandard', capacity: 50 }",
        "arm": '"sku": { "name": "DataZoneStandard", "capacity": 50 }',
    },
    "LG-IAM-016": {
        "terraform": """# drop every output that returns primary_access_key or
# secondary_access_key; export the endpoint and let callers
# use Entra ID through a role assignment
output "openai_endpoint" {
  value = azurerm_cognitive_account.this.endpoint
}""",
    },
}
