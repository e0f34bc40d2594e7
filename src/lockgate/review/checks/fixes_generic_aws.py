"""Fix snippets for the AWS checks that hold for any deployment."""

from __future__ import annotations

_TF_LOGS = """statement {
  actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
  resources = ["${aws_cloudwatch_log_group.app.arn}:*"]
}"""

_CFN_LOGS = """- Effect: Allow
  Action: [logs:CreateLogStream, logs:PutLogEvents]
  Resource: !Sub "${AppLogGroup.Arn}:*\""""

_TF_SG = """ingress {
  from_port       = 443
  to_port         = 443
  protocol        = "tcp"
  prefix_list_ids = [aws_ec2_managed_prefix_list.spokes.id]
}"""

_CFN_SG = """SecurityGroupIngress:
  - IpProtocol: tcp
    FromPort: 443
    ToPort: 443
    SourcePrefixListId: !Ref SpokesPrefixList"""

FIXES: dict[str, dict[str, str]] = {
    "LG-CONN-101": {
        "terraform": """resource "aws_route53_zone" "ssm" {
  name = "ssm.${var.region}.amazonaws.com"
  dynamic "vpc" {
    for_each = var.spoke_vpc_ids
    content { vpc_id = vpc.value }
  }
}""",
    },
    "LG-CONN-102": {
        "terraform": """resource "aws_route53_zone_association" "spoke" {
  for_each = var.spoke_vpc_ids
  zone_id  = aws_route53_zone.ssm.zone_id
  vpc_id   = each.value
}""",
    },
    "LG-CONN-103": {
        "terraform": """resource "aws_route53_record" "ssm" {
  zone_id = aws_route53_zone.ssm.zone_id
  name    = ""
  type    = "A"
  alias {
    name                   = aws_vpc_endpoint.ssm.dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.ssm.dns_entry[0].hosted_zone_id
    evaluate_target_health = true
  }
}""",
    },
    "LG-CONN-104": {
        "terraform": """# Review the module's plan instead of its source:
# terraform plan -out plan.bin && terraform show -json plan.bin > plan.json
# lockgate review plan.json""",
    },
    "LG-CONN-105": {
        "terraform": """resource "aws_route53_resolver_rule_association" "spoke" {
  for_each         = var.spoke_vpc_ids
  resolver_rule_id = aws_route53_resolver_rule.onprem.id
  vpc_id           = each.value
}""",
    },
    "LG-IAM-105": {
        "terraform": """Principal = {
  AWS = [aws_iam_role.terraform_deployer.arn]
}""",
    },
    "LG-IAM-106": {
        "terraform": """statement {
  actions   = ["s3:GetObject"]
  resources = ["${aws_s3_bucket.data.arn}/*"]
}""",
        "cloudformation": """- Effect: Allow
  Action: s3:GetObject
  Resource: !Sub "${DataBucket.Arn}/*\"""",
    },
    "LG-CONN-106": {
        "terraform": """resource "aws_vpc_endpoint" "ssm" {
  subnet_ids = [aws_subnet.endpoints_a.id, aws_subnet.endpoints_b.id]
}""",
    },
    "LG-IAM-101": {"terraform": _TF_LOGS, "cloudformation": _CFN_LOGS},
    "LG-IAM-102": {
        "terraform": """Permission = ["aoss:DescribeIndex", "aoss:ReadDocument",
              "aoss:WriteDocument", "aoss:CreateIndex", "aoss:UpdateIndex"]""",
    },
    "LG-IAM-103": {
        "terraform": """resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.ec2.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}
# and grant S3 read on the named bucket only, in an inline policy""",
    },
    "LG-IAM-104": {
        "terraform": """module "bedrock" {
  permissions_boundary_arn = "arn:aws:iam::123456789012:policy/workload-boundary"
}""",
    },
    "LG-DATA-101": {"terraform": _TF_SG, "cloudformation": _CFN_SG},
    "LG-DATA-102": {
        "terraform": """resource "aws_instance" "app" {
  associate_public_ip_address = false
  metadata_options { http_tokens = "required" }
  root_block_device { encrypted = true }
}""",
    },
    "LG-DATA-103": {
        "terraform": """# Review the module's plan instead of its source:
# terraform plan -out plan.bin && terraform show -json plan.bin > plan.json
# lockgate review plan.json""",
    },
    "LG-DATA-104": {
        "terraform": """resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}""",
        "cloudformation": """PublicAccessBlockConfiguration:
  BlockPublicAcls: true
  BlockPublicPolicy: true
  IgnorePublicAcls: true
  RestrictPublicBuckets: true""",
    },
    "LG-DATA-105": {
        "terraform": 'image_uri = "${local.repository}@sha256:${var.image_digest}"',
    },
    "LG-DATA-106": {
        "terraform": """resource "aws_bedrock_guardrail" "app" {
  name                      = "app"
  blocked_input_messaging   = "Blocked."
  blocked_outputs_messaging = "Blocked."
  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = "HIGH"
      output_strength = "NONE"
    }
  }
}""",
        "cloudformation": """AppGuardrail:
  Type: AWS::Bedrock::Guardrail
  Properties:
    Name: app
    BlockedInputMessaging: Blocked.
    BlockedOutputsMessaging: Blocked.
    ContentPolicyConfig:
      FiltersConfig:
        - {Type: PROMPT_ATTACK, InputStrength: HIGH, OutputStrength: NONE}""",
    },
    "LG-DATA-107": {
        "terraform": """resource "aws_bedrock_guardrail_version" "app" {
  guardrail_arn = aws_bedrock_guardrail.app.guardrail_arn
  description   = "released"
}""",
        "cloudformation": """AppGuardrailVersion:
  Type: AWS::Bedrock::GuardrailVersion
  Properties:
    GuardrailIdentifier: !Ref AppGuardrail""",
    },
    "LG-OBS-101": {
        "terraform": """resource "aws_flow_log" "hub" {
  vpc_id          = module.hub.vpc_id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow.arn
  iam_role_arn    = aws_iam_role.flow_logs.arn
}""",
        "cloudformation": """HubFlowLog:
  Type: AWS::EC2::FlowLog
  Properties:
    ResourceId: !Ref Vpc
    ResourceType: VPC
    TrafficType: ALL
    LogDestinationType: cloud-watch-logs
    LogGroupName: !Ref FlowLogGroup
    DeliverLogsPermissionArn: !GetAtt FlowLogRole.Arn""",
    },
    "LG-OBS-102": {
        "terraform": """resource "aws_lb" "api" {
  access_logs {
    bucket  = aws_s3_bucket.lb_logs.id
    enabled = true
  }
}""",
        "cloudformation": """LoadBalancerAttributes:
  - Key: access_logs.s3.enabled
    Value: "true"
  - Key: access_logs.s3.bucket
    Value: !Ref LbLogsBucket""",
    },
    "LG-OBS-103": {
        "terraform": """resource "aws_cloudwatch_log_metric_filter" "intervened" {
  name           = "GuardrailIntervened"
  log_group_name = aws_cloudwatch_log_group.invocations.name
  pattern        = <<-EOT
    { $.output.outputBodyJson.amazon-bedrock-guardrailAction = "INTERVENED" }
  EOT
  metric_transformation {
    name      = "GuardrailIntervened"
    namespace = "App/Guardrails"
    value     = "1"
  }
}""",
    },
    "LG-OBS-104": {
        "terraform": """resource "aws_cloudwatch_metric_alarm" "guardrail_intervened" {
  alarm_name          = "guardrail-intervened"
  namespace           = "App/Guardrails"
  metric_name         = "GuardrailIntervened"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 10
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [aws_sns_topic.oncall.arn]
}""",
    },
    "LG-OBS-105": {
        "terraform": """resource "aws_cloudwatch_log_group" "fn" {
  name              = "/aws/lambda/${aws_lambda_function.fn.function_name}"
  retention_in_days = 90
}""",
        "cloudformation": """FunctionLogGroup:
  Type: AWS::Logs::LogGroup
  Properties:
    LogGroupName: !Sub /aws/lambda/${Function}
    RetentionInDays: 90""",
    },
    "LG-OBS-106": {
        "terraform": """resource "aws_cloudwatch_log_delivery_source" "kb" {
  name         = "kb"
  log_type     = "APPLICATION_LOGS"
  resource_arn = aws_bedrockagent_knowledge_base.kb.arn
}
resource "aws_cloudwatch_log_delivery" "kb" {
  delivery_source_name     = aws_cloudwatch_log_delivery_source.kb.name
  delivery_destination_arn = aws_cloudwatch_log_delivery_destination.kb.arn
}""",
    },
    "LG-COST-101": {
        "terraform": """provider "aws" {
  default_tags {
    tags = { CostCenter = "1234", Application = "chat-app" }
  }
}""",
    },
    "LG-COST-102": {
        "terraform": """tags = {
  Name       = "spoke-sg"
  CostCenter = "1234"
  Project    = "chat-app"
}""",
        "cloudformation": """Tags:
  - Key: CostCenter
    Value: "1234"
  - Key: Project
    Value: chat-app""",
    },
}
