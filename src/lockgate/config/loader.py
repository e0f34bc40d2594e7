"""Load ``lockgate.yaml`` into :class:`Settings`, with errors that point at the file.

Every problem is reported as ``FILE:LINE:COLUMN: PATH: what is wrong; how to fix it``
and all problems are reported at once. ``${NAME}`` is replaced by the environment
variable NAME and ``${file:/path}`` by the file's content without its trailing
newline; a missing variable or unreadable file is an error at the line that names it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from lockgate.config.checks import cross_check
from lockgate.config.settings import Settings
from lockgate.errors import ConfigError

_REFERENCE = re.compile(r"\$\{([^}]*)\}")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DUPLICATE_KEY = re.compile(r'duplicate key ("[^"]*")')
# A settings file has a few hundred values; far more means alias expansion (a
# "billion laughs" file), refused before it exhausts memory.
_MAX_VALUES = 100_000
_MAX_SECRET_BYTES = 64 * 1024

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Position:
    line: int
    column: int


@dataclass(slots=True)
class Problem:
    path: YamlPath
    message: str


class SourceMap:
    """Where each value of a loaded YAML document sits in its file."""

    def __init__(self, file: str, positions: dict[YamlPath, Position]) -> None:
        self.file = file
        self._positions = positions

    def locate(self, path: YamlPath) -> Position:
        for end in range(len(path), -1, -1):
            position = self._positions.get(path[:end])
            if position is not None:
                return position
        return Position(1, 1)

    def format(self, problem: Problem) -> str:
        position = self.locate(problem.path)
        where = format_path(problem.path) or "(top level)"
        return (
            f"{self.file}:{position.line}:{position.column}: {where}: {problem.message}"
        )


def format_path(path: YamlPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def load_settings(
    path: str | Path, environ: Mapping[str, str] | None = None
) -> Settings:
    """Read, resolve and validate a settings file.

    Raises ConfigError listing every problem found, one per line.
    """
    path = Path(path)
    environ = os.environ if environ is None else environ
    document, source = _parse(path)

    problems: list[Problem] = []
    plain = _resolve(document, (), environ, problems)
    if problems:
        raise _config_error(source, problems)

    try:
        settings = Settings.model_validate(plain)
    except ValidationError as error:
        raise _config_error(source, _validation_problems(error, plain)) from None

    problems = [Problem(p, m) for p, m in cross_check(settings)]
    if problems:
        raise _config_error(source, problems)
    return settings


def _parse(path: Path) -> tuple[Any, SourceMap]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(
            f"cannot read settings file {path}: {error.strerror}; "
            "pass an existing file with -c"
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(f"settings file {path} is not UTF-8 text") from None

    try:
        document = YAML(typ="rt", pure=True).load(text)
    except DuplicateKeyError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        key = _DUPLICATE_KEY.search(str(error.problem))
        name = key.group(1) if key else "a key"
        raise ConfigError(
            f"{path}:{line}:{column}: {name} is given twice in the same mapping; "
            "keep one"
        ) from None
    except MarkedYAMLError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ConfigError(
            f"{path}:{line}:{column}: not valid YAML: {error.problem}"
        ) from None
    except YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from None

    if not isinstance(document, CommentedMap):
        raise ConfigError(
            f"{path}:1:1: the settings file must be a mapping with 'server', "
            "'upstreams' and 'models'; see docs/configuration.md"
        )
    positions: dict[YamlPath, Position] = {}
    _record_positions(document, (), positions)
    return document, SourceMap(str(path), positions)


def _record_positions(
    node: Any, path: YamlPath, positions: dict[YamlPath, Position]
) -> None:
    """Remember where every value sits; keys merged in with ``<<`` have no line of
    their own and take the mapping's."""
    if len(positions) > _MAX_VALUES:
        raise ConfigError(
            f"the settings file expands to more than {_MAX_VALUES} values; "
            "remove the YAML aliases that repeat large parts of it"
        )
    if isinstance(node, CommentedMap):
        for key in node:
            here = node.lc.data.get(key)
            if here is not None:
                positions[(*path, str(key))] = Position(here[0] + 1, here[1] + 1)
            _record_positions(node[key], (*path, str(key)), positions)
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            line, column = node.lc.item(index)
            positions[(*path, index)] = Position(line + 1, column + 1)
            _record_positions(item, (*path, index), positions)


