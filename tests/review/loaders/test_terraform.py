from __future__ import annotations

from pathlib import Path

import pytest

from lockgate.review.loaders import load_paths
from lockgate.review.model import (
    Inventory,
    Location,
    Multiplicity,
    Ref,
    Resource,
    SourceFormat,
    Unresolved,
)


@pytest.fixture
def inventory(fixtures: Path) -> Inventory:
    return load_paths([fixtures / "tf" / "deployment"])


def _get(inventory: Inventory, address: str) -> Resource:
    resource = inventory.by_address(address)
    assert resource is not None, address
    return resource


def test_tfvars_override_defaults_and_locals_resolve(inventory: Inventory) -> None:
    vpc = _get(inventory, "aws_vpc.main")

    assert vpc.type == "aws_vpc"
    assert vpc.source is SourceFormat.TERRAFORM
    assert vpc.get("tags") == {"Name": "prod-svc", "Team": "ai"}
    assert vpc.get("enable_dns_hostnames") is False
    assert vpc.location == Location("main.tf", 6)
    assert vpc.location_of("enable_dns_support") == Location("main.tf", 8)
    assert vpc.location_of("tags", "Team") == Location("main.tf", 12)


def test_known_for_each_makes_one_resource_per_key(inventory: Inventory) -> None:
    runtime = _get(inventory, 'aws_vpc_endpoint.bedrock["bedrock-runtime"]')
    control = _get(inventory, 'aws_vpc_endpoint.bedrock["bedrock"]')

    assert runtime.get("service_name") == "com.amazonaws.us-east-1.bedrock-runtime"
    assert control.get("service_name") == "com.amazonaws.us-east-1.bedrock"
    assert runtime.multiplicity is Multiplicity.ONE
    assert runtime.get("vpc_id") == Ref("aws_vpc.main", "id")
    assert runtime.get("subnet_ids") == Ref("aws_subnet.private", "id")
    assert runtime.location_of("private_dns_enabled") == Location("main.tf", 21)


def test_jsonencode_of_known_values_is_json_text(inventory: Inventory) -> None:
    endpoint = _get(inventory, 'aws_vpc_endpoint.bedrock["bedrock"]')

    assert endpoint.get("policy") == (
        '{"Statement":[{"Effect":"Allow","Principal":"*",'
        '"Action":"bedrock:InvokeModel","Resource":"*"}]}'
    )


def test_count_is_evaluated(inventory: Inventory) -> None:
    subnets = _get(inventory, "aws_subnet.private")
    flow_log = _get(inventory, "aws_flow_log.maybe")

    assert inventory.by_address("aws_cloudwatch_log_group.never") is None
    assert subnets.multiplicity is Multiplicity.ONE_OR_MORE
    assert flow_log.multiplicity is Multiplicity.CONDITIONAL
    assert subnets.get("cidr_block") == Unresolved(
        "cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)",
        "function cidrsubnet() is not evaluated",
    )


def test_dynamic_and_nested_blocks_become_lists(inventory: Inventory) -> None:
    group = _get(inventory, "aws_security_group.sg")

    assert group.get("egress") == [
        {"from_port": 443, "cidr_blocks": ["0.0.0.0/0"]},
        {"from_port": 80, "cidr_blocks": ["0.0.0.0/0"]},
    ]
    assert group.get("ingress", 0, "cidr_blocks") == [Ref("aws_vpc.main", "cidr_block")]
    assert group.location_of("ingress", 0) == Location("main.tf", 60)
    assert group.location_of("ingress", 0, "from_port") == Location("main.tf", 61)
    assert group.location_of("egress", 1, "from_port") == Location("main.tf", 55)


def test_unresolvable_expressions_say_why(inventory: Inventory) -> None:
    role = _get(inventory, "aws_iam_role.r")

    assert role.get("assume_role_policy") == Unresolved(
        "data.aws_iam_policy_document.trust.json", "data source is not declared"
    )
    assert role.get("description") == Unresolved(
        'file("${path.module}/x.txt")',
        "file x.txt cannot be read: No such file or directory",
    )
    assert role.get("name") == Unresolved(
        '"${data.aws_region.current.name}-role"',
        "contains the reference data.aws_region.current.name",
    )
    assert role.get("inline_policy", 0, "policy") == (
        '{"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}\n'
    )


def test_data_sources_are_kept_with_a_data_prefix(inventory: Inventory) -> None:
    region = _get(inventory, "data.aws_region.current")

    assert region.type == "data.aws_region"
    assert region.location == Location("main.tf", 66)


def test_local_modules_are_inlined_with_their_inputs(inventory: Inventory) -> None:
    subnet = _get(inventory, "module.net.aws_subnet.a")
    zone = _get(inventory, "aws_route53_zone.z")

    assert subnet.module == "module.net"
    assert subnet.location == Location("modules/net/main.tf", 7)
    assert subnet.get("cidr_block") == Ref("aws_vpc.main", "cidr_block")
    assert subnet.get("tags", "Name") == "prod-svc-a"
    assert zone.get("name") == "prod-svc.internal"  # output of the local module
    assert inventory.files == [
        "main.tf",
        "modules/net/main.tf",
        "terraform.tfvars",
        "variables.tf",
    ]


