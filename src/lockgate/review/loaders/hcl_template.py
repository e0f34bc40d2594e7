"""HCL templates: literal text, ``${...}`` interpolations and ``%{...}`` directives.

Quoted strings, heredocs and ``templatefile()`` files are all templates. The
result is a list of parts (text, expression nodes, and TemplateIf/TemplateFor
nodes holding their own parts); ``~`` strip markers trim the whitespace beside
them, as Terraform does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lockgate.review.loaders.hcl_ast import Node, TemplateFor, TemplateIf
from lockgate.review.loaders.hcl_lexer import Lexer, find_string_end
from lockgate.review.loaders.syntax import END, SourceSyntaxError, closing_brace

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_FOR_HEAD = re.compile(r"\s*for\s+(\w+)\s*(?:,\s*(\w+)\s*)?in\s")


@dataclass(slots=True)
class _Marker:
    """A directive before nesting: if / else / endif / for / endfor."""

    word: str
    node: Node | None
    line: int
    names: tuple[str | None, str] = (None, "")


Part = str | Node


def template_parts(
    source: str, start: int, end: int, line: int, *, escapes: bool = True
) -> list[Part]:
    """The parts of the template in ``source[start:end]``."""
    flat = _flat_parts(source, start, end, line, escapes)
    parts, stop = _nest(flat, 0, (), line)
    if stop < len(flat):
        marker = flat[stop]
        assert isinstance(marker, _Marker)
        raise SourceSyntaxError(f"%{{ {marker.word} }} has no opening", marker.line)
    return parts


def _flat_parts(
    source: str, start: int, end: int, line: int, escapes: bool
) -> list[Part | _Marker]:
    parts: list[Part | _Marker] = []
    text: list[str] = []
    strip_next, index = False, start
    while index < end:
        char = source[index]
        if escapes and char == "\\" and index + 1 < end:
            index = _escape(source, index, text)
        elif source.startswith(("$${", "%%{"), index):
            text.append(source[index + 1 : index + 3])
            index += 3
        elif source.startswith(("${", "%{"), index):
            close = closing_brace(source, index + 2, end, '"', find_string_end)
            if close < 0:
                raise SourceSyntaxError("an interpolation '${' is not closed", line)
            inner_start, inner_end = index + 2, close
            strip_before = source[inner_start : inner_start + 1] == "~"
            inner_start += strip_before
            strip_after = source[inner_end - 1 : inner_end] == "~"
            inner_end -= strip_after
            _flush(parts, text, strip_next, strip_before)
            text, strip_next = [], strip_after
            parts.append(_inner(source, index, inner_start, inner_end, line))
            index = close + 1
        else:
            text.append(char)
            index += 1
    _flush(parts, text, strip_next, False)
    return parts


def _flush(
    parts: list[Part | _Marker], text: list[str], strip_left: bool, strip_right: bool
) -> None:
    literal = "".join(text)
    literal = literal.lstrip() if strip_left else literal
    literal = literal.rstrip() if strip_right else literal
    if literal:
        parts.append(literal)


def _inner(
    source: str, opening: int, start: int, end: int, line: int
) -> Part | _Marker:
    if source[opening] == "%":
        return _directive(source, start, end, line)
    return parse_inner_expression(source, start, end, line)


def parse_inner_expression(source: str, start: int, end: int, line: int) -> Node:
    """The expression between ``${`` and ``}``."""
    from lockgate.review.loaders.hcl_parser import HclParser  # the parser uses us

    parser = HclParser(source, Lexer(source, start, end, line=line).tokens())
    parser.in_brackets = 1
    node = parser.expression()
    if parser.peek().kind != END:
        raise SourceSyntaxError(
            "unexpected text in an interpolation", parser.peek().line
        )
    return node


def _directive(source: str, start: int, end: int, line: int) -> _Marker:
    words = source[start:end].split(None, 1)
    word = words[0] if words else ""
    if word in ("else", "endif", "endfor"):
        return _Marker(word, None, line)
    if word == "if" and len(words) == 2:
        offset = source.index("if", start) + 2
        return _Marker("if", parse_inner_expression(source, offset, end, line), line)
    head = _FOR_HEAD.match(source, start, end)
    if word == "for" and head is not None:
        first, second = head.group(1), head.group(2)
        names = (first, second) if second else (None, first)
        collection = parse_inner_expression(source, head.end(), end, line)
        return _Marker("for", collection, line, names)
    raise SourceSyntaxError(
        f"unknown template directive %{{{source[start:end]}}}", line
    )


def _nest(
    flat: list[Part | _Marker], at: int, closers: tuple[str, ...], line: int
) -> tuple[list[Part], int]:
    """Parts up to one of ``closers``; directives become nested nodes."""
    parts: list[Part] = []
    while at < len(flat):
        item = flat[at]
        if not isinstance(item, _Marker):
            parts.append(item)
            at += 1
        elif item.word in closers:
            return parts, at
        elif item.word == "if":
            node, at = _if(flat, at, item)
            parts.append(node)
        elif item.word == "for":
            node, at = _for(flat, at, item)
            parts.append(node)
        else:
            return parts, at
    if closers:
        raise SourceSyntaxError(f"%{{ {closers[-1]} }} is missing", line)
    return parts, at


def _if(flat: list[Part | _Marker], at: int, marker: _Marker) -> tuple[Node, int]:
    then_parts, at = _nest(flat, at + 1, ("else", "endif"), marker.line)
    else_parts: list[Part] = []
    closing = flat[at]
    if isinstance(closing, _Marker) and closing.word == "else":
        else_parts, at = _nest(flat, at + 1, ("endif",), marker.line)
    node = TemplateIf("%{ if }", 0, 7, marker.line, marker.node, then_parts, else_parts)
    return node, at + 1


def _for(flat: list[Part | _Marker], at: int, marker: _Marker) -> tuple[Node, int]:
    body, at = _nest(flat, at + 1, ("endfor",), marker.line)
    key, value = marker.names
    node = TemplateFor("%{ for }", 0, 8, marker.line, key, value, marker.node, body)
    return node, at + 1


def _escape(source: str, index: int, text: list[str]) -> int:
    code = source[index + 1]
    if code == "u" and index + 6 <= len(source):
        text.append(chr(int(source[index + 2 : index + 6], 16)))
        return index + 6
    text.append(_ESCAPES.get(code, "\\" + code))
    return index + 2
