"""CloudFormation ``Parameters`` are kept apart from the template's resources."""

from __future__ import annotations

from pathlib import Path

from lockgate.review.loaders import load_paths
from lockgate.review.model import Location, SourceFormat, Unresolved

TEMPLATE = """\
Parameters:
  KeySecretArn:
    Type: String
    AllowedPattern: ^arn:aws:secretsmanager:.*$
  ModelId:
    Type: String
    Default: amazon.nova-micro-v1:0
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          KEY_ARN: !Ref KeySecretArn
          MODEL: !Ref ModelId
"""


def test_parameters_are_listed_apart_with_their_lines(tmp_path: Path) -> None:
    (tmp_path / "stack.yaml").write_text(TEMPLATE)

    inventory = load_paths([tmp_path])

    assert [r.address for r in inventory.resources] == ["Fn"]
    assert [(p.address, p.type, p.location) for p in inventory.parameters] == [
        ("Parameters.KeySecretArn", "parameter", Location("stack.yaml", 2)),
        ("Parameters.ModelId", "parameter", Location("stack.yaml", 5)),
    ]
    key = inventory.parameters[0]
    assert key.source is SourceFormat.CLOUDFORMATION
    assert key.attributes == {
        "Type": "String",
        "AllowedPattern": "^arn:aws:secretsmanager:.*$",
    }
    assert key.location_of("AllowedPattern") == Location("stack.yaml", 4)


def test_resources_still_read_parameters_as_before(tmp_path: Path) -> None:
    (tmp_path / "stack.yaml").write_text(TEMPLATE)

    function = load_paths([tmp_path]).resources[0]

    assert function.get("Environment", "Variables") == {
        "KEY_ARN": Unresolved(
            '{"Ref":"KeySecretArn"}', "parameter KeySecretArn has no default"
        ),
        "MODEL": "amazon.nova-micro-v1:0",
    }