def test_registry_modules_are_kept_as_evidence(inventory: Inventory) -> None:
    remote = _get(inventory, "module.remote")
    zone = _get(inventory, "aws_route53_zone.z")

    assert remote.type == "module"
    assert (
        remote.get("source") == "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
    )
    assert remote.get("version") == "5.0.0"
    assert remote.get("endpoints", "bedrock", "service") == "bedrock-runtime"
    assert zone.get("comment") == Unresolved(
        "module.remote.endpoints",
        "output of module remote (terraform-aws-modules/vpc/aws//modules/"
        "vpc-endpoints), not read offline",
    )


def test_a_called_module_folder_is_not_reviewed_as_a_root(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "tf"])

    addresses = [r.address for r in inventory.resources]

    assert "module.net.aws_subnet.a" in addresses
    assert "aws_subnet.a" not in addresses


def test_variable_without_default_or_value_is_unresolved(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "pna" {}\n'
        'resource "azurerm_cognitive_account" "a" {\n'
        "  public_network_access_enabled = var.pna\n"
        "  local_auth_enabled = !var.pna\n"
        "}\n"
    )

    account = _get(load_paths([tmp_path]), "azurerm_cognitive_account.a")

    assert account.get("public_network_access_enabled") == Unresolved(
        "var.pna", "variable pna has no default and no value is given"
    )
    assert account.get("local_auth_enabled") == Unresolved(
        "!var.pna", "variable pna has no default and no value is given"
    )


def test_unclosed_block_is_a_problem_with_a_line(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "tf_broken"])

    assert inventory.resources == []
    assert [(p.file, p.line, p.message) for p in inventory.problems] == [
        (
            "main.tf",
            5,
            "not valid HCL: the block opened on line 4 is not closed with '}'",
        )
    ]


def test_duplicate_resource_keeps_the_first_and_reports_the_second(
    fixtures: Path,
) -> None:
    inventory = load_paths([fixtures / "tf_dup"])

    assert [r.get("cidr_block") for r in inventory.resources] == ["10.0.0.0/16"]
    assert [(p.file, p.line) for p in inventory.problems] == [("other.tf", 2)]
    assert "aws_vpc.a is declared twice (first at main.tf:1)" in (
        inventory.problems[0].message
    )


def test_duplicate_attribute_makes_the_file_a_problem(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "tf_dup_attr"])

    assert [(p.file, p.line, p.message) for p in inventory.problems] == [
        ("main.tf", 3, "not valid HCL: attribute 'bucket' is declared twice")
    ]


def test_local_module_with_known_for_each_is_read_per_key(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "main.tf").write_text(
        'variable "cidr" {}\n'
        'resource "aws_subnet" "s" {\n  cidr_block = var.cidr\n}\n'
        'output "id" {\n  value = aws_subnet.s.id\n}\n'
    )
    (tmp_path / "main.tf").write_text(
        'module "net" {\n  source   = "./sub"\n'
        '  for_each = { a = "10.0.0.0/24", b = "10.0.1.0/24" }\n'
        "  cidr     = each.value\n}\n"
        'resource "aws_route_table_association" "r" {\n'
        '  subnet_id = module.net["b"].id\n}\n'
    )

    inventory = load_paths([tmp_path])

    first = _get(inventory, 'module.net["a"].aws_subnet.s')
    second = _get(inventory, 'module.net["b"].aws_subnet.s')
    association = _get(inventory, "aws_route_table_association.r")
    assert (first.get("cidr_block"), second.get("cidr_block")) == (
        "10.0.0.0/24",
        "10.0.1.0/24",
    )
    assert second.module == 'module.net["b"]'
    assert second.location == Location("sub/main.tf", 2)
    assert association.get("subnet_id") == Ref('module.net["b"].aws_subnet.s', "id")


