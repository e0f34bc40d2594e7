"""A recursive-descent parser for Bicep files, into the shared expression tree.

Declarations kept: ``param``, ``var``, ``resource`` (with nested child resources,
``existing``, ``if (...)`` and ``[for ...]`` bodies), ``module`` and ``output``.
Other declarations (``type``, ``func``, ``import``, ``metadata``...) are skipped.
In objects and arrays a newline separates items; inside parentheses it does not.
"""

from __future__ import annotations

from lockgate.review.loaders.bicep_ast import BicepFile, Declaration, Loop
from lockgate.review.loaders.bicep_lexer import MULTILINE, BicepLexer, find_quote_end
from lockgate.review.loaders.hcl_ast import (
    Call,
    Conditional,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    Node,
    ObjectCons,
    ObjectItem,
    Opaque,
    Template,
    TupleCons,
    Variable,
)
from lockgate.review.loaders.operators import OperatorParser
from lockgate.review.loaders.syntax import (
    END,
    NAME,
    NEWLINE,
    NUMBER,
    PUNCT,
    STRING,
    SourceSyntaxError,
    Token,
    closing_brace,
    unexpected,
)

_PRECEDENCE = {
    "??": 0,
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "=~": 3,
    "!~": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "'": "'", "\\": "\\", "$": "$"}
_NAMESPACES = ("az", "sys")


def parse_bicep(source: str) -> BicepFile:
    parser = BicepParser(source, BicepLexer(source).tokens())
    return parser.file()


