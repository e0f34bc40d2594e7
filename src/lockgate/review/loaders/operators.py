"""Binary and unary operators, read the same way in HCL and Bicep.

Both parsers climb a table of operator precedence (every binary operator is
left-associative, ``!`` and ``-`` are the prefixes) over operands each language
reads itself. Bicep also lets a line that starts with ``&&``, ``||`` or ``??``
go on with the expression of the line above.
"""

from __future__ import annotations

from typing import ClassVar

from lockgate.review.loaders.hcl_ast import Binary, Node, Unary
from lockgate.review.loaders.syntax import PUNCT, TokenCursor


class OperatorParser(TokenCursor):
    """A subclass sets ``precedence`` (operator to level, higher binds tighter)
    and ``continuing`` (operators that may open a line), and reads operands."""

    precedence: ClassVar[dict[str, int]]
    continuing: ClassVar[tuple[str, ...]] = ()

    def operand(self) -> Node:
        """A value with its postfixes (``a.b``, ``a[0]``, calls)."""
        raise NotImplementedError

    def binary(self, lowest: int) -> Node:
        """Operators of level ``lowest`` and above, by precedence climbing."""
        left = self.unary()
        while True:
            if self.continuing:
                self.continue_line(*self.continuing)
            token = self.peek()
            level = self.precedence.get(token.value, -1) if token.kind == PUNCT else -1
            if level < lowest:
                return left

            self.advance()
            right = self.binary(level + 1)
            left = Binary(
                self.source, left.start, right.end, left.line, token.value, left, right
            )

    def unary(self) -> Node:
        token = self.peek()
        if token.kind == PUNCT and token.value in ("!", "-"):
            self.advance()
            operand = self.unary()
            return Unary(
                self.source, token.start, operand.end, token.line, token.value, operand
            )
        return self.operand()
