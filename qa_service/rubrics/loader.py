"""Load rubrics from YAML: validate (errors name file, line and field), substitute template
variables, compile phrases and hash the result. The YAML schema is documented in rubrics/README.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import yaml

from qa_service.domain import CallMetadata, Campaign, Direction
from qa_service.errors import RubricError
from qa_service.rubrics.conditions import BUILTIN_CONDITIONS
from qa_service.rubrics.items_loader import ItemLoader
from qa_service.rubrics.matching import SLOT_BASE, compile_phrase
from qa_service.rubrics.schema import AppliesTo, MentionCondition, Phrase, Rubric, Slot
from qa_service.rubrics.yaml_nodes import NodeReader

_TOP = {
    "id",
    "version",
    "name",
    "description",
    "language",
    "applies_to",
    "pass_threshold",
    "review_confidence",
    "defaults",
    "variables",
    "conditions",
    "items",
}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_VAR = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_LANGUAGES = ("zh", "en")


class _Variables:
    """Declared variables resolved against the values given (settings, ``--var``)."""

    def __init__(self, reader: NodeReader, node: yaml.Node | None, given: Mapping[str, str]) -> None:
        self.reader = reader
        self.literals: dict[str, str] = {}
        slots: list[Slot] = []
        if node is None:
            self.slots: tuple[Slot, ...] = ()
            return
        for name, spec in reader.mapping(node, "variables").items():
            field = f"variables.{name}"
            if not _ID.match(name):
                reader.fail(spec, field, "variable names are lower-case letters, digits and _")
            fields = reader.mapping(spec, field, {"default", "pattern", "description"})
            is_pattern = (
                reader.boolean(fields["pattern"], f"{field}.pattern") if "pattern" in fields else False
            )
            if name in given:
                value, origin = str(given[name]), "the value set for it (settings or --var)"
            elif "default" in fields:
                value, origin = reader.string(fields["default"], f"{field}.default", True), "its default"
            else:
                reader.fail(spec, field, "no value given and no default")
            if is_pattern:
                try:
                    re.compile(value)
                except re.error as exc:
                    reader.fail(spec, field, f"{origin} is not a valid regular expression ({exc})")
                slots.append(Slot(name, value, chr(SLOT_BASE + len(slots))))
            else:
                if not value.strip():
                    reader.fail(spec, field, f"{origin} is empty")
                self.literals[name] = value
        self.slots = tuple(slots)

    @property
    def resolved(self) -> tuple[tuple[str, str], ...]:
        values = dict(self.literals) | {s.name: s.regex for s in self.slots}
        return tuple(sorted(values.items()))

    def expand(self, node: yaml.Node, field: str, text: str) -> list[str]:
        """Substitute literal variables (``a|b`` values give one variant each); pattern variables
        stay as ``{name}``."""
        slot_names = {s.name for s in self.slots}
        for name in _VAR.findall(text):
            if name not in self.literals and name not in slot_names:
                self.reader.fail(node, field, f"unknown variable {{{name}}} (declare it under variables)")
        variants = [text]
        for name, value in self.literals.items():
            token = "{" + name + "}"
            alternatives = [v.strip() for v in value.split("|") if v.strip()]
            variants = (
                [v.replace(token, alt) for v in variants for alt in alternatives]
                if any(token in v for v in variants)
                else variants
            )
        return variants


class PhraseCompiler:
    """Turns phrase lists in the YAML into compiled :class:`Phrase` tuples."""

    def __init__(self, reader: NodeReader, variables: _Variables, language: str) -> None:
        self.reader = reader
        self.variables = variables
        self.language = language

    def phrases(self, node: yaml.Node, field: str) -> tuple[Phrase, ...]:
        out: list[Phrase] = []
        for item_node, text in self.reader.strings(node, field):
            for variant in self.variables.expand(item_node, field, text):
                phrase = compile_phrase(variant, self.language, self.variables.slots)
                if not phrase.norm:
                    self.reader.fail(item_node, field, f"phrase {text!r} is empty after normalisation")
                if phrase not in out:
                    out.append(phrase)
        return tuple(out)


def _applies_to(reader: NodeReader, node: yaml.Node | None, language: str) -> AppliesTo:
    if node is None:
        return AppliesTo(languages=(language,))
    fields = reader.mapping(node, "applies_to", {"direction", "campaign", "queue", "language"})

    def values(key: str, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
        if key not in fields:
            return ()
        out = []
        for n, v in reader.strings(fields[key], f"applies_to.{key}"):
            if allowed is not None and v not in allowed:
                reader.fail(n, f"applies_to.{key}", f"{v!r} is not one of: {', '.join(allowed)}")
            out.append(v)
        return tuple(out)

    return AppliesTo(
        languages=values("language", _LANGUAGES) or (language,),
        directions=tuple(Direction(v) for v in values("direction", tuple(d.value for d in Direction))),
        campaigns=tuple(Campaign(v) for v in values("campaign", tuple(c.value for c in Campaign))),
        queues=values("queue", None),
    )


def _conditions(
    reader: NodeReader, node: yaml.Node | None, compiler: PhraseCompiler
) -> tuple[MentionCondition, ...]:
    if node is None:
        return ()
    out = []
    for name, spec in reader.mapping(node, "conditions").items():
        field = f"conditions.{name}"
        if not _ID.match(name):
            reader.fail(spec, field, "condition names are lower-case letters, digits and _")
        if name in BUILTIN_CONDITIONS:
            reader.fail(spec, field, "this name is a built-in condition")
        fields = reader.mapping(spec, field, {"role", "phrases", "exceptions", "description"})
        if "phrases" not in fields:
            reader.fail(spec, field, "missing field 'phrases'")
        role = ItemLoader.role(reader, fields.get("role"), f"{field}.role", default=None)
        phrases = compiler.phrases(fields["phrases"], f"{field}.phrases")
        exceptions = (
            compiler.phrases(fields["exceptions"], f"{field}.exceptions") if "exceptions" in fields else ()
        )
        out.append(MentionCondition(name, role, phrases, exceptions))
    return tuple(out)


def rubric_hash(text: str, variables: Iterable[tuple[str, str]]) -> str:
    """sha256 of the rubric's canonical content (parsed YAML, so comments and layout do not count)
    and the variable values it was loaded with."""
    data = yaml.safe_load(text)
    canonical = json.dumps(
        {"rubric": data, "variables": sorted(variables)},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_rubric(text: str, file: str = "<rubric>", variables: Mapping[str, str] | None = None) -> Rubric:
    """Validate and compile rubric YAML text (``file`` names it in errors)."""
    reader = NodeReader(file)
    root = reader.compose(text)
    top = reader.mapping(root, "", _TOP)
    for required in ("id", "version", "language", "items"):
        if required not in top:
            reader.fail(root, required, "missing required field")
    rubric_id = reader.string(top["id"], "id")
    if not _ID.match(rubric_id):
        reader.fail(top["id"], "id", "rubric ids are lower-case letters, digits and _")
    language = reader.string(top["language"], "language")
    if language not in _LANGUAGES:
        reader.fail(top["language"], "language", f"expected one of {', '.join(_LANGUAGES)}, got {language!r}")
    vars_ = _Variables(reader, top.get("variables"), variables or {})
    compiler = PhraseCompiler(reader, vars_, language)
    conditions = _conditions(reader, top.get("conditions"), compiler)
    items = ItemLoader(reader, compiler, top.get("defaults"), {c.name for c in conditions}).items(
        top["items"]
    )
    return Rubric(
        id=rubric_id,
        version=reader.string(top["version"], "version", allow_number=True),
        name=reader.string(top["name"], "name") if "name" in top else rubric_id,
        description=reader.string(top["description"], "description") if "description" in top else "",
        language=language,
        items=items,
        hash=rubric_hash(text, vars_.resolved),
        applies_to=_applies_to(reader, top.get("applies_to"), language),
        pass_threshold=reader.number(top["pass_threshold"], "pass_threshold", 0, 100)
        if "pass_threshold" in top
        else 80.0,
        review_confidence=reader.number(top["review_confidence"], "review_confidence", 0, 1)
        if "review_confidence" in top
        else 0.5,
        conditions=conditions,
        slots=vars_.slots,
        variables=vars_.resolved,
        source=file,
    )


def load_rubric(path: Path | str, variables: Mapping[str, str] | None = None) -> Rubric:
    """Load one rubric file; raises :class:`RubricError` naming file, line and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RubricError(f"{path}: no such rubric file", file=str(path), line=0, field="") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError(f"{path}: cannot read rubric ({exc})", file=str(path), line=0, field="") from exc
    return parse_rubric(text, str(path), variables)