def _resolve(
    node: Any, path: YamlPath, environ: Mapping[str, str], problems: list[Problem]
) -> Any:
    """A plain copy of the document with every ``${...}`` reference replaced."""
    if isinstance(node, dict):
        return {
            str(k): _resolve(v, (*path, str(k)), environ, problems)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_resolve(v, (*path, i), environ, problems) for i, v in enumerate(node)]
    if isinstance(node, str) and "${" in node:
        return _REFERENCE.sub(
            lambda match: _lookup(match.group(1), path, environ, problems), node
        )
    return node


def _lookup(
    reference: str, path: YamlPath, environ: Mapping[str, str], problems: list[Problem]
) -> str:
    if reference.startswith("file:"):
        return _read_secret_file(Path(reference[5:]), path, problems)
    if not _ENV_NAME.match(reference):
        problems.append(
            Problem(
                path,
                f"'${{{reference}}}' is not a valid reference; use ${{NAME}} for an "
                "environment variable or ${file:/path} for a file",
            )
        )
        return ""
    value = environ.get(reference)
    if value is None:
        problems.append(
            Problem(
                path,
                f"environment variable '{reference}' is not set; set it or write "
                "the value in the file",
            )
        )
        return ""
    return value


def _read_secret_file(file: Path, path: YamlPath, problems: list[Problem]) -> str:
    """A secret file's text; only regular files, and only small ones."""
    try:
        if not file.is_file():
            reason = "not a regular file" if file.exists() else "no such file"
            raise _SecretFileProblem(reason)
        with file.open("rb") as handle:
            data = handle.read(_MAX_SECRET_BYTES + 1)
        if len(data) > _MAX_SECRET_BYTES:
            raise _SecretFileProblem(f"larger than {_MAX_SECRET_BYTES} bytes")
        return data.decode("utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError, _SecretFileProblem) as error:
        reason = getattr(error, "strerror", None) or str(error) or "not UTF-8 text"
        if isinstance(error, UnicodeDecodeError):
            reason = "not UTF-8 text"
        problems.append(
            Problem(
                path,
                f"cannot read secret file '{file}': {reason}; point ${{file:...}} "
                "at a readable file holding only the secret",
            )
        )
        return ""


class _SecretFileProblem(Exception):
    pass


def _validation_problems(error: ValidationError, plain: Any) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        path = _document_path(item["loc"], plain)
        if item["type"] == "union_tag_invalid":
            path = (*path, item["ctx"]["discriminator"].strip("'"))
        message = _explain(item, path)
        if item["type"] == "string_pattern_mismatch":
            value = str(_value_at(plain, path))[:80]
            message = (
                f"'{value}' does not have the form this setting needs "
                f"(pattern {item['ctx']['pattern']}); see docs/configuration.md"
            )
        problems.append(Problem(path, message))
    return problems


def _value_at(plain: Any, path: YamlPath) -> Any:
    """The value at a document path; pattern-checked settings are never secrets."""
    for part in path:
        plain = plain[part]
    return plain


def _document_path(loc: tuple[Any, ...], plain: Any) -> YamlPath:
    """Pydantic's error location without discriminator tags, as a document path."""
    path: list[str | int] = []
    node = plain
    for part in loc:
        is_tag = (
            isinstance(node, dict)
            and isinstance(part, str)
            and part not in node
            and part in (node.get("kind"), node.get("mode"))
        )
        if is_tag:
            continue  # a discriminated union's tag, not a key
        path.append(part)
        node = (
            node.get(part)
            if isinstance(node, dict)
            else (
                node[part]
                if isinstance(node, list) and isinstance(part, int) and part < len(node)
                else None
            )
        )
    return tuple(path)


def _explain(item: Any, path: YamlPath) -> str:
    kind = item["type"]
    key = path[-1] if path else ""
    if kind == "extra_forbidden":
        return f"unknown setting '{key}'; remove it or check its spelling"
    if kind == "missing":
        return f"required setting '{key}' is missing; add it"
    if kind == "union_tag_invalid":
        context = item["ctx"]
        return (
            f"unknown {key} '{context['tag']}'; use one of {context['expected_tags']}"
        )
    if kind == "union_tag_not_found":
        tag = item.get("ctx", {}).get("discriminator", "kind")
        return f"missing {tag}; every entry here needs one"
    if kind == "value_error":
        return str(item["msg"]).removeprefix("Value error, ")
    return f"{item['msg']}; fix the value"


def _config_error(source: SourceMap, problems: list[Problem]) -> ConfigError:
    lines = [source.format(problem) for problem in problems]
    return ConfigError("\n".join(lines))
