"""Tokens of Bicep, each with its offset and line.

Written by hand because pycep-parser 0.7.1 rejects decorators on nested resources
(six of the twenty reference Bicep files fail), and because its output carries
lines only for whole resources. Quoted strings are one token; the parser reads
their ``${...}`` interpolations by lexing that stretch of the source again.
"""

from __future__ import annotations

import re

from lockgate.review.loaders.syntax import (
    STRING,
    PatternLexer,
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


class BicepLexer(PatternLexer):
    """Splits ``source[start:end]`` into Bicep tokens."""

    pattern = _TOKEN
    openers = "'"

    def opened(self, char: str) -> Token:
        """A quoted string, ``'...'`` or ``'''...'''``: the only opener is ``'``."""
        if self.source.startswith("'''", self.position):
            close = self.source.find("'''", self.position + 3, self.end)
            if close < 0:
                raise SourceSyntaxError("a ''' string is not closed", self.line)
            return self.take(MULTILINE, close + 3)
        close = find_quote_end(self.source, self.position + 1, self.end)
        if close < 0:
            raise SourceSyntaxError("a quoted string is not closed", self.line)
        return self.take(STRING, close + 1)


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