class BicepParser(OperatorParser):
    """Declarations and expressions; ``in_brackets`` counts open parentheses,
    and is set to zero inside objects and arrays, whose items end at newlines."""

    precedence = _PRECEDENCE
    continuing = ("??", "&&", "||")

    # -- declarations ------------------------------------------------------------

    def file(self) -> BicepFile:
        result = BicepFile()
        while True:
            self.skip_newlines()
            token = self.peek()
            if token.kind == END:
                return result
            if token.kind == PUNCT and token.value == "@":
                self._decorator()
                continue
            self._declaration(result)

    def _decorator(self) -> None:
        self.expect("@")
        self.expression()
        self.skip_newlines()

    def _declaration(self, result: BicepFile) -> None:
        keyword = self.advance()
        if keyword.kind != NAME:
            raise unexpected("a declaration", keyword)
        if keyword.value in ("resource", "module"):
            result.declarations.append(self._resource(keyword))
        elif keyword.value == "param":
            name = self.advance().value
            nullable = self._nullable_type()
            default = self._typed_value()
            result.params[name] = (default, keyword.line, nullable)
        elif keyword.value == "var":
            name = self.advance().value
            self.expect("=")
            result.variables[name] = self.expression()
        elif keyword.value == "using" and self.peek().kind == STRING:
            result.using = self.advance().value[1:-1]
            self._skip_line()
        elif keyword.value == "output":
            name = self.advance().value
            value = self._typed_value()
            if value is not None:
                result.outputs[name] = value
        else:
            self._skip_line()

    def _nullable_type(self) -> bool:
        """Whether the type that starts here ends in ``?`` (null when not given)."""
        index, depth, last = self.at, 0, ""
        while True:
            token = self.tokens[index]
            at_depth_zero_end = depth == 0 and (
                token.kind in (NEWLINE, END) or token.value == "="
            )
            if at_depth_zero_end:
                return last == "?"
            if token.kind == PUNCT and token.value in "{[(":
                depth += 1
            elif token.kind == PUNCT and token.value in "}])":
                depth -= 1
            last, index = token.value, index + 1

    def _typed_value(self) -> Node | None:
        """Skip a type (``string``, ``'a' | 'b'``, ``{...}``) and read ``= value``."""
        depth = 0
        while True:
            token = self.tokens[self.at]
            if token.kind == END or (token.kind == NEWLINE and depth == 0):
                return None
            if token.kind == PUNCT and token.value == "=" and depth == 0:
                self.at += 1
                return self.expression()
            if token.kind == PUNCT and token.value in "{[(":
                depth += 1
            elif token.kind == PUNCT and token.value in "}])":
                depth -= 1
            self.at += 1

    def _skip_line(self) -> None:
        """Skip a declaration we do not read (type, func, import), brackets and all."""
        depth = 0
        while True:
            token = self.tokens[self.at]
            if token.kind == END or (token.kind == NEWLINE and depth == 0):
                return
            if token.kind == PUNCT and token.value in "{[(":
                depth += 1
            elif token.kind == PUNCT and token.value in "}])":
                depth -= 1
            self.at += 1

    def _resource(self, keyword: Token) -> Declaration:
        symbol = self.advance().value
        target = self.advance()
        if target.kind != STRING:
            raise SourceSyntaxError(
                f"{symbol} needs a quoted type or path", target.line
            )
        existing = self.peek().kind == NAME and self.peek().value == "existing"
        if existing:
            self.advance()
        self.expect("=")
        placeholder = ObjectCons(self.source, keyword.start, keyword.end, keyword.line)
        declaration = Declaration(
            keyword.value,
            symbol,
            target.value[1:-1],
            keyword.line,
            placeholder,
            existing,
        )
        self._resource_body(declaration)
        return declaration

    def _resource_body(self, declaration: Declaration) -> None:
        if self.is_punct("["):
            opening = self.advance()
            declaration.loop = self._loop_head(opening)
            self.skip_newlines()
            self._guarded_object(declaration)
            self.skip_newlines()
            self.expect("]")
            return
        self._guarded_object(declaration)

    def _loop_head(self, opening: Token) -> Loop:
        keyword = self.advance()
        if keyword.value != "for":
            raise SourceSyntaxError("expected 'for' in a loop", keyword.line)
        index = None
        if self.is_punct("("):
            self.advance()
            item = self.advance().value
            self.expect(",")
            index = self.advance().value
            self.expect(")")
        else:
            item = self.advance().value
        if self.advance().value != "in":
            raise SourceSyntaxError("expected 'in' in a loop", opening.line)
        collection = self.expression()
        self.expect(":")
        return Loop(item, index, collection)

    def _guarded_object(self, declaration: Declaration) -> None:
        if self.peek().kind == NAME and self.peek().value == "if":
            self.advance()
            self.expect("(")
            self.in_brackets += 1
            declaration.condition = self.expression()
            self.expect(")")
            self.in_brackets -= 1
        opening = self.expect("{")
        declaration.body = self._object(opening, declaration)

    # -- expressions -------------------------------------------------------------

    def expression(self) -> Node:
        condition = self.binary(0)
        self.continue_line("?")
        if not self.is_punct("?"):
            return condition
        self.advance()
        self.in_brackets += 1
        when_true = self.expression()
        self.expect(":")
        self.in_brackets -= 1
        self.skip_newlines()
        when_false = self.expression()
        return Conditional(
            self.source, condition.start, when_false.end, condition.line,
            condition, when_true, when_false,
        )  # fmt: skip

    def operand(self) -> Node:
        return self._postfix(self._primary())

    def _postfix(self, node: Node) -> Node:
        while True:
            token = self.tokens[self.at]
            value = token.value if token.kind == PUNCT else ""
            if value == "!":  # the non-null assertion x!
                self.at += 1
                continue
            if value in (".", ".?", "?."):
                self.at += 1
                name = self.advance()
                node = GetAttr(
                    self.source, node.start, name.end, node.line, node, name.value
                )
            elif value == "::" and isinstance(node, Variable):
                self.at += 1
                name = self.advance()
                node = Variable(
                    self.source, node.start, name.end, node.line,
                    f"{node.name}::{name.value}",
                )  # fmt: skip
            elif value == "[":
                node = self._index(node)
            elif value == "(":
                node = self._method(node)
            else:
                return node

    def _index(self, node: Node) -> Node:
        self.advance()
        self.in_brackets += 1
        if self.is_punct("?"):
            self.advance()
        key = self.expression()
        close = self.expect("]")
        self.in_brackets -= 1
        return Index(self.source, node.start, close.end, node.line, node, key)

    def _method(self, node: Node) -> Node:
        arguments, close = self._arguments()
        end = close.end
        target = node.target if isinstance(node, GetAttr) else None
        if isinstance(target, Variable) and target.name in _NAMESPACES:
            assert isinstance(node, GetAttr)
            return Call(self.source, node.start, end, node.line, node.name, arguments)
        reason = "calls on resources (such as listKeys()) are not evaluated"
        return Opaque(self.source, node.start, end, node.line, reason)

    def _arguments(self) -> tuple[list[Node], Token]:
        self.expect("(")
        self.in_brackets += 1
        arguments: list[Node] = []
        while not self.is_punct(")"):
            arguments.append(self.expression())
            if not self.is_punct(","):
                break
            self.advance()
        close = self.expect(")")
        self.in_brackets -= 1
        return arguments, close

    def _primary(self) -> Node:
        token = self.advance()
        if token.kind == NUMBER:
            value = float(token.value) if "." in token.value else int(token.value)
            return Literal(self.source, token.start, token.end, token.line, value)
        if token.kind == STRING:
            return self._string(token)
        if token.kind == MULTILINE:
            text = token.value[3:-3].removeprefix("\n")
            return Literal(self.source, token.start, token.end, token.line, text)
        if token.kind == NAME:
            return self._name(token)
        if token.kind == PUNCT and token.value == "(":
            return self._parenthesised(token)
        if token.kind == PUNCT and token.value == "[":
            return self._array(token)
        if token.kind == PUNCT and token.value == "{":
            return self._object(token, None)
        raise unexpected("a value", token)

    def _name(self, token: Token) -> Node:
        if token.value in ("true", "false", "null"):
            value = {"true": True, "false": False, "null": None}[token.value]
            return Literal(self.source, token.start, token.end, token.line, value)
        following = self.tokens[self.at]
        if following.kind == PUNCT and following.value == "=>":
            self.at += 1
            body = self.expression()
            return Opaque(
                self.source,
                token.start,
                body.end,
                token.line,
                "lambdas are not evaluated",
            )
        if following.kind == PUNCT and following.value == "(":
            arguments, close = self._arguments()
            return Call(
                self.source, token.start, close.end, token.line, token.value, arguments
            )
        return Variable(self.source, token.start, token.end, token.line, token.value)

    def _parenthesised(self, opening: Token) -> Node:
        if self._is_lambda_head():
            while not self.is_punct("=>"):
                self.advance()
            self.advance()
            body = self.expression()
            reason = "lambdas are not evaluated"
            return Opaque(self.source, opening.start, body.end, opening.line, reason)
        self.in_brackets += 1
        inner = self.expression()
        self.expect(")")
        self.in_brackets -= 1
        return inner

    def _is_lambda_head(self) -> bool:
        index = self.at
        while (
            self.tokens[index].kind in (NAME, NEWLINE)
            or self.tokens[index].value == ","
        ):
            index += 1
        closing = self.tokens[index]
        return closing.value == ")" and self.tokens[index + 1].value == "=>"

    def _array(self, opening: Token) -> Node:
        saved, self.in_brackets = self.in_brackets, 0
        self.skip_newlines()
        if self.peek().kind == NAME and self.peek().value == "for":
            node = self._array_loop(opening)
        else:
            items: list[Node] = []
            while True:
                self.skip_newlines()
                if self.is_punct("]"):
                    break
                items.append(self.expression())
                if self.is_punct(","):
                    self.advance()
            close = self.expect("]")
            node = TupleCons(self.source, opening.start, close.end, opening.line, items)
        self.in_brackets = saved
        return node

    def _array_loop(self, opening: Token) -> Node:
        loop = self._loop_head(opening)
        self.skip_newlines()
        condition = None
        if self.peek().kind == NAME and self.peek().value == "if":
            self.advance()
            condition = self._parenthesised(self.expect("("))
        value = self.expression()
        self.skip_newlines()
        close = self.expect("]")
        return ForExpr(
            self.source, opening.start, close.end, opening.line,
            loop.index, loop.item, loop.collection, None, value, condition,
        )  # fmt: skip

    def _object(self, opening: Token, owner: Declaration | None) -> ObjectCons:
        saved, self.in_brackets = self.in_brackets, 0
        items: list[ObjectItem] = []
        while True:
            self.skip_newlines()
            token = self.peek()
            if token.kind == PUNCT and token.value == "}":
                break
            if token.kind == PUNCT and token.value == "@":
                self._decorator()
                continue
            if owner is not None and self._at_nested_resource():
                owner.children.append(self._resource(self.advance()))
                continue
            items.append(self._property())
            if self.is_punct(","):
                self.advance()
        close = self.expect("}")
        self.in_brackets = saved
        return ObjectCons(self.source, opening.start, close.end, opening.line, items)

    def _at_nested_resource(self) -> bool:
        token, following = self.tokens[self.at], self.tokens[self.at + 1]
        return token.value == "resource" and following.kind == NAME

    def _property(self) -> ObjectItem:
        key_token = self.advance()
        if key_token.kind == NAME:
            key: Node = Variable(
                self.source,
                key_token.start,
                key_token.end,
                key_token.line,
                key_token.value,
            )
        elif key_token.kind == STRING:
            key = self._string(key_token)
        else:
            raise unexpected("a property name", key_token)
        self.expect(":")
        return ObjectItem(key, self.expression(), key_token.line)

    def _string(self, token: Token) -> Node:
        parts = string_parts(self.source, token.start + 1, token.end - 1, token.line)
        if not parts:
            return Literal(self.source, token.start, token.end, token.line, "")
        if len(parts) == 1 and isinstance(parts[0], str):
            return Literal(self.source, token.start, token.end, token.line, parts[0])
        return Template(self.source, token.start, token.end, token.line, parts)


def string_parts(source: str, start: int, end: int, line: int) -> list[str | Node]:
    parts: list[str | Node] = []
    text: list[str] = []
    index = start
    while index < end:
        char = source[index]
        if char == "\\" and index + 1 < end:
            text.append(_ESCAPES.get(source[index + 1], source[index + 1]))
            index += 2
            continue
        if source.startswith("${", index):
            if text:
                parts.append("".join(text))
                text = []
            close = closing_brace(source, index + 2, end, "'", find_quote_end)
            if close < 0:
                raise SourceSyntaxError("an interpolation '${' is not closed", line)
            lexer = BicepLexer(source, index + 2, close, line=line)
            parser = BicepParser(source, lexer.tokens())
            parser.in_brackets = 1
            parts.append(parser.expression())
            index = close + 1
            continue
        text.append(char)
        index += 1
    if text:
        parts.append("".join(text))
    return parts
