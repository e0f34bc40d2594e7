from __future__ import annotations

from pathlib import Path

from lockgate.review.loaders import load_paths
from lockgate.review.model import Location, Multiplicity, Ref, SourceFormat, Unresolved


def test_cfn_yaml_resources_keep_cdk_logical_ids_and_lines(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "cfn"])

    endpoint = inventory.by_address("BedrockEndpointF68F3FF0")

    assert endpoint is not None
    assert endpoint.type == "AWS::EC2::VPCEndpoint"
    assert endpoint.source is SourceFormat.CLOUDFORMATION
    assert endpoint.location == Location("stack.yaml", 18)
    assert endpoint.location_of("VpcEndpointType") == Location("stack.yaml", 26)
    assert endpoint.location_of("Tags", 0, "Value") == Location("stack.yaml", 29)


def test_cfn_intrinsics_resolve_from_defaults_and_keep_the_rest(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "cfn"])

    endpoint = inventory.by_address("BedrockEndpointF68F3FF0")

    assert endpoint is not None
    assert endpoint.get("VpcId") == Ref("VpcA1B2C3D4")
    assert endpoint.get("PrivateDnsEnabled") is True
    assert endpoint.get("Tags", 0, "Value") == "prod-net"
    assert endpoint.get("ServiceName") == Unresolved(
        "com.amazonaws.${AWS::Region}.bedrock-runtime",
        "Fn::Sub: ${AWS::Region} is not known (pseudo parameter AWS::Region)",
    )
    assert endpoint.get("SubnetIds") == Unresolved(
        '{"Ref":"SubnetIds"}', "parameter SubnetIds has no default"
    )
    assert endpoint.attributes["__meta__"] == {"DependsOn": "VpcA1B2C3D4"}


def test_cfn_conditions_decide_or_mark_conditional(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "cfn"])

    logs = inventory.by_address("Logs")

    assert inventory.by_address("DevOnly") is None  # IsDev is false by default
    assert logs is not None
    assert logs.multiplicity is Multiplicity.CONDITIONAL
    assert logs.get("RetentionInDays") == Unresolved(
        '{"Fn::If":["MaybeLogs",30,90]}', "depends on condition MaybeLogs"
    )
    assert logs.get("LogGroupName") == Unresolved(
        '{"Fn::Join":["/",["/aws","prod","VpcA1B2C3D4.VpcId"]]}',
        "a joined part is unknown",
    )


def test_cfn_json_sub_with_variables_and_getatt_of_unknown(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "cfn" / "stack.json"])

    role = inventory.by_address("Role")

    assert role is not None
    assert role.location == Location("stack.json", 3)
    assert role.get("RoleName") == "app-role"
    assert isinstance(role.get("Arn"), Unresolved)


def test_malformed_cfn_becomes_a_problem_with_its_line(fixtures: Path) -> None:
    inventory = load_paths([fixtures / "cfn" / "broken.yaml"])

    assert inventory.resources == []
    assert len(inventory.problems) == 1
    assert inventory.problems[0].file == "broken.yaml"
    assert inventory.problems[0].line == 5
    assert "did not find expected node content" in inventory.problems[0].message


def test_cfn_getatt_to_a_resource_is_a_ref(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "Resources:\n"
        "  Key:\n    Type: AWS::KMS::Key\n"
        "  Agent:\n    Type: AWS::Bedrock::Agent\n    Properties:\n"
        "      CustomerEncryptionKeyArn: !GetAtt Key.Arn\n"
        "      Name: !Sub '${Key}-agent'\n"
    )

    agent = load_paths([tmp_path]).by_address("Agent")

    assert agent is not None
    assert agent.get("CustomerEncryptionKeyArn") == Ref("Key", "Arn")
    assert agent.get("Name") == Unresolved(
        "${Key}-agent", "Fn::Sub: ${Key} refers to resource Key"
    )


def test_duplicate_logical_ids_make_the_template_a_problem(tmp_path: Path) -> None:
    (tmp_path / "dup.yaml").write_text(
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n  A:\n    Type: AWS::SNS::Topic\n"
    )

    inventory = load_paths([tmp_path])

    assert inventory.resources == []
    assert [(p.file, p.line) for p in inventory.problems] == [("dup.yaml", 2)]
    assert inventory.problems[0].message == (
        "not a readable template: Duplicate found 'A' (line 2)"
    )


def test_pseudo_parameters_and_imports_stay_unresolved(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "Resources:\n"
        "  Log:\n    Type: AWS::Logs::LogGroup\n    Properties:\n"
        "      LogGroupName: !Ref AWS::StackName\n"
        "      KmsKeyId: !ImportValue shared-key\n"
    )

    log = load_paths([tmp_path]).by_address("Log")

    assert log is not None
    assert log.get("LogGroupName") == Unresolved(
        '{"Ref":"AWS::StackName"}', "pseudo parameter AWS::StackName"
    )
    assert log.get("KmsKeyId") == Unresolved(
        '{"Fn::ImportValue":"shared-key"}', "Fn::ImportValue is not evaluated"
    )
