"""Tokens of HCL (Terraform's language), each with its offset and line.

Written by hand rather than with python-hcl2: python-hcl2 8.x gives no line numbers
and costs about 50 ms a file, while a review must read 1,000 files in seconds.
Quoted strings and heredocs are one token each; ``HclParser`` reads the
``${...}`` interpolations inside them by lexing that stretch of the source again.
"""

from __future__ import annotations

import re

from lockgate.review.loaders.syntax import HEREDOC, STRING, PatternLexer, Token

# Re-exported: the HCL and Bicep tests import the error from here.
from lockgate.review.loaders.syntax import SourceSyntaxError as SourceSyntaxError

# One pattern for everything but strings and heredocs, tried at each position.
_TOKEN = re.compile(
    r"(?P<space>[ \t\r]+)"
    r"|(?P<comment>(?:#|//)[^\n]*)"
    r"|(?P<block>/\*.*?\*/)"
    r"|(?P<newline>\n)"
    r"|(?P<name>[A-Za-z_][\w-]*)"
    r"|(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<punct>\.\.\.|::|==|!=|<=|>=|&&|\|\||=>|[{}\[\]()=,.:?!+\-*/%<>])",
    re.DOTALL,
)
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_]\w*)[ \t]*\n")


class Lexer(PatternLexer):
    """Splits ``source[start:end]`` into HCL tokens."""

    pattern = _TOKEN
    openers = '"<'

    def opened(self, char: str) -> Token | None:
        if char == '"':
            return self._string()
        if self.source.startswith("<<", self.position):
            return self._heredoc()
        return None

    def _string(self) -> Token:
        """A quoted template; ``${`` ... ``}`` may hold further quoted strings."""
        start, line = self.position, self.line
        index = find_string_end(self.source, start + 1, self.end)
        if index < 0:
            raise SourceSyntaxError("a quoted string is not closed", line)
        token = Token(STRING, self.source[start + 1 : index], start, index + 1, line)
        self.line += self.source.count("\n", start, index + 1)
        self.position = index + 1
        return token

    def _heredoc(self) -> Token | None:
        match = _HEREDOC.match(self.source, self.position, self.end)
        if match is None:
            return None
        indented, marker = match.group(1) == "-", match.group(2)
        body_start = match.end()
        closing = re.compile(rf"^[ \t]*{re.escape(marker)}[ \t]*$", re.MULTILINE)
        close = closing.search(self.source, body_start, self.end)
        if close is None:
            raise SourceSyntaxError(f"heredoc <<{marker} is not closed", self.line)
        body = self.source[body_start : close.start()]
        if indented:
            body = _dedent(body)
        token = Token(HEREDOC, body, self.position, close.end(), self.line)
        self.line += self.source.count("\n", self.position, close.end())
        self.position = close.end()
        return token


_STRING_SPECIAL = re.compile(r'["\\\n{}$%]')


def find_string_end(source: str, index: int, end: int) -> int:
    """Offset of the quote closing a string whose text starts at ``index``."""
    depth = 0
    while True:
        match = _STRING_SPECIAL.search(source, index, end)
        if match is None:
            return -1
        index = match.start()
        char = source[index]
        if char == "\\":
            index += 2
        elif char == "\n" and depth == 0:
            return -1
        elif char == '"':
            if depth == 0:
                return index
            index = find_string_end(source, index + 1, end)
            if index < 0:
                return -1
            index += 1
        elif char in "$%":
            opens = source.startswith("{", index + 1) and not _escaped(source, index)
            index += 2 if opens else 1
            depth += 1 if opens else 0
        else:
            depth += 1 if (char == "{" and depth) else 0
            depth -= 1 if (char == "}" and depth) else 0
            index += 1


def _escaped(source: str, index: int) -> bool:
    """``$${`` and ``%%{`` are literal text, not interpolations."""
    return index > 0 and source[index - 1] == source[index]


def _dedent(body: str) -> str:
    lines = body.split("\n")
    indents = [len(x) - len(x.lstrip(" \t")) for x in lines if x.strip()]
    cut = min(indents, default=0)
    return "\n".join(x[cut:] for x in lines)
