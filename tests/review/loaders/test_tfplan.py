from __future__ import annotations

import json
from pathlib import Path

from lockgate.review.loaders import load_paths
from lockgate.review.model import Location, Multiplicity, SourceFormat, Unresolved

ENDPOINT = 'aws_vpc_endpoint.bedrock["runtime"]'


def test_plan_resources_keep_terraform_addresses_and_values(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "plan"])

    endpoint = inventory.by_address(ENDPOINT)
    vpc = inventory.by_address("module.net.aws_vpc.main[0]")

    assert endpoint is not None and vpc is not None
    assert endpoint.source is SourceFormat.TERRAFORM_PLAN
    assert endpoint.type == "aws_vpc_endpoint"
    assert endpoint.multiplicity is Multiplicity.ONE
    assert endpoint.get("service_name") == "com.amazonaws.us-east-1.bedrock-runtime"
    assert endpoint.location == Location("plan.json", 8, 10)
    assert vpc.module == "module.net"
    assert vpc.get("cidr_block") == "10.0.0.0/16"
    assert vpc.location == Location("plan.json", 34, 14)


def test_values_known_after_apply_are_unresolved(fixtures: Path) -> None:
    endpoint = load_paths([fixtures / "plan"]).by_address(ENDPOINT)

    assert endpoint is not None
    assert endpoint.get("policy") == Unresolved(
        f"{ENDPOINT}.policy", "known after apply"
    )
    assert endpoint.get("subnet_ids") == ["subnet-1"]
    assert endpoint.get("dns_options", 0, "dns_record_ip_type") == "ipv4"
    assert endpoint.get(
        "dns_options", 0, "private_dns_only_for_inbound_resolver_endpoint"
    ) == Unresolved(
        f"{ENDPOINT}.dns_options[0].private_dns_only_for_inbound_resolver_endpoint",
        "known after apply",
    )


def test_plan_data_sources_get_the_data_prefix(fixtures: Path) -> None:
    region = load_paths([fixtures / "plan"]).by_address("data.aws_region.current")

    assert region is not None
    assert region.type == "data.aws_region"
    assert region.get("name") == "us-east-1"


def test_one_line_plan_locates_by_column(fixtures: Path, tmp_path: Path) -> None:
    plan = json.loads((fixtures / "plan" / "plan.json").read_text())
    (tmp_path / "plan.json").write_text(json.dumps(plan))

    vpc = load_paths([tmp_path]).by_address("module.net.aws_vpc.main[0]")

    assert vpc is not None
    assert vpc.location.line == 1
    text = (tmp_path / "plan.json").read_text()
    assert text[vpc.location.column :].startswith(
        '"address": "module.net.aws_vpc.main[0]"'
    )


def test_malformed_plan_is_a_problem_with_a_line(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "plan_broken.json"])

    assert [(p.file, p.line, p.message) for p in inventory.problems] == [
        ("plan_broken.json", 2, "not valid JSON: Expecting value")
    ]
