"""Tokens of HCL (Terraform's language), each with its offset and line.

Written by hand rather than with python-hcl2: python-hcl2 8.x gives no line numbers
and costs about 50 ms a file, while a review must read 1,000 files in seconds.
Quoted strings and heredocs are one token each; ``HclParser`` reads the
``${...}`` interpolations inside them by lexing that stretch of the source again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = "name"
NUMBER = "number"
STRING = "string"  # value: raw text between the quotes, escapes not applied
HEREDOC = "heredoc"  # value: the body, indentation removed for <<-
PUNCT = "punct"
NEWLINE = "newline"
END = "end"

_PUNCTUATION = (
    "...", "==", "!=", "<=", ">=", "&&", "||", "=>",
    "{", "}", "[", "]", "(", ")", "=", ",", ".", ":", "?", "!",
    "+", "-", "*", "/", "%", "<", ">",
)  # fmt: skip
_NAME = re.compile(r"[A-Za-z_][\w-]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_]\w*)[ \t]*\n")
_SPACE = re.compile(r"[ \t\r]+")


class SourceSyntaxError(Exception):
    """A file is not valid HCL or Bicep; caught by its loader, never raised out."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    value: str
    start: int  # offset of the token in the source
    end: int
    line: int  # 1-based


class Lexer:
    """Splits ``source[start:end]`` into tokens."""

    def __init__(
        self,
        source: str,
        start: int = 0,
        end: int | None = None,
        *,
        line: int | None = None,
    ) -> None:
        self.source = source
        self.position = start
        self.end = len(source) if end is None else end
        self.line = source.count("\n", 0, start) + 1 if line is None else line

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

        char = self.source[self.position]
        if char == "\n":
            return self._take(NEWLINE, self.position + 1)
        if char == '"':
            return self._string()
        if self.source.startswith("<<", self.position):
            heredoc = self._heredoc()
            if heredoc is not None:
                return heredoc
        for pattern, kind in ((_NAME, NAME), (_NUMBER, NUMBER)):
            match = pattern.match(self.source, self.position, self.end)
            if match:
                return self._take(kind, match.end())
        for punct in _PUNCTUATION:
            if self.source.startswith(punct, self.position):
                return self._take(PUNCT, self.position + len(punct))
        raise SourceSyntaxError(f"unexpected character {char!r}", self.line)

    def _take(self, kind: str, end: int) -> Token:
        token = Token(
            kind, self.source[self.position : end], self.position, end, self.line
        )
        self.line += self.source.count("\n", self.position, end)
        self.position = end
        return token

    def _skip_space_and_comments(self) -> None:
        source = self.source
        while self.position < self.end:
            match = _SPACE.match(source, self.position, self.end)
            if match:
                self.position = match.end()
                continue
            if source.startswith(("#", "//"), self.position):
                newline = source.find("\n", self.position, self.end)
                self.position = self.end if newline < 0 else newline
                continue
            if source.startswith("/*", self.position):
                close = source.find("*/", self.position + 2, self.end)
                if close < 0:
                    raise SourceSyntaxError("a /* comment is not closed", self.line)
                self.line += source.count("\n", self.position, close)
                self.position = close + 2
                continue
            return

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


def find_string_end(source: str, index: int, end: int) -> int:
    """Offset of the quote closing a string whose text starts at ``index``."""
    depth = 0
    while index < end:
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == "\n" and depth == 0:
            return -1
        if depth == 0 and char == '"':
            return index
        if source.startswith(("${", "%{"), index) and not _escaped(source, index):
            depth += 1
            index += 2
            continue
        if depth and char == '"':
            index = find_string_end(source, index + 1, end)
            if index < 0:
                return -1
        elif depth and char == "{":
            depth += 1
        elif depth and char == "}":
            depth -= 1
        index += 1
    return -1


def _escaped(source: str, index: int) -> bool:
    """``$${`` and ``%%{`` are literal text, not interpolations."""
    return index > 0 and source[index - 1] == source[index]


def _dedent(body: str) -> str:
    lines = body.split("\n")
    indents = [len(x) - len(x.lstrip(" \t")) for x in lines if x.strip()]
    cut = min(indents, default=0)
    return "\n".join(x[cut:] for x in lines)
