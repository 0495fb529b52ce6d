"""Reading YAML nodes with their line numbers, so every rubric error names file, line and field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NoReturn

import yaml

from qa_service.errors import RubricError


class NodeReader:
    """Typed access to composed YAML nodes; every failure raises :class:`RubricError` with
    ``file``, ``line`` and ``field`` details and a ``file:line: field: problem`` message."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node | None, field: str, problem: str) -> NoReturn:
        line = node.start_mark.line + 1 if node is not None else 1
        raise RubricError(f"{self.file}:{line}: {field}: {problem}", file=self.file, line=line, field=field)

    def compose(self, text: str) -> yaml.Node:
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else 1
            raise RubricError(
                f"{self.file}:{line}: not valid YAML: {exc.problem or exc}",
                file=self.file,
                line=line,
                field="",
            ) from exc
        except yaml.YAMLError as exc:
            raise RubricError(
                f"{self.file}: not valid YAML: {exc}", file=self.file, line=1, field=""
            ) from exc
        if node is None:
            self.fail(None, "(document)", "the file is empty")
        return node

    def mapping(self, node: yaml.Node, field: str, allowed: set[str] | None = None) -> dict[str, yaml.Node]:
        """A mapping's keys (strings) and value nodes; unknown or duplicate keys are errors."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, field, "expected a mapping (key: value)")
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node, f"{field} key")
            name = f"{field}.{key}" if field else str(key)
            if not isinstance(key, str):
                self.fail(key_node, name, "keys must be strings")
            if key in out:
                self.fail(key_node, name, "duplicate key")
            if allowed is not None and key not in allowed:
                self.fail(key_node, name, f"unknown field (expected one of: {', '.join(sorted(allowed))})")
            out[key] = value_node
        return out

    def sequence(self, node: yaml.Node, field: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, field, "expected a list")
        return list(node.value)

    def scalar(self, node: yaml.Node, field: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, field, "expected a single value")
        return self._constructor.construct_object(node, deep=True)

    def string(self, node: yaml.Node, field: str, allow_number: bool = False) -> str:
        value = self.scalar(node, field)
        if allow_number and isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail(node, field, f"expected non-empty text, got {value!r}")
        return value

    def number(self, node: yaml.Node, field: str, low: float, high: float) -> float:
        value = self.scalar(node, field)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(node, field, f"expected a number, got {value!r}")
        if not low <= value <= high:
            self.fail(node, field, f"expected a number from {low:g} to {high:g}, got {value!r}")
        return float(value)

    def boolean(self, node: yaml.Node, field: str) -> bool:
        value = self.scalar(node, field)
        if not isinstance(value, bool):
            self.fail(node, field, f"expected true or false, got {value!r}")
        return value

    def strings(self, node: yaml.Node, field: str) -> Iterator[tuple[yaml.Node, str]]:
        """A string or a list of strings, each with its node."""
        if isinstance(node, yaml.ScalarNode):
            yield node, self.string(node, field)
            return
        items = self.sequence(node, field)
        if not items:
            self.fail(node, field, "expected at least one entry")
        for i, item in enumerate(items):
            yield item, self.string(item, f"{field}[{i}]")
