"""A recursive-descent parser for HCL: source text in, :class:`Body` out.

Newlines end an attribute in a body, but are ignored inside brackets of an
expression. Operator precedence follows the HCL specification.
"""

from __future__ import annotations

from typing import Any

from lockgate.review.loaders.hcl_ast import (
    Attribute,
    Block,
    Body,
    Call,
    Conditional,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    Node,
    ObjectCons,
    ObjectItem,
    Splat,
    Template,
    TupleCons,
    Variable,
)
from lockgate.review.loaders.hcl_lexer import Lexer
from lockgate.review.loaders.hcl_template import template_parts
from lockgate.review.loaders.operators import OperatorParser
from lockgate.review.loaders.syntax import (
    END,
    HEREDOC,
    NAME,
    NEWLINE,
    NUMBER,
    PUNCT,
    STRING,
    SourceSyntaxError,
    Token,
    shown,
    unexpected,
)

_PRECEDENCE = {
    "||": 0,
    "&&": 1,
    "==": 2,
    "!=": 2,
    "<": 3,
    ">": 3,
    "<=": 3,
    ">=": 3,
    "+": 4,
    "-": 4,
    "*": 5,
    "/": 5,
    "%": 5,
}


def parse_hcl(source: str) -> Body:
    """The body of an HCL file; raises SourceSyntaxError with a line."""
    parser = HclParser(source, Lexer(source).tokens())
    return parser.body(closing=None)


