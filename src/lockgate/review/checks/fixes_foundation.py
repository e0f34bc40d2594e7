"""Fix snippets for the connectivity and identity checks."""

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
    "LG-CONN-014": {
        "terraform": """endpoint_configuration {
  types = ["PRIVATE"]
}
# plus a resource policy allowing execute-api:Invoke only with aws:SourceVpce""",
        "cloudformation": """EndpointConfiguration:
  Types: [PRIVATE]
Policy:
  Statement:
    - Effect: Allow
      Principal: "*"
      Action: execute-api:Invoke
      Resource: execute-api:/*
      Condition: {StringEquals: {aws:SourceVpce: !Ref ApiEndpoint}}""",
    },
    "LG-CONN-015": {
        "terraform": """protocol        = "HTTPS"
port            = 443
ssl_policy      = "ELBSecurityPolicy-TLS13-1-2-2021-06"
certificate_arn = aws_acm_certificate.api.arn""",
        "cloudformation": """Protocol: HTTPS
Port: 443
Certificates: [{CertificateArn: !Ref ApiCertificate}]""",
    },
    "LG-CONN-016": {
        "terraform": """policy = jsonencode([{
  Rules = [{ ResourceType = "collection", Resource = ["collection/kb"] }]
  AllowFromPublic = false
  SourceServices  = ["bedrock.amazonaws.com"]
  SourceVPCEs     = [aws_opensearchserverless_vpc_endpoint.kb.id]
}])""",
        "cloudformation": """Policy: !Sub >-
  [{"Rules":[{"ResourceType":"collection","Resource":["collection/kb"]}],
    "AllowFromPublic":false,"SourceServices":["bedrock.amazonaws.com"]}]""",
    },
    "LG-IAM-012": {
        "terraform": """authorization = "AWS_IAM"  # or COGNITO_USER_POOLS / CUSTOM
authorizer_id = aws_api_gateway_authorizer.callers.id""",
        "cloudformation": """components:
  securitySchemes:
    sigv4: {type: apiKey, name: Authorization, in: header,
            x-amazon-apigateway-authtype: awsSigv4}
security: [{sigv4: []}]""",
    },
    "LG-IAM-013": {
        "terraform": """xml_content = <<XML
<policies><inbound><base />
  <authentication-managed-identity resource="https://cognitiveservices.azure.com" />
</inbound></policies>
XML""",
        "bicep": "value: '<policies><inbound><base /><authentication-managed-identity "
        'resource="https://cognitiveservices.azure.com" /></inbound></policies>\'',
        "arm": '"value": "<policies><inbound><base /><authentication-managed-identity '
        'resource=\\"https://cognitiveservices.azure.com\\" /></inbound></policies>"',
    },
    "LG-IAM-014": {
        "terraform": """secrets = [{ name = "OPENAI_API_KEY",
             valueFrom = aws_secretsmanager_secret.openai.arn }]""",
        "cloudformation": """Secrets:
  - Name: OPENAI_API_KEY
    ValueFrom: !Ref OpenAiKeySecret""",
        "bicep": "{ name: 'OPENAI_API_KEY', value: '@Microsoft.KeyVault(SecretUri="
        "${secret.properties.secretUri})' }",
        "arm": '{ "name": "OPENAI_API_KEY", "value": '
        '"@Microsoft.KeyVault(SecretUri=...)" }',
    },
    "LG-CONN-017": {
        "bicep": """networkInjections: [
  {
    scenario: 'agent'
    subnetArmId: agentsSubnet.id
    useMicrosoftManagedNetwork: false
  }
]""",
        "arm": '"networkInjections": [{ "scenario": "agent", "subnetArmId": '
        '"<subnet id>", "useMicrosoftManagedNetwork": false }]',
        "terraform": "# azapi_resource body.properties.networkInjections = [{ "
        'scenario = "agent", subnetArmId = azurerm_subnet.agents.id, '
        "useMicrosoftManagedNetwork = false }]",
    },
    "LG-IAM-015": {
        "terraform": "# drop the shared API_KEY; put an authorizer in front "
        '(authorization = "AWS_IAM" or a Cognito/JWT authorizer) so each client '
        "has its own identity",
        "cloudformation": "# drop the shared API_KEY; add an API Gateway authorizer "
        "(AWS_IAM, COGNITO_USER_POOLS or a JWT authorizer) per client",
    },
}
