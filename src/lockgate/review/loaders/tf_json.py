"""Terraform's JSON syntax (``*.tf.json``, e.g. CDK for Terraform output) as a Body.

The JSON form is turned into the same tree the HCL parser makes, so everything
after parsing is shared. Strings holding ``${...}`` are read as templates.

Without the provider's schema the JSON form cannot tell a nested block from a map
argument: an object (or list of objects) under a resource is read as nested
block(s), except under the usual map argument names (``tags``, ``variables``...),
which stay maps. A map argument with another name is therefore read as a block.
"""

from __future__ import annotations

import json
from typing import Any

from cfnlint.decode import cfn_json

from lockgate.review.loaders.hcl_ast import (
    Attribute,
    Block,
    Body,
    Literal,
    Node,
    ObjectCons,
    ObjectItem,
    Template,
    TupleCons,
)
from lockgate.review.loaders.hcl_template import template_parts
from lockgate.review.loaders.positions import mark_line
from lockgate.review.loaders.syntax import SourceSyntaxError

MAP_ARGUMENTS = frozenset(
    {
        "tags",
        "tags_all",
        "labels",
        "annotations",
        "variables",
        "parameters",
        "metadata",
        "triggers",
        "app_settings",
        "environment_variables",
        "default_tags",
    }
)
_ALWAYS_ATTRIBUTES = frozenset({"count", "for_each", "depends_on", "provider"})
_TWO_LABELS = ("resource", "data")
_ONE_LABEL = ("module", "variable", "output", "provider")


def parse_tf_json(text: str) -> Body:
    """The body of a ``.tf.json`` file; raises SourceSyntaxError with a line."""
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceSyntaxError(f"not valid JSON: {error.msg}", error.lineno) from None
    document = cfn_json.loads(text)
    if not isinstance(document, dict):
        raise SourceSyntaxError("a .tf.json file must hold a JSON object", 1)

    body = Body()
    for kind, content in document.items():
        body.blocks += _top_level(str(kind), content, _line(kind))
    return body


def _top_level(kind: str, content: Any, line: int) -> list[Block]:
    if kind == "locals":
        return [Block("locals", [], _attributes_only(content), line)]
    if kind in _TWO_LABELS and isinstance(content, dict):
        return [
            _block(kind, [str(type_), str(name)], item, _line(name))
            for type_, named in content.items()
            if isinstance(named, dict)
            for name, value in named.items()
            for item in _as_list(value)
        ]
    if kind in _ONE_LABEL and isinstance(content, dict):
        nested = kind in ("provider",)
        return [
            _block(kind, [str(name)], item, _line(name), nested=nested)
            for name, value in content.items()
            for item in _as_list(value)
        ]
    return []


def _block(
    kind: str, labels: list[str], content: Any, line: int, *, nested: bool = True
) -> Block:
    body = _body(content, nested=nested and kind != "module" and kind != "variable")
    return Block(kind, labels, body, line)


def _body(content: Any, *, nested: bool) -> Body:
    body = Body()
    if not isinstance(content, dict):
        return body
    for key, value in content.items():
        name, line = str(key), _line(key)
        if nested and _is_block(name, value):
            body.blocks += _nested(name, value, line)
        else:
            body.attributes[name] = Attribute(name, expression(value, line), line)
    return body


def _is_block(name: str, value: Any) -> bool:
    if name in _ALWAYS_ATTRIBUTES or name in MAP_ARGUMENTS:
        return False
    if isinstance(value, dict):
        return True
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) for v in value)
    )


def _nested(name: str, value: Any, line: int) -> list[Block]:
    if name == "dynamic" and isinstance(value, dict):
        return [
            Block("dynamic", [str(label)], _dynamic_body(spec), _line(label))
            for label, spec in value.items()
        ]
    if isinstance(value, dict):
        return [Block(name, [], _body(value, nested=True), line)]
    return [Block(name, [], _body(i, nested=True), _line(i) or line) for i in value]


def _dynamic_body(spec: Any) -> Body:
    body = _body({k: v for k, v in spec.items() if k != "content"}, nested=False)
    content = spec.get("content") if isinstance(spec, dict) else None
    body.blocks.append(Block("content", [], _body(content, nested=True), _line(spec)))
    return body


def _attributes_only(content: Any) -> Body:
    return _body(content, nested=False)


def expression(value: Any, line: int) -> Node:
    """A JSON value as an expression node; strings with ``${`` are templates."""
    if isinstance(value, str):
        text = str(value)
        if "${" not in text and "%{" not in text:
            return Literal(text, 0, len(text), line, text)
        parts = template_parts(text, 0, len(text), line, escapes=False)
        return Template(text, 0, len(text), line, parts)
    if isinstance(value, list):
        text = json.dumps(value, default=str)
        items = [expression(v, _line(v) or line) for v in value]
        return TupleCons(text, 0, len(text), line, items)
    if isinstance(value, dict):
        text = json.dumps(value, default=str)
        entries = [_item(k, v, _line(k) or line) for k, v in value.items()]
        return ObjectCons(text, 0, len(text), line, entries)
    return Literal(json.dumps(value), 0, len(json.dumps(value)), line, value)


def _item(key: Any, value: Any, line: int) -> ObjectItem:
    return ObjectItem(expression(str(key), line), expression(value, line), line)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _line(node: Any) -> int:
    return mark_line(node) or 0
