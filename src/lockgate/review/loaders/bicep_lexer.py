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
    NEWLINE,
    NUMBER,
    PUNCT,
    STRING,
    SourceSyntaxError,
    Token,
)

MULTILINE = "multiline"  # '''...''': no escapes, no interpolation

_PUNCTUATION = (
    "::", "??", ".?", "?.", "=>", "==", "!=", "<=", ">=", "&&", "||", "=~", "!~",
    "{", "}", "[", "]", "(", ")", "=", ",", ".", ":", "?", "!",
    "+", "-", "*", "/", "%", "<", ">", "@", "|",
)  # fmt: skip
_NAME = re.compile(r"[A-Za-z_]\w*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SPACE = re.compile(r"[ \t\r]+")


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
        self._skip_space_and_comments()
        if self.position >= self.end:
            return Token(END, "", self.end, self.end, self.line)
        source, char = self.source, self.source[self.position]
        if char == "\n":
            return self._take(NEWLINE, self.position + 1)
        if source.startswith("'''", self.position):
            close = source.find("'''", self.position + 3, self.end)
            if close < 0:
                raise SourceSyntaxError("a ''' string is not closed", self.line)
            return self._take(MULTILINE, close + 3)
        if char == "'":
            close = find_quote_end(source, self.position + 1, self.end)
            if close < 0:
                raise SourceSyntaxError("a quoted string is not closed", self.line)
            return self._take(STRING, close + 1)
        for pattern, kind in ((_NAME, NAME), (_NUMBER, NUMBER)):
            match = pattern.match(source, self.position, self.end)
            if match:
                return self._take(kind, match.end())
        for punct in _PUNCTUATION:
            if source.startswith(punct, self.position):
                return self._take(PUNCT, self.position + len(punct))
        raise SourceSyntaxError(f"unexpected character {char!r}", self.line)

    def _take(self, kind: str, end: int) -> Token:
        text = self.source[self.position : end]
        token = Token(kind, text, self.position, end, self.line)
        self.line += text.count("\n")
        self.position = end
        return token

    def _skip_space_and_comments(self) -> None:
        source = self.source
        while self.position < self.end:
            match = _SPACE.match(source, self.position, self.end)
            if match:
                self.position = match.end()
            elif source.startswith(("//", "#"), self.position):
                newline = source.find("\n", self.position, self.end)
                self.position = self.end if newline < 0 else newline
            elif source.startswith("/*", self.position):
                close = source.find("*/", self.position + 2, self.end)
                if close < 0:
                    raise SourceSyntaxError("a /* comment is not closed", self.line)
                self.line += source.count("\n", self.position, close)
                self.position = close + 2
            else:
                return


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
