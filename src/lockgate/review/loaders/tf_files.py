"""``file()`` and ``templatefile()`` for Terraform, kept to the reviewed folders.

IAM policies are often kept beside the configuration
(``policy = file("${path.module}/policy.json")``), so reading them lets the checks
see the statements. Only files inside the root module's folder or the calling
module's folder are read, up to 1 MB of UTF-8 text; any other path stays
Unresolved, so a review never copies an unrelated file into its report.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lockgate.review.loaders.hcl_ast import Template
from lockgate.review.loaders.hcl_eval import Evaluator, Step
from lockgate.review.loaders.hcl_functions import Unknown, known, to_text
from lockgate.review.loaders.hcl_template import template_parts
from lockgate.review.model import Unresolved

MAX_FILE_BYTES = 1_000_000


def relative_path(directory: Path, root: Path) -> str:
    """``path.module``: the module's folder relative to the root module's."""
    return Path(os.path.relpath(directory, root)).as_posix()


def file_functions(root: Path, module: Path) -> dict[str, Callable[[list[Any]], Any]]:
    """The file functions for one module instance."""
    allowed = (root.resolve(), module.resolve())

    def read(arguments: list[Any]) -> str:
        wanted = Path(to_text(known(arguments[0])))
        path = (wanted if wanted.is_absolute() else root / wanted).resolve()
        if not any(path.is_relative_to(folder) for folder in allowed):
            raise Unknown(f"file {wanted} is outside the reviewed module; not read")
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise Unknown(f"file {wanted} is larger than 1 MB; not read")
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise Unknown(f"file {wanted} cannot be read: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise Unknown(f"file {wanted} is not UTF-8 text") from error

    def render(arguments: list[Any]) -> Any:
        text = read(arguments[:1])
        variables = known(arguments[1]) if len(arguments) > 1 else {}
        if not isinstance(variables, dict):
            raise Unknown("templatefile() variables must be a map")
        parts = template_parts(text, 0, len(text), 1, escapes=False)
        template = Template(text, 0, len(text), 1, parts)
        return Evaluator(_OnlyBound(), bound=dict(variables)).value(template)

    return {"file": read, "templatefile": render}


class _OnlyBound:
    """Inside a template file only the variables passed in are known."""

    def resolve(self, root: str, steps: list[Step], node: Any) -> tuple[Any, int]:
        return Unresolved(node.text, f"{root} is not passed to the template"), 0
