"""What the hand-written HCL and Bicep readers share.

Both languages are read the same way: a lexer tries one token pattern at each
position (with hooks for the quoted strings the pattern cannot match), and a
recursive-descent parser walks the token list through a cursor that skips
newlines while it is inside brackets. This module holds those common parts, the
:class:`Token` they pass around, and the :class:`SourceSyntaxError` they raise.
Each language keeps its own pattern, strings and grammar in its own modules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

NAME = "name"
NUMBER = "number"
STRING = "string"  # HCL: the raw text between the quotes; Bicep: quotes included
HEREDOC = "heredoc"  # HCL only; value: the body, indentation removed for <<-
PUNCT = "punct"
NEWLINE = "newline"
END = "end"

_TRIVIA = ("space", "comment", "block")  # pattern groups that make no token


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


def shown(token: Token) -> str:
    """A token as an error message may quote it: never a string's text, which
    could be a secret, and never more than a few characters."""
    if token.kind == NEWLINE:
        return "the end of the line"
    if token.kind == END or not token.value:
        return "the end of the file"
    if token.kind in (STRING, HEREDOC) or token.value.startswith(("'", '"')):
        return "a quoted string"
    text = token.value if len(token.value) <= 24 else token.value[:21] + "..."
    return repr(text)


def unexpected(wanted: str, token: Token) -> SourceSyntaxError:
    """The error for finding ``token`` where ``wanted`` (in words) should be."""
    return SourceSyntaxError(f"expected {wanted} but found {shown(token)}", token.line)


class PatternLexer:
    """Splits ``source[start:end]`` into tokens with one regular expression.

    A subclass sets ``pattern``, whose named groups are token kinds (``space``,
    ``comment`` and ``block`` make no token), and ``openers``, the characters
    that may start a token the pattern cannot match; ``opened`` reads those.
    """

    pattern: ClassVar[re.Pattern[str]]
    openers: ClassVar[str] = ""

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

    def opened(self, char: str) -> Token | None:
        """The token starting with ``char`` (one of ``openers``), or None to let
        the pattern try."""
        return None

    def _next(self) -> Token:
        source, pattern, openers = self.source, self.pattern, self.openers
        while self.position < self.end:
            char = source[self.position]
            if char in openers:
                token = self.opened(char)
                if token is not None:
                    return token

            match = pattern.match(source, self.position, self.end)
            if match is None:
                raise SourceSyntaxError(f"unexpected character {char!r}", self.line)
            kind = match.lastgroup or PUNCT
            if kind == PUNCT and source.startswith("/*", self.position):
                raise SourceSyntaxError("a /* comment is not closed", self.line)

            if kind in _TRIVIA:
                if kind == "block":
                    self.line += match.group().count("\n")
                self.position = match.end()
                continue
            return self.take(kind, match.end())
        return Token(END, "", self.end, self.end, self.line)

    def take(self, kind: str, end: int) -> Token:
        """The token of ``kind`` from here to ``end``, its text as its value."""
        text = self.source[self.position : end]
        token = Token(kind, text, self.position, end, self.line)
        if kind != NAME and kind != PUNCT:
            self.line += text.count("\n")
        self.position = end
        return token


class TokenCursor:
    """A parser's place in a token list.

    While ``in_brackets`` is above zero, ``peek`` and ``advance`` pass over
    newlines, which only end an item outside brackets.
    """

    def __init__(self, source: str, tokens: list[Token]) -> None:
        self.source = source
        self.tokens = tokens + [tokens[-1]] * 2  # lookahead past the end reads END
        self.at = 0
        self.in_brackets = 0

    def peek(self) -> Token:
        if self.in_brackets:
            while self.tokens[self.at].kind == NEWLINE:
                self.at += 1
        return self.tokens[self.at]

    def advance(self) -> Token:
        token = self.peek()
        if token.kind != END:
            self.at += 1
        return token

    def is_punct(self, value: str) -> bool:
        token = self.peek()
        return token.kind == PUNCT and token.value == value

    def expect(self, value: str) -> Token:
        token = self.advance()
        if token.kind != PUNCT or token.value != value:
            raise unexpected(repr(value), token)
        return token

    def skip_newlines(self) -> None:
        while self.tokens[self.at].kind == NEWLINE:
            self.at += 1

    def continue_line(self, *operators: str) -> None:
        """Pass over newlines when the next line starts with one of ``operators``:
        an expression may go on there (a ternary's ``?``, ``&&``...)."""
        index = self.at
        while self.tokens[index].kind == NEWLINE:
            index += 1
        following = self.tokens[index]
        if following.kind == PUNCT and following.value in operators:
            self.at = index


def closing_brace(
    source: str,
    index: int,
    end: int,
    quote: str,
    string_end: Callable[[str, int, int], int],
) -> int:
    """Offset of the ``}`` closing an interpolation whose text starts at
    ``index``, or -1. Strings opened by ``quote`` inside it are passed over
    with ``string_end``, which gives the offset of a string's closing quote."""
    depth = 0
    while index < end:
        char = source[index]
        if char == quote:
            index = string_end(source, index + 1, end)
            if index < 0:
                return -1
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return -1