def load_rubrics(directory: Path | str, variables: Mapping[str, str] | None = None) -> tuple[Rubric, ...]:
    """Every ``*.yaml``/``*.yml`` rubric in ``directory``, sorted by id; ids must be unique."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RubricError(
            f"{directory}: rubric directory does not exist", file=str(directory), line=0, field=""
        )
    rubrics: dict[str, Rubric] = {}
    for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
        rubric = load_rubric(path, variables)
        if rubric.id in rubrics:
            raise RubricError(
                f"{path}: id: rubric id {rubric.id!r} is also used by {rubrics[rubric.id].source}",
                file=str(path),
                line=1,
                field="id",
            )
        rubrics[rubric.id] = rubric
    return tuple(rubrics[k] for k in sorted(rubrics))


def select_rubric(rubrics: Iterable[Rubric], metadata: CallMetadata, language: str) -> Rubric | None:
    """The most specific rubric that applies to a call (language, direction, campaign, queue); ties go
    to the lowest id. ``None`` when none applies."""
    fitting = [r for r in rubrics if r.language == language and r.applies_to.matches(metadata, language)]
    if not fitting:
        return None
    return min(fitting, key=lambda r: (-r.applies_to.specificity, r.id))


def with_review_confidence(rubrics: Iterable[Rubric], by_language: Mapping[str, float]) -> tuple[Rubric, ...]:
    """``rubrics`` with ``review_confidence`` replaced for the languages in ``by_language`` (the
    threshold is the recogniser's, calibrated per model, not the rubric author's)."""
    return tuple(replace(r, review_confidence=by_language[r.language]) if r.language in by_language else r
                 for r in rubrics)
