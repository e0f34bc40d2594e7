"""Where a Terraform attribute's value was set, when it is written as a name."""

from __future__ import annotations

from pathlib import Path

from lockgate.review.loaders import load_paths
from lockgate.review.loaders.hcl_parser import parse_hcl
from lockgate.review.loaders.tf_origins import names_read
from lockgate.review.model import Inventory, Location, Resource


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _resource(inventory: Inventory, address: str) -> Resource:
    found = inventory.by_address(address)
    assert found is not None, [r.address for r in inventory.resources]
    return found


ROOT = {
    "variables.tf": (
        'variable "sku" {\n'  # 1
        '  default = "S0"\n'
        "}\n"
        'variable "region" {\n'  # 4
        '  default = "eu"\n'
        "}\n"
        'variable "identity" {\n'  # 7
        "  default = null\n"
        "}\n"
    ),
    "terraform.tfvars": '\nregion = "us"\n',  # 2
    "locals.tf": (
        "locals {\n"
        "  endpoints = {\n"  # 2
        '    ssm = { name = "com.amazonaws.${var.region}.ssm" }\n'
        "  }\n"
        '  tags = merge(var.sku == "S0" ? {} : { tier = var.sku }, {})\n'  # 5
        "  alias = local.tags\n"  # 6
        "}\n"
    ),
    "main.tf": (
        'resource "azurerm_cognitive_account" "this" {\n'  # 1
        "  sku_name = var.sku\n"  # 2
        "  location = var.region\n"  # 3
        '  kind     = "OpenAI"\n'  # 4
        "  tags     = local.alias\n"  # 5
        '  dynamic "identity" {\n'  # 6
        "    for_each = var.identity != null ? [var.identity] : []\n"  # 7
        "    content {\n"
        "      type = identity.value.type\n"
        "    }\n"
        "  }\n"
        "}\n"
        'resource "aws_vpc_endpoint" "endpoint" {\n'  # 13
        "  for_each     = local.endpoints\n"  # 14
        "  service_name = each.value.name\n"  # 15
        "}\n"
    ),
}


def test_a_variable_default_is_the_origin_of_the_value(tmp_path: Path) -> None:
    _write(tmp_path, ROOT)

    account = _resource(load_paths([tmp_path]), "azurerm_cognitive_account.this")

    assert account.get("sku_name") == "S0"
    assert account.location_of("sku_name") == Location("main.tf", 2)
    assert account.origin_of("sku_name") == Location("variables.tf", 1)


def test_a_tfvars_line_is_the_origin_over_the_default(tmp_path: Path) -> None:
    _write(tmp_path, ROOT)

    account = _resource(load_paths([tmp_path]), "azurerm_cognitive_account.this")

    assert account.get("location") == "us"
    assert account.origin_of("location") == Location("terraform.tfvars", 2)


def test_a_literal_has_no_origin_but_where_it_is_written(tmp_path: Path) -> None:
    _write(tmp_path, ROOT)

    account = _resource(load_paths([tmp_path]), "azurerm_cognitive_account.this")

    assert "kind" not in {path[0] for path in account.origins}
    assert account.origin_of("kind") == Location("main.tf", 4)


def test_locals_are_followed_to_the_first_name_they_read(tmp_path: Path) -> None:
    _write(tmp_path, ROOT)

    account = _resource(load_paths([tmp_path]), "azurerm_cognitive_account.this")

    assert account.origin_of("tags") == Location("variables.tf", 1)


def test_an_empty_dynamic_block_takes_the_origin_of_its_for_each(
    tmp_path: Path,
) -> None:
    _write(tmp_path, ROOT)

    account = _resource(load_paths([tmp_path]), "azurerm_cognitive_account.this")

    assert account.get("identity") == []
    assert account.location_of("identity") == Location("main.tf", 6)
    assert account.origin_of("identity") == Location("variables.tf", 7)


def test_each_value_comes_from_the_literal_local_it_iterates(tmp_path: Path) -> None:
    _write(tmp_path, ROOT)

    endpoint = _resource(load_paths([tmp_path]), "aws_vpc_endpoint.endpoint")

    assert endpoint.get("service_name") == "com.amazonaws.us.ssm"
    assert endpoint.origin_of("service_name") == Location("locals.tf", 2)
    assert endpoint.origin_of("for_each") == Location("locals.tf", 2)


def test_a_module_argument_is_the_origin_of_the_child_variable(
    tmp_path: Path,
) -> None:
    _write(tmp_path / "mod", {"main.tf": ROOT["main.tf"], **_module_variables()})
    _write(
        tmp_path / "root",
        {
            "main.tf": (
                'module "ai" {\n'
                '  source = "../mod"\n'
                '  sku    = "S1"\n'  # 3
                "}\n"
            )
        },
    )

    inventory = load_paths([tmp_path / "root"])
    account = _resource(inventory, "module.ai.azurerm_cognitive_account.this")

    assert account.origin_of("sku_name") == Location("root/main.tf", 3)
    assert account.origin_of("location") == Location("mod/variables.tf", 4)


def _module_variables() -> dict[str, str]:
    return {
        "variables.tf": ROOT["variables.tf"],
        "locals.tf": ROOT["locals.tf"],
    }


def test_origin_of_falls_back_to_the_location(tmp_path: Path) -> None:
    _write(tmp_path, ROOT)

    account = _resource(load_paths([tmp_path]), "azurerm_cognitive_account.this")

    assert account.origin_of("no_such_attribute") == account.location
    assert account.origin_of() == account.location


def test_a_json_tfvars_value_cites_its_file_without_a_line(tmp_path: Path) -> None:
    files = {k: v for k, v in ROOT.items() if k != "terraform.tfvars"}
    _write(tmp_path, {**files, "terraform.tfvars.json": '{"sku": "S2"}'})

    account = _resource(load_paths([tmp_path]), "azurerm_cognitive_account.this")

    assert account.get("sku_name") == "S2"
    assert account.origin_of("sku_name") == Location("terraform.tfvars.json", 0)
    assert account.origin_of("location") == Location("variables.tf", 4)


def test_names_are_read_in_source_order_without_object_keys() -> None:
    body = parse_hcl(
        "x = merge(var.on ? { tier = local.tier } : {}, each.value.tags, aws_s3.b.id)\n"
    )

    names = list(names_read(body.attributes["x"].expression))

    assert names == [
        ("var", "on"),
        ("local", "tier"),
        ("each", "value"),
        ("aws_s3", "b"),
    ]


def test_a_value_read_first_from_another_resource_has_no_origin(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "main.tf": (
                'resource "aws_vpc" "main" {\n'
                '  cidr_block = "10.0.0.0/16"\n'
                "}\n"
                'resource "aws_subnet" "private" {\n'
                "  count      = 2\n"  # 5
                "  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)\n"
                "  vpc_id     = count.index == 0 ? aws_vpc.main.id : null\n"  # 7
                "  tags       = coalesce(aws_vpc.main.tags, var.tags)\n"  # 8
                "}\n"
                'variable "tags" {\n'
                "  default = {}\n"
                "}\n"
            )
        },
    )

    subnet = _resource(load_paths([tmp_path]), "aws_subnet.private")

    assert subnet.origins == {}  # count.index is not known for two instances
    assert subnet.origin_of("cidr_block") == Location("main.tf", 6)
    assert subnet.origin_of("vpc_id") == Location("main.tf", 7)
    assert subnet.origin_of("tags") == Location("main.tf", 8)
