from __future__ import annotations

from typing import Any

import pytest

from lockgate.review.loaders.hcl_ast import Node
from lockgate.review.loaders.hcl_eval import Evaluator, Step
from lockgate.review.loaders.hcl_lexer import SourceSyntaxError
from lockgate.review.loaders.hcl_parser import parse_hcl
from lockgate.review.model import Ref, Unresolved


class _Names:
    def resolve(self, root: str, steps: list[Step], node: Node) -> tuple[Any, int]:
        if root == "var":
            return {"on": True, "n": 3, "zones": ["a", "b"], "m": {"k": "v"}}[
                str(steps[0][1])
            ], 1
        if root == "aws_vpc":
            return Ref(f"aws_vpc.{steps[0][1]}"), 1
        return Unresolved(node.text, f"{root} is unknown"), len(steps)


def _value(expression: str) -> Any:
    body = parse_hcl(f"x = {expression}\n")
    return Evaluator(_Names()).value(body.attributes["x"].expression)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('"a${var.n}b"', "a3b"),
        ('"$${literal}"', "${literal}"),
        ('"tab\\there \\"q\\""', 'tab\there "q"'),
        ("var.on ? 1 : 0", 1),
        ("!var.on || var.n > 2", True),
        ("var.n * 2 + 1", 7),
        ("[for z in var.zones : upper(z)]", ["A", "B"]),
        ('{for z in var.zones : z => "${z}-x" if z != "b"}', {"a": "a-x"}),
        ("var.m.k", "v"),
        ('lookup(var.m, "missing", "d")', "d"),
        ("merge({a = 1}, {b = 2})", {"a": 1, "b": 2}),
        ('format("%s-%d", "a", 2)', "a-2"),
        ('join(",", var.zones)', "a,b"),
        ("var.zones[1]", "b"),
        ("[\n  1,\n  2,\n]", [1, 2]),
        ('"${var.on ? "x" : "y"}"', "x"),
        ("aws_vpc.main.id", Ref("aws_vpc.main", "id")),
        ("[aws_vpc.main][0].id", Ref("aws_vpc.main", "id")),
        ("1.5e2", 150.0),
        ("[{id = 1}, {id = 2}][*].id", [1, 2]),
        ("null[*].id", []),
        ('"%{ if var.on }yes%{ else }no%{ endif }"', "yes"),
        ('"%{ for z in var.zones }[${z}]%{ endfor }"', "[a][b]"),
        ('"%{ for k, v in var.m ~} ${k}=${v} %{~ endfor }"', "k=v"),
        ('"a ${~ "b" ~} c"', "abc"),
    ],
)
def test_expressions_evaluate(expression: str, expected: Any) -> None:
    assert _value(expression) == expected


def test_conditional_on_an_unknown_keeps_both_branches_text() -> None:
    assert _value('other.flag ? "a" : "b"') == Unresolved(
        'other.flag ? "a" : "b"',
        "condition other.flag is not known: other is unknown",
    )


def test_comments_heredocs_and_nested_blocks_parse_with_lines() -> None:
    source = (
        "# comment\n"
        "/* block\n comment */\n"
        'resource "a" "b" { // trailing\n'
        "  policy = <<EOF\n"
        '{"x": "${var.n}"}\n'
        "EOF\n"
        "  inner {\n"
        "    k = 1\n"
        "  }\n"
        "}\n"
    )

    body = parse_hcl(source)
    block = body.blocks[0]

    assert (block.type, block.labels, block.line) == ("resource", ["a", "b"], 4)
    assert block.body.attributes["policy"].line == 5
    assert block.body.blocks[0].line == 8
    assert block.body.blocks[0].body.attributes["k"].line == 9
    value = Evaluator(_Names()).value(block.body.attributes["policy"].expression)
    assert value == '{"x": "3"}\n'


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ('x = "open\n', 1, "a quoted string is not closed"),
        ("x = 1 2\n", 1, "unexpected '2' after a value"),
        ("a {\n  b = \n}\n", 2, "expected a value but found the end of the line"),
        ("x = <<EOF\nno end\n", 1, "heredoc <<EOF is not closed"),
        ("x = 1\n\ny = @\n", 3, "unexpected character '@'"),
    ],
)
def test_syntax_errors_carry_a_line(source: str, line: int, message: str) -> None:
    with pytest.raises(SourceSyntaxError) as raised:
        parse_hcl(source)

    assert (raised.value.line, raised.value.message) == (line, message)


@pytest.mark.parametrize("source", ["x = [", "x = {", "x = [for", "x = a.", "a {"])
def test_truncated_files_are_syntax_errors_not_crashes(source: str) -> None:
    with pytest.raises(SourceSyntaxError):
        parse_hcl(source)


def test_provider_functions_parse_and_stay_unresolved() -> None:
    assert _value('provider::aws::arn_parse("arn:aws:iam::1:role/x").account_id') == (
        Unresolved(
            'provider::aws::arn_parse("arn:aws:iam::1:role/x").account_id',
            "function provider::aws::arn_parse() is not evaluated",
        )
    )


def test_template_directive_on_an_unknown_stays_unresolved() -> None:
    assert _value('"%{ if other.flag }x%{ endif }"') == Unresolved(
        '"%{ if other.flag }x%{ endif }"', "other is unknown"
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('x = "%{ if true }a"\n', "%{ endif } is missing"),
        ('x = "a%{ endfor }"\n', "%{ endfor } has no opening"),
        ('x = "%{ while x }"\n', "unknown template directive %{ while x }"),
    ],
)
def test_broken_template_directives_are_syntax_errors(
    source: str, message: str
) -> None:
    with pytest.raises(SourceSyntaxError) as raised:
        parse_hcl(source)

    assert raised.value.message == message


def test_syntax_errors_never_quote_a_string_value() -> None:
    with pytest.raises(SourceSyntaxError) as raised:
        parse_hcl('api_key = "sk-planted-secret-0001" "sk-planted-secret-0002"\n')

    assert "sk-planted" not in raised.value.message
    assert raised.value.message == "unexpected a quoted string after a value"
