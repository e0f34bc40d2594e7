"""Fix snippets for the Azure checks in ``specs_azure_generic``."""

from __future__ import annotations

FIXES: dict[str, dict[str, str]] = {
    "LG-CONN-040": {
        "terraform": """resource "azurerm_linux_web_app" "chat" {
  public_network_access_enabled = false
  virtual_network_subnet_id     = azurerm_subnet.app.id
  site_config { vnet_route_all_enabled = true }
}
# plus an azurerm_private_endpoint with subresource_names = ["sites"]""",
        "bicep": """resource webApp 'Microsoft.Web/sites@2024-04-01' = {
  properties: {
    publicNetworkAccess: 'Disabled'
    virtualNetworkSubnetId: appSubnet.id
    vnetRouteAllEnabled: true
  }
}
// plus a Microsoft.Network/privateEndpoints with groupIds: ['sites']""",
        "arm": """{ "type": "Microsoft.Web/sites", "properties": {
  "publicNetworkAccess": "Disabled",
  "virtualNetworkSubnetId": "<app subnet id>",
  "vnetRouteAllEnabled": true } }""",
    },
    "LG-CONN-041": {
        "terraform": """resource "azurerm_private_dns_zone_virtual_network_link" "sp" {
  name                  = "spoke-openai"
  private_dns_zone_name = azurerm_private_dns_zone.openai.name
  virtual_network_id    = azurerm_virtual_network.spoke.id
  registration_enabled  = false
}""",
        "bicep": """resource spokeLink
    'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: openAiZone
  name: 'spoke'
  location: 'global'
  properties: {
    virtualNetwork: { id: spokeVnet.id }
    registrationEnabled: false
  }
}""",
        "arm": """{ "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
  "name": "privatelink.openai.azure.com/spoke", "location": "global",
  "properties": { "virtualNetwork": { "id": "<spoke VNet id>" },
    "registrationEnabled": false } }""",
    },
    "LG-CONN-042": {
        "terraform": """resource "azurerm_storage_account" "agent" {
  public_network_access_enabled = false
}
# plus an azurerm_private_endpoint for the store""",
        "bicep": """resource store 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  properties: { publicNetworkAccess: 'Disabled' }
}
// plus a Microsoft.Network/privateEndpoints for the store""",
        "arm": """{ "type": "Microsoft.Storage/storageAccounts",
  "properties": { "publicNetworkAccess": "Disabled" } }""",
    },
    "LG-IAM-040": {
        "terraform": """resource "azurerm_role_assignment" "app_openai_user" {
  scope                = azurerm_cognitive_account.openai.id
  role_definition_name = "Cognitive Services OpenAI User"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}""",
        "bicep": """resource openAiUser
    'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: account
  name: guid(account.id, appIdentity.id, openAiUserRole.id)
  properties: {
    roleDefinitionId: openAiUserRole.id // 5e0bd9bd-7b93-4f28-af87-19fc36ad61bd
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}""",
        "arm": """{ "type": "Microsoft.Authorization/roleAssignments",
  "scope": "[format('Microsoft.CognitiveServices/accounts/{0}', parameters('name'))]",
  "properties": {
    "roleDefinitionId": "<id of Cognitive Services OpenAI User, 5e0bd9bd-...>",
    "principalId": "<caller principal id>" } }""",
    },
    "LG-DATA-040": {
        "terraform": """resource "azurerm_route" "internet_to_firewall" {
  address_prefix         = "0.0.0.0/0"
  next_hop_type          = "VirtualAppliance"
  next_hop_in_ip_address = local.firewall_private_ip
}""",
        "bicep": """resource toFirewall
    'Microsoft.Network/routeTables/routes@2024-05-01' = {
  parent: routeTable
  name: 'internet-to-firewall'
  properties: {
    addressPrefix: '0.0.0.0/0'
    nextHopType: 'VirtualAppliance'
    nextHopIpAddress: firewallPrivateIp
  }
}""",
        "arm": """{ "type": "Microsoft.Network/routeTables/routes", "properties": {
  "addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance",
  "nextHopIpAddress": "<firewall private IP>" } }""",
    },
    "LG-DATA-041": {
        "terraform": """resource "azurerm_cognitive_deployment" "chat" {
  rai_policy_name = "Microsoft.DefaultV2"
}""",
        "bicep": """resource chat
    'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  properties: { raiPolicyName: 'Microsoft.DefaultV2' }
}""",
        "arm": """{ "type": "Microsoft.CognitiveServices/accounts/deployments",
  "properties": { "raiPolicyName": "Microsoft.DefaultV2" } }""",
    },
    "LG-OBS-040": {
        "terraform": """resource "azurerm_log_analytics_workspace" "main" {
  retention_in_days = 90
}""",
        "bicep": """resource workspace
    'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  properties: { retentionInDays: 90 }
}""",
        "arm": """{ "type": "Microsoft.OperationalInsights/workspaces",
  "properties": { "retentionInDays": 90 } }""",
    },
    "LG-OBS-041": {
        "terraform": """resource "azurerm_resource_group_policy_assignment" "ai_keys" {
  resource_group_id    = azurerm_resource_group.main.id
  # local.policies = "/providers/Microsoft.Authorization/policyDefinitions"
  policy_definition_id = "${local.policies}/71ef260a-8f18-47b7-abcb-62d0673d94dc"
  parameters           = jsonencode({ effect = { value = "Audit" } })
}""",
        "bicep": """resource aiKeyAccess
    'Microsoft.Authorization/policyAssignments@2025-01-01' = {
  name: guid(resourceGroup().id, 'ai-key-access')
  properties: {
    policyDefinitionId: tenantResourceId('Microsoft.Authorization/policyDefinitions',
      '71ef260a-8f18-47b7-abcb-62d0673d94dc')
    parameters: { effect: { value: 'Audit' } }
  }
}""",
        "arm": """"variables": { "keys": "71ef260a-8f18-47b7-abcb-62d0673d94dc" },
{ "type": "Microsoft.Authorization/policyAssignments", "properties": {
  "policyDefinitionId":
   "[tenantResourceId('Microsoft.Authorization/policyDefinitions', variables('keys'))]",
  "parameters": { "effect": { "value": "Audit" } } } }""",
    },
    "LG-OBS-043": {
        "terraform": """resource "azurerm_monitor_diagnostic_setting" "firewall" {
  name                       = "firewall"
  target_resource_id         = azurerm_firewall.egress.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  enabled_log { category_group = "allLogs" }
}""",
        "bicep": """resource firewallLogs
    'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'default'
  scope: firewall
  properties: {
    workspaceId: workspace.id
    logs: [ { categoryGroup: 'allLogs', enabled: true } ]
  }
}""",
        "arm": """{ "type": "Microsoft.Insights/diagnosticSettings",
  "scope": "[format('Microsoft.Network/azureFirewalls/{0}', parameters('fw'))]",
  "properties": { "workspaceId": "<workspace id>",
    "logs": [ { "categoryGroup": "allLogs", "enabled": true } ] } }""",
    },
    "LG-OBS-044": {
        "bicep": """resource tracing 'connections' = { // inside the project
  name: 'appInsights-connection'
  properties: {
    category: 'AppInsights'
    target: applicationInsights.id
    authType: 'ApiKey'
    credentials: { key: applicationInsights.properties.ConnectionString }
    metadata: { ApiType: 'Azure', ResourceId: applicationInsights.id }
  }
}""",
        "arm": """{ "type": "Microsoft.CognitiveServices/accounts/projects/connections",
  "properties": { "category": "AppInsights", "target": "<App Insights id>",
    "authType": "ApiKey", "credentials": { "key": "<connection string>" } } }""",
        "terraform": """# local.project_connections =
#   "Microsoft.CognitiveServices/accounts/projects/connections"
resource "azapi_resource" "tracing" {
  type      = "${local.project_connections}@2025-04-01-preview"
  parent_id = azapi_resource.project.id
  name      = "appInsights-connection"
  body = { properties = { category = "AppInsights",
    target = azurerm_application_insights.main.id, authType = "ApiKey",
    credentials = { key = azurerm_application_insights.main.connection_string } } }
}""",
    },
    "LG-OBS-042": {
        "terraform": """resource "azurerm_windows_virtual_machine" "client" {
  boot_diagnostics {} # a managed storage account keeps the logs
}""",
        "bicep": """resource vm 'Microsoft.Compute/virtualMachines@2024-07-01' = {
  properties: {
    diagnosticsProfile: { bootDiagnostics: { enabled: true } }
  }
}""",
        "arm": """{ "type": "Microsoft.Compute/virtualMachines", "properties": {
  "diagnosticsProfile": { "bootDiagnostics": { "enabled": true } } } }""",
    },
}