class HclParser(OperatorParser):
    """Bodies (attributes and blocks) and the expressions in them."""

    precedence = _PRECEDENCE

    # -- bodies ----------------------------------------------------------------

    def body(self, closing: str | None, opened: int = 0) -> Body:
        body = Body()
        saved, self.in_brackets = self.in_brackets, 0
        while True:
            token = self.peek()
            if token.kind == NEWLINE:
                self.advance()
                continue
            if closing and token.kind == PUNCT and token.value == closing:
                break
            if token.kind == END:
                if closing:
                    message = (
                        f"the block opened on line {opened} is not closed with '}}'"
                    )
                    raise SourceSyntaxError(message, token.line)
                break
            self._body_item(body)
        self.in_brackets = saved
        return body

    def _body_item(self, body: Body) -> None:
        name = self.advance()
        if name.kind != NAME:
            raise SourceSyntaxError(f"unexpected {shown(name)}", name.line)
        if self.is_punct("="):
            self.advance()
            expression = self.expression()
            if name.value in body.attributes:
                raise SourceSyntaxError(
                    f"attribute {name.value!r} is declared twice", name.line
                )
            body.attributes[name.value] = Attribute(name.value, expression, name.line)
            self._end_of_line()
            return
        body.blocks.append(self._block(name))

    def _block(self, name: Token) -> Block:
        labels: list[str] = []
        while self.peek().kind in (STRING, NAME):
            label = self.advance()
            labels.append(label.value)
        self.expect("{")
        inner = self.body(closing="}", opened=name.line)
        self.expect("}")
        self._end_of_line()
        return Block(name.value, labels, inner, name.line)

    def _end_of_line(self) -> None:
        token = self.peek()
        if token.kind == NEWLINE:
            self.advance()
        elif token.kind != END and not (token.kind == PUNCT and token.value == "}"):
            raise SourceSyntaxError(
                f"unexpected {shown(token)} after a value", token.line
            )

    # -- expressions -------------------------------------------------------------

    def expression(self) -> Node:
        condition = self.binary(0)
        if not self.is_punct("?"):
            return condition
        self.advance()
        self.in_brackets += 1
        when_true = self.expression()
        self.expect(":")
        self.in_brackets -= 1
        when_false = self.expression()
        return Conditional(
            self.source,
            condition.start,
            when_false.end,
            condition.line,
            condition,
            when_true,
            when_false,
        )

    def operand(self) -> Node:
        return self._postfix(self._primary())

    def _postfix(self, node: Node) -> Node:
        while True:
            token = self.tokens[self.at]  # no newline skipping: a.b must be adjacent
            if token.kind == PUNCT and token.value == ".":
                node = self._dot(node)
            elif token.kind == PUNCT and token.value == "[":
                node = self._bracket(node)
            else:
                return node

    def _dot(self, node: Node) -> Node:
        self.advance()
        step = self.advance()
        if step.kind == PUNCT and step.value == "*":
            return self._splat(node, step.end)
        if step.kind not in (NAME, NUMBER):
            raise SourceSyntaxError("expected a name after '.'", step.line)
        if step.kind == NUMBER:
            key = Literal(self.source, step.start, step.end, step.line, int(step.value))
            return Index(self.source, node.start, step.end, node.line, node, key)
        return GetAttr(self.source, node.start, step.end, node.line, node, step.value)

    def _bracket(self, node: Node) -> Node:
        self.advance()
        self.in_brackets += 1
        if self.is_punct("*"):
            self.advance()
            close = self.expect("]")
            self.in_brackets -= 1
            return self._splat(node, close.end)
        key = self.expression()
        close = self.expect("]")
        self.in_brackets -= 1
        return Index(self.source, node.start, close.end, node.line, node, key)

    def _splat(self, node: Node, end: int) -> Node:
        steps: list[tuple[str, Any]] = []
        while True:
            token = self.tokens[self.at]
            if token.kind == PUNCT and token.value == "." and self._next_is_name():
                self.advance()
                steps.append(("attr", self.advance().value))
            elif token.kind == PUNCT and token.value == "[":
                self.advance()
                self.in_brackets += 1
                steps.append(("index", self.expression()))
                self.expect("]")
                self.in_brackets -= 1
            else:
                break
            end = self.tokens[self.at - 1].end
        return Splat(self.source, node.start, end, node.line, node, steps)

    def _next_is_name(self) -> bool:
        return self.tokens[self.at + 1].kind == NAME

    def _primary(self) -> Node:
        token = self.advance()
        if token.kind == NUMBER:
            return Literal(
                self.source, token.start, token.end, token.line, _number(token.value)
            )
        if token.kind == STRING:
            return self._template(token.start + 1, token.end - 1, token)
        if token.kind == HEREDOC:
            return self._heredoc(token)
        if token.kind == NAME:
            return self._name(token)
        if token.kind == PUNCT and token.value == "(":
            self.in_brackets += 1
            inner = self.expression()
            self.expect(")")
            self.in_brackets -= 1
            return inner
        if token.kind == PUNCT and token.value == "[":
            return self._tuple(token)
        if token.kind == PUNCT and token.value == "{":
            return self._object(token)
        raise unexpected("a value", token)

    def _name(self, token: Token) -> Node:
        if token.value in ("true", "false", "null"):
            value = {"true": True, "false": False, "null": None}[token.value]
            return Literal(self.source, token.start, token.end, token.line, value)
        while (
            self.tokens[self.at].value == "::" and self.tokens[self.at + 1].kind == NAME
        ):
            # provider::aws::arn_parse(...), a provider-defined function
            name = self.tokens[self.at + 1]
            self.at += 2
            token = Token(
                NAME, f"{token.value}::{name.value}", token.start, name.end, token.line
            )
        if self.tokens[self.at].kind == PUNCT and self.tokens[self.at].value == "(":
            return self._call(token)
        return Variable(self.source, token.start, token.end, token.line, token.value)

    def _call(self, name: Token) -> Node:
        self.advance()
        self.in_brackets += 1
        arguments: list[Node] = []
        expand = False
        while not self.is_punct(")"):
            arguments.append(self.expression())
            if self.is_punct("..."):
                self.advance()
                expand = True
            if not self.is_punct(","):
                break
            self.advance()
        close = self.expect(")")
        self.in_brackets -= 1
        return Call(
            self.source, name.start, close.end, name.line, name.value, arguments, expand
        )

    def _tuple(self, opening: Token) -> Node:
        self.in_brackets += 1
        if self._at_for():
            node = self._for(opening, "]")
        else:
            items: list[Node] = []
            while not self.is_punct("]"):
                items.append(self.expression())
                if not self.is_punct(","):
                    break
                self.advance()
            close = self.expect("]")
            node = TupleCons(self.source, opening.start, close.end, opening.line, items)
        self.in_brackets -= 1
        return node

    def _object(self, opening: Token) -> Node:
        self.in_brackets += 1
        if self._at_for():
            node = self._for(opening, "}")
            self.in_brackets -= 1
            return node
        items: list[ObjectItem] = []
        while not self.is_punct("}"):
            line = self.peek().line
            key = self.expression()
            if not (self.is_punct("=") or self.is_punct(":")):
                raise SourceSyntaxError("expected '=' after an object key", line)
            self.advance()
            items.append(ObjectItem(key, self.expression(), line))
            if self.is_punct(","):
                self.advance()
        close = self.expect("}")
        self.in_brackets -= 1
        return ObjectCons(self.source, opening.start, close.end, opening.line, items)

    def _at_for(self) -> bool:
        token = self.peek()
        following = self.tokens[self.at + 1]
        return token.kind == NAME and token.value == "for" and following.kind == NAME

    def _for(self, opening: Token, closing: str) -> Node:
        self.advance()
        first = self.advance().value
        second = None
        if self.is_punct(","):
            self.advance()
            second = self.advance().value
        keyword = self.advance()
        if keyword.value != "in":
            raise SourceSyntaxError("expected 'in' in a for expression", keyword.line)
        collection = self.expression()
        self.expect(":")
        key = None
        value = self.expression()
        if closing == "}":
            self.expect("=>")
            key, value = value, self.expression()
        grouping = self.is_punct("...")
        if grouping:
            self.advance()
        condition = None
        if self.peek().kind == NAME and self.peek().value == "if":
            self.advance()
            condition = self.expression()
        close = self.expect(closing)
        key_name, value_name = (first, second) if second else (None, first)
        return ForExpr(
            self.source,
            opening.start,
            close.end,
            opening.line,
            key_name,
            value_name,
            collection,
            key,
            value,
            condition,
            grouping,
        )

    # -- templates ---------------------------------------------------------------

    def _template(self, start: int, end: int, token: Token) -> Node:
        parts = template_parts(self.source, start, end, token.line)
        node_start, node_end = token.start, token.end
        if len(parts) == 1 and isinstance(parts[0], str):
            return Literal(self.source, node_start, node_end, token.line, parts[0])
        if not parts:
            return Literal(self.source, node_start, node_end, token.line, "")
        return Template(self.source, node_start, node_end, token.line, parts)

    def _heredoc(self, token: Token) -> Node:
        body = token.value
        if "${" not in body and "%{" not in body:
            return Literal(self.source, token.start, token.end, token.line, body)
        parts = template_parts(body, 0, len(body), token.line, escapes=False)
        return Template(self.source, token.start, token.end, token.line, parts)


def _number(text: str) -> int | float:
    if any(c in text for c in ".eE"):
        return float(text)
    return int(text)
