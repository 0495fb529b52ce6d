"""Validation of the ``items`` (and ``defaults``) of a rubric file."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml

from qa_service.domain import Role
from qa_service.rubrics.conditions import BUILTIN_CONDITIONS
from qa_service.rubrics.schema import (
    HANDLING,
    TRIGGER,
    AnyItem,
    ForbiddenPhraseItem,
    ItemKind,
    OrderItem,
    RequiredPhraseItem,
    Window,
    WindowKind,
)
from qa_service.rubrics.yaml_nodes import NodeReader

if TYPE_CHECKING:
    from qa_service.rubrics.loader import PhraseCompiler

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_COMMON = {"id", "kind", "description", "weight", "critical", "when"}
_FIELDS = {
    ItemKind.REQUIRED_PHRASE: _COMMON
    | {"role", "window", "phrases", "all_of", "threshold", "review_threshold"},
    ItemKind.FORBIDDEN_PHRASE: _COMMON | {"role", "window", "phrases", "exceptions"},
    ItemKind.ORDER: _COMMON | {"sequence"},
}
_ROLES = {"agent": Role.AGENT, "customer": Role.CUSTOMER, "any": None}


class ItemLoader:
    def __init__(
        self, reader: NodeReader, compiler: PhraseCompiler, defaults: yaml.Node | None, conditions: set[str]
    ) -> None:
        self.reader = reader
        self.compiler = compiler
        self.conditions = conditions | set(BUILTIN_CONDITIONS)
        self.defaults = {"threshold": 85.0, "review_threshold": 75.0, "weight": 1.0}
        if defaults is not None:
            fields = reader.mapping(defaults, "defaults", set(self.defaults))
            for key, node in fields.items():
                self.defaults[key] = reader.number(
                    node, f"defaults.{key}", 0, 100 if key != "weight" else 1e6
                )
        self.seen: dict[str, ItemKind] = {}

    @staticmethod
    def role(reader: NodeReader, node: yaml.Node | None, field: str, default: Role | None) -> Role | None:
        if node is None:
            return default
        value = reader.string(node, field)
        if value not in _ROLES:
            reader.fail(node, field, f"expected agent, customer or any, got {value!r}")
        return _ROLES[value]

    def items(self, node: yaml.Node) -> tuple[AnyItem, ...]:
        nodes = self.reader.sequence(node, "items")
        if not nodes:
            self.reader.fail(node, "items", "a rubric needs at least one item")
        items = tuple(self.item(n, i) for i, n in enumerate(nodes))
        for i, (item, n) in enumerate(zip(items, nodes, strict=True)):
            if isinstance(item, OrderItem):
                self._check_sequence(item, n, items, f"items[{i}] ({item.id}).sequence")
        return items

    def item(self, node: yaml.Node, i: int) -> AnyItem:
        r = self.reader
        where = f"items[{i}]"
        fields = r.mapping(node, where)
        if "id" not in fields:
            r.fail(node, f"{where}.id", "missing required field")
        item_id = r.string(fields["id"], f"{where}.id")
        if not _ID.match(item_id):
            r.fail(fields["id"], f"{where}.id", "item ids are lower-case letters, digits and _")
        if item_id in self.seen:
            r.fail(fields["id"], f"{where}.id", f"duplicate item id {item_id!r}")
        where = f"items[{i}] ({item_id})"
        if "kind" not in fields:
            r.fail(node, f"{where}.kind", "missing required field")
        kind_text = r.string(fields["kind"], f"{where}.kind")
        if kind_text not in {k.value for k in ItemKind}:
            r.fail(
                fields["kind"],
                f"{where}.kind",
                f"unknown kind {kind_text!r} (expected one of: {', '.join(k.value for k in ItemKind)})",
            )
        kind = ItemKind(kind_text)
        allowed = _FIELDS[kind]
        for key, value_node in fields.items():
            if key not in allowed:
                r.fail(
                    value_node,
                    f"{where}.{key}",
                    f"unknown field for a {kind.value} item (expected: {', '.join(sorted(allowed))})",
                )
        when = None
        if "when" in fields:
            when = r.string(fields["when"], f"{where}.when")
            if when not in self.conditions:
                r.fail(
                    fields["when"],
                    f"{where}.when",
                    f"unknown condition {when!r} (built in: {', '.join(BUILTIN_CONDITIONS)}; "
                    "or define it under conditions)",
                )
        common: dict[str, Any] = {
            "id": item_id,
            "kind": kind,
            "description": r.string(fields["description"], f"{where}.description")
            if "description" in fields
            else "",
            "weight": r.number(fields["weight"], f"{where}.weight", 0, 1e6)
            if "weight" in fields
            else self.defaults["weight"],
            "critical": r.boolean(fields["critical"], f"{where}.critical") if "critical" in fields else False,
            "when": when,
            "line": node.start_mark.line + 1,
        }
        built: AnyItem
        if kind == ItemKind.ORDER:
            if "sequence" not in fields:
                r.fail(node, f"{where}.sequence", "missing required field")
            seq = tuple(v for _, v in r.strings(fields["sequence"], f"{where}.sequence"))
            built = OrderItem(sequence=seq, **common)
        elif kind == ItemKind.FORBIDDEN_PHRASE:
            if "phrases" not in fields:
                r.fail(node, f"{where}.phrases", "missing required field")
            built = ForbiddenPhraseItem(
                role=self.role(r, fields.get("role"), f"{where}.role", Role.AGENT),
                window=self.window(fields.get("window"), f"{where}.window", when),
                phrases=self.compiler.phrases(fields["phrases"], f"{where}.phrases"),
                exceptions=self.compiler.phrases(fields["exceptions"], f"{where}.exceptions")
                if "exceptions" in fields
                else (),
                **common,
            )
        else:
            built = self._required(fields, node, where, when, common)
        self.seen[item_id] = kind
        return built

    def _required(
        self, fields: dict[str, yaml.Node], node: yaml.Node, where: str, when: str | None, common: dict
    ) -> RequiredPhraseItem:
        r = self.reader
        groups = []
        if "phrases" in fields:
            groups.append(self.compiler.phrases(fields["phrases"], f"{where}.phrases"))
        if "all_of" in fields:
            group_nodes = r.sequence(fields["all_of"], f"{where}.all_of")
            if not group_nodes:
                r.fail(fields["all_of"], f"{where}.all_of", "expected at least one group")
            for j, g in enumerate(group_nodes):
                groups.append(self.compiler.phrases(g, f"{where}.all_of[{j}]"))
        if not groups:
            r.fail(node, f"{where}.phrases", "a required_phrase item needs 'phrases' or 'all_of'")
        threshold = (
            r.number(fields["threshold"], f"{where}.threshold", 0, 100)
            if "threshold" in fields
            else self.defaults["threshold"]
        )
        review = (
            r.number(fields["review_threshold"], f"{where}.review_threshold", 0, 100)
            if "review_threshold" in fields
            else min(self.defaults["review_threshold"], threshold)
        )
        if review > threshold:
            r.fail(
                fields.get("review_threshold", node),
                f"{where}.review_threshold",
                f"must not exceed threshold ({threshold:g})",
            )
        return RequiredPhraseItem(
            role=self.role(r, fields.get("role"), f"{where}.role", Role.AGENT),
            window=self.window(fields.get("window"), f"{where}.window", when),
            groups=tuple(groups),
            threshold=threshold,
            review_threshold=review,
            **common,
        )

    def window(self, node: yaml.Node | None, field: str, when: str | None) -> Window:
        r = self.reader
        if node is None:
            return Window()
        if isinstance(node, yaml.ScalarNode):
            value = r.string(node, field)
            if value != "anywhere":
                r.fail(node, field, "expected 'anywhere' or one of {first: N}, {last: N}, {after: ITEM}")
            return Window()
        fields = r.mapping(node, field, {"first", "last", "after"})
        if len(fields) != 1:
            r.fail(node, field, "give exactly one of first, last, after")
        ((key, value_node),) = fields.items()
        if key in ("first", "last"):
            seconds = r.number(value_node, f"{field}.{key}", 0, 86_400)
            return Window(WindowKind(key), seconds=seconds)
        after = r.string(value_node, f"{field}.after")
        if after == TRIGGER:
            if when is None:
                r.fail(
                    value_node, f"{field}.after", "'after: trigger' needs the item to have a 'when' condition"
                )
        elif self.seen.get(after) != ItemKind.REQUIRED_PHRASE:
            r.fail(
                value_node,
                f"{field}.after",
                f"{after!r} is not a required_phrase item defined earlier in the rubric (or 'trigger')",
            )
        return Window(WindowKind.AFTER, after=after)

    def _check_sequence(
        self, item: OrderItem, node: yaml.Node, items: tuple[AnyItem, ...], where: str
    ) -> None:
        fields = self.reader.mapping(node, "items")
        kinds = {i.id: i.kind for i in items}
        named = [s for s in item.sequence if s != HANDLING]
        if len(named) < 2:
            self.reader.fail(fields["sequence"], where, "name at least two items")
        for step in item.sequence:
            if step != HANDLING and kinds.get(step) != ItemKind.REQUIRED_PHRASE:
                self.reader.fail(
                    fields["sequence"],
                    where,
                    f"{step!r} is not a required_phrase item of this rubric (or 'handling')",
                )
