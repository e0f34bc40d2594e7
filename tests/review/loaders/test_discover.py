from __future__ import annotations

from pathlib import Path

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