def test_file_and_templatefile_read_files_of_the_module(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    (tmp_path / "secret.txt").write_text("outside")
    (tmp_path / "root" / "policy.json").write_text('{"Action": "s3:*"}')
    (tmp_path / "root" / "trust.tpl").write_text('{"Service": "${service}"}')
    (tmp_path / "root" / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n'
        '  policy = file("${path.module}/policy.json")\n'
        '  trust  = templatefile("trust.tpl", { service = "bedrock.amazonaws.com" })\n'
        '  other  = file("../secret.txt")\n'
        "}\n"
    )

    policy = _get(load_paths([tmp_path / "root"]), "aws_iam_policy.p")

    assert policy.get("policy") == '{"Action": "s3:*"}'
    assert policy.get("trust") == '{"Service": "bedrock.amazonaws.com"}'
    assert policy.get("other") == Unresolved(
        'file("../secret.txt")',
        "file ../secret.txt is outside the reviewed module; not read",
    )


def test_terraform_json_syntax_reads_like_hcl(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "tf_json"])

    endpoint = _get(inventory, "aws_vpc_endpoint.bedrock")

    assert endpoint.location == Location("cdk.tf.json", 10)
    assert endpoint.get("service_name") == "com.amazonaws.us-east-1.bedrock-runtime"
    assert endpoint.get("vpc_id") == Ref("aws_vpc.main", "id")
    assert endpoint.get("tags") == {"Name": "gw-us-east-1"}  # a map stays a map
    assert endpoint.get("dns_options") == [{"dns_record_ip_type": "ipv4"}]  # a block
    assert endpoint.location_of("dns_options") == Location("cdk.tf.json", 16)
    assert endpoint.location_of("private_dns_enabled") == Location("cdk.tf.json", 13)
    assert _get(inventory, "aws_vpc.main").multiplicity is Multiplicity.ONE


def test_malformed_terraform_json_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text('{\n  "resource": {,}\n}\n')

    inventory = load_paths([tmp_path])

    assert [(p.file, p.line) for p in inventory.problems] == [("main.tf.json", 2)]
    assert inventory.problems[0].message.startswith("not valid HCL: not valid JSON")


def test_module_of_endpoints_from_a_map_filters_with_try(tmp_path: Path) -> None:
    (tmp_path / "ep").mkdir()
    (tmp_path / "ep" / "main.tf").write_text(
        'variable "endpoints" {\n  default = {}\n}\n'
        'variable "on" {\n  default = true\n}\n'
        'data "aws_vpc_endpoint_service" "svc" {\n'
        "  for_each = { for k, v in var.endpoints : k => v if var.on }\n"
        '  service  = lookup(each.value, "service", null)\n}\n'
        'resource "aws_vpc_endpoint" "ep" {\n'
        "  for_each = { for k, v in var.endpoints : k => v"
        " if var.on && try(v.enabled, true) }\n"
        "  service_name = data.aws_vpc_endpoint_service.svc[each.key].service_name\n"
        '  private_dns_enabled = lookup(each.value, "private_dns", null)\n}\n'
    )
    (tmp_path / "main.tf").write_text(
        'module "endpoints" {\n  source = "./ep"\n  endpoints = {\n'
        '    rt  = { service = "bedrock-runtime", private_dns = true }\n'
        '    off = { service = "bedrock", enabled = false }\n  }\n}\n'
    )

    inventory = load_paths([tmp_path])

    # one key is left, so there is one instance, addressed without its key
    runtime = _get(inventory, "module.endpoints.aws_vpc_endpoint.ep")
    assert len(inventory.of_type("aws_vpc_endpoint")) == 1
    assert runtime.multiplicity is Multiplicity.ONE
    assert runtime.get("private_dns_enabled") is True
    assert runtime.get("service_name") == Ref(
        'module.endpoints.data.aws_vpc_endpoint_service.svc["rt"]', "service_name"
    )
    service = _get(
        inventory, 'module.endpoints.data.aws_vpc_endpoint_service.svc["rt"]'
    )
    assert service.get("service") == "bedrock-runtime"


def test_references_to_a_one_key_for_each_match_its_address(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_vpc" "v" {\n  for_each = { only = "10.0.0.0/16" }\n'
        "  cidr_block = each.value\n}\n"
        'resource "aws_subnet" "s" {\n  vpc_id = aws_vpc.v["only"].id\n}\n'
    )

    inventory = load_paths([tmp_path])

    assert _get(inventory, "aws_vpc.v").get("cidr_block") == "10.0.0.0/16"
    assert _get(inventory, "aws_subnet.s").get("vpc_id") == Ref("aws_vpc.v", "id")


def test_optional_attributes_of_a_typed_variable_get_their_defaults(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "logs" {\n'
        "  type = map(object({\n"
        "    name      = string\n"
        "    retention = optional(number, 30)\n"
        "    kms       = optional(string)\n"
        "  }))\n"
        '  default = { app = { name = "a" },'
        ' audit = { name = "b", retention = 365 } }\n'
        "}\n"
        'resource "aws_cloudwatch_log_group" "g" {\n'
        "  for_each          = var.logs\n"
        "  name              = each.value.name\n"
        "  retention_in_days = each.value.retention\n"
        "  kms_key_id        = try(each.value.kms.id, null)\n"
        "}\n"
    )

    inventory = load_paths([tmp_path])

    app = _get(inventory, 'aws_cloudwatch_log_group.g["app"]')
    audit = _get(inventory, 'aws_cloudwatch_log_group.g["audit"]')
    assert (app.get("retention_in_days"), audit.get("retention_in_days")) == (30, 365)
    assert app.get("kms_key_id") is None
