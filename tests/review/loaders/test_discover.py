from __future__ import annotations

from pathlib import Path

import pytest

from lockgate.review.loaders import load_paths
from lockgate.review.loaders.discover import FileKind, classify


def test_files_are_classified_by_extension_and_content(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "a" {}\n')
    (tmp_path / "stack.yaml").write_text(
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"
    )
    (tmp_path / "plan.json").write_text('{"planned_values": {}}')
    (tmp_path / "other.json").write_text('{"name": "x"}')
    (tmp_path / "app.bicep").write_text("param x string\n")

    kinds = {p.name: classify(p) for p in tmp_path.iterdir()}

    assert kinds["main.tf"] is not None and kinds["main.tf"].kind is FileKind.TERRAFORM
    assert kinds["stack.yaml"] is not None
    assert kinds["stack.yaml"].kind is FileKind.CLOUDFORMATION
    assert kinds["plan.json"] is not None
    assert kinds["plan.json"].kind is FileKind.TERRAFORM_PLAN
    assert kinds["other.json"] is None
    assert kinds["app.bicep"] is not None and kinds["app.bicep"].kind is FileKind.BICEP


def test_load_paths_skips_tool_folders_and_names_files_relative(tmp_path: Path) -> None:
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "main.tf").write_text('resource "aws_vpc" "a" {}\n')
    (tmp_path / ".terraform" / "modules").mkdir(parents=True)
    (tmp_path / ".terraform" / "modules" / "x.tf").write_text("oops {")

    inventory = load_paths([tmp_path])

    assert inventory.files == ["net/main.tf"]
    assert inventory.root == tmp_path.resolve().as_posix()


def test_yaml_mentioning_aws_types_without_top_level_resources_is_not_cfn(
    tmp_path: Path,
) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text(
        "service: x\nresources:\n  Resources:\n    T:\n      Type: AWS::SNS::Topic\n"
    )

    assert classify(path) is None


def test_progress_is_called_once_per_file_read(fixtures: Path) -> None:
    seen: list[str] = []

    load_paths([fixtures / "tf" / "deployment"], progress=seen.append)

    assert sorted(Path(s).name for s in seen) == [
        "main.tf",
        "main.tf",
        "terraform.tfvars",
        "variables.tf",
    ]


def test_a_loader_bug_becomes_a_problem_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lockgate.review.loaders import cloudformation

    def broken(*args: object) -> None:
        raise KeyError("boom")

    (tmp_path / "t.yaml").write_text("Resources:\n  A:\n    Type: AWS::S3::Bucket\n")
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "a" {}\n')
    monkeypatch.setattr(cloudformation, "_load_template", broken)

    inventory = load_paths([tmp_path])

    assert [r.address for r in inventory.resources] == ["aws_vpc.a"]
    assert [p.file for p in inventory.problems] == ["t.yaml"]
    assert inventory.problems[0].message.startswith(
        "lockgate could not read this file (KeyError: 'boom')"
    )


def test_entry_points_skip_called_modules_but_break_cycles() -> None:
    from lockgate.review.loaders.context import entry_points

    root, child, a, b = Path("/r"), Path("/r/m"), Path("/a"), Path("/b")
    calls = {root: {child}, child: set(), a: {b}, b: {a}}

    assert entry_points([root, child, a, b], calls) == [root, a]


def test_a_module_calling_itself_is_read_once_with_a_problem(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "main.tf").write_text(
        'module "self" {\n  source = "../a"\n}\nresource "aws_vpc" "v" {}\n'
    )

    inventory = load_paths([tmp_path])

    assert [r.address for r in inventory.resources] == ["aws_vpc.v"]
    assert [(p.file, p.line) for p in inventory.problems] == [("a/main.tf", 1)]
    assert "calls a module above it" in inventory.problems[0].message


def test_a_missing_path_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "a" {}\n')

    inventory = load_paths([tmp_path, tmp_path / "nope"])

    assert [r.address for r in inventory.resources] == ["aws_vpc.a"]
    assert [(p.file, p.message) for p in inventory.problems] == [
        ("nope", "does not exist; check the path given to review")
    ]


def test_subscription_scope_arm_templates_are_arm(tmp_path: Path) -> None:
    path = tmp_path / "sub.json"
    path.write_text(
        '{"$schema": "https://schema.management.azure.com/schemas/2018-05-01/'
        'subscriptionDeploymentTemplate.json#", "resources": []}'
    )

    found = classify(path)

    assert found is not None and found.kind is FileKind.ARM
