"""Tokens of Bicep, each with its offset and line.

Written by hand because pycep-parser 0.7.1 rejects decorators on nested resources
(six of the twenty reference Bicep files fail), and because its output carries
lines only for whole resources. Quoted strings are one token; the parser reads
their ``${...}`` interpolations by lexing that stretch of the source again.
"""

from __future__ import annotations

import re

from lockgate.review.loaders.hcl_lexer import (
    END,
    NAME,
    PUNCT,
    STRING,
    SourceSyntaxError,
    Token,
)

MULTILINE = "multiline"  # '''...''': no escapes, no interpolation

_TOKEN = re.compile(
    r"(?P<space>[ \t\r]+)"
    r"|(?P<comment>(?://|#)[^\n]*)"
    r"|(?P<block>/\*.*?\*/)"
    r"|(?P<newline>\n)"
    r"|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<number>\d+(?:\.\d+)?)"
    r"|(?P<punct>::|\?\?|\.\?|\?\.|=>|==|!=|<=|>=|&&|\|\||=~|!~"
    r"|[{}\[\]()=,.:?!+\-*/%<>@|])",
    re.DOTALL,
)


class BicepLexer:
    def __init__(
        self, source: str, start: int = 0, end: int | None = None, line: int = 1
    ) -> None:
        self.source = source
        self.position = start
        self.end = len(source) if end is None else end
        self.line = line

    def tokens(self) -> list[Token]:
        found: list[Token] = []
        while True:
            token = self._next()
            found.append(token)
            if token.kind == END:
                return found

    def _next(self) -> Token:
        source = self.source
        while self.position < self.end:
            char = source[self.position]
            if char == "'":
                return self._string()
            match = _TOKEN.match(source, self.position, self.end)
            if match is None:
                raise SourceSyntaxError(f"unexpected character {char!r}", self.line)
            kind = match.lastgroup or PUNCT
            if kind == PUNCT and source.startswith("/*", self.position):
                raise SourceSyntaxError("a /* comment is not closed", self.line)
            if kind in ("space", "comment", "block"):
                self.line += match.group().count("\n") if kind == "block" else 0
                self.position = match.end()
                continue
            return self._take(kind, match.end())
        return Token(END, "", self.end, self.end, self.line)

    def _string(self) -> Token:
        if self.source.startswith("'''", self.position):
            close = self.source.find("'''", self.position + 3, self.end)
            if close < 0:
                raise SourceSyntaxError("a ''' string is not closed", self.line)
            return self._take(MULTILINE, close + 3)
        close = find_quote_end(self.source, self.position + 1, self.end)
        if close < 0:
            raise SourceSyntaxError("a quoted string is not closed", self.line)
        return self._take(STRING, close + 1)

    def _take(self, kind: str, end: int) -> Token:
        text = self.source[self.position : end]
        token = Token(kind, text, self.position, end, self.line)
        if kind != NAME and kind != PUNCT:
            self.line += text.count("\n")
        self.position = end
        return token


def find_quote_end(source: str, index: int, end: int) -> int:
    """Offset of the ``'`` closing a string whose text starts at ``index``."""
    depth = 0
    while index < end:
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == "\n" and depth == 0:
            return -1
        if depth == 0 and char == "'":
            return index
        if depth == 0 and source.startswith("${", index):
            depth, index = 1, index + 2
            continue
        if depth and char == "'":
            index = find_quote_end(source, index + 1, end)
            if index < 0:
                return -1
        elif depth and char == "{":
            depth += 1
        elif depth and char == "}":
            depth -= 1
        index += 1
    return -1
