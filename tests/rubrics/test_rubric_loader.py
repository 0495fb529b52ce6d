"""Loading rubrics: validation errors with file, line and field; variables; hashing; selection."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa_service.domain import CallMetadata, Campaign, Direction
from qa_service.errors import RubricError
from qa_service.rubrics import load_rubric, load_rubrics, parse_rubric, select_rubric
from qa_service.samples import RUBRIC_ITEMS
from qa_service.settings import PROJECT_ROOT

RUBRIC_DIR = PROJECT_ROOT / "rubrics"

MINIMAL = """\
id: test_rubric
version: "1"
language: zh
variables:
  bank_name: {default: 建设银行}
  job_number: {default: '(?<!\\d)\\d{4}(?!\\d)', pattern: true}
items:
  - id: greeting
    kind: required_phrase
    window: {first: 15}
    all_of:
      - [您好]
      - ["{bank_name}"]
      - ["工号{job_number}"]
  - id: closing
    kind: required_phrase
    window: {last: 30}
    phrases: [感谢您的来电]
"""


def write(tmp_path: Path, text: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_rubrics_load_with_the_shared_item_ids() -> None:
    rubrics = {r.id: r for r in load_rubrics(RUBRIC_DIR)}
    assert set(rubrics) == {f"{family}_{lang}" for family in RUBRIC_ITEMS for lang in ("zh", "en")}
    for rubric_id, rubric in rubrics.items():
        family = rubric_id.rsplit("_", 1)[0]
        assert rubric.item_ids == RUBRIC_ITEMS[family], rubric_id
        assert re.fullmatch(r"[0-9a-f]{64}", rubric.hash)
        assert rubric.language == rubric_id[-2:]


def test_readme_documents_every_item_id() -> None:
    readme = (RUBRIC_DIR / "README.md").read_text(encoding="utf-8")
    for items in RUBRIC_ITEMS.values():
        for item_id in items:
            assert f"`{item_id}`" in readme


def test_hash_is_stable_and_tracks_content_and_variables(tmp_path: Path) -> None:
    a = load_rubric(write(tmp_path, MINIMAL))
    b = load_rubric(write(tmp_path, MINIMAL, "copy.yaml"))
    assert a.hash == b.hash
    reformatted = "# a comment\n" + MINIMAL.replace('version: "1"', "version: '1'   # same")
    assert load_rubric(write(tmp_path, reformatted, "c.yaml")).hash == a.hash
    changed = MINIMAL.replace("感谢您的来电", "感谢来电")
    assert load_rubric(write(tmp_path, changed, "d.yaml")).hash != a.hash
    assert load_rubric(write(tmp_path, MINIMAL, "e.yaml"), {"bank_name": "工商银行"}).hash != a.hash


def test_variables_are_substituted(tmp_path: Path) -> None:
    rubric = load_rubric(write(tmp_path, MINIMAL), {"bank_name": "工商银行|工行", "unused": "x"})
    bank_group = rubric.item("greeting").groups[1]  # type: ignore[union-attr]
    assert [p.text for p in bank_group] == ["工商银行", "工行"]
    assert dict(rubric.variables)["bank_name"] == "工商银行|工行"
    job = rubric.item("greeting").groups[2][0]  # type: ignore[union-attr]
    assert job.text == "工号{job_number}" and job.norm == "工号" + rubric.slots[0].char


BAD_CASES = [
    # (description, yaml text, line, field, words in the message)
    ("yaml syntax", "id: x\nitems: [\n  - a\n", 3, "", "not valid YAML"),
    ("missing items", 'id: x\nversion: "1"\nlanguage: zh\n', 1, "items", "missing required field"),
    ("bad language", 'id: x\nversion: "1"\nlanguage: fr\nitems: []\n', 3, "language", "expected one of"),
    (
        "unknown kind",
        MINIMAL.replace("kind: required_phrase\n    window: {last", "kind: must_say\n    window: {last"),
        16,
        "items[1] (closing).kind",
        "unknown kind",
    ),
    (
        "threshold range",
        MINIMAL.replace("phrases: [感谢您的来电]", "phrases: [感谢您的来电]\n    threshold: 120"),
        19,
        "items[1] (closing).threshold",
        "from 0 to 100",
    ),
    (
        "unknown variable",
        MINIMAL.replace("[感谢您的来电]", '["感谢致电{bank_nmae}"]'),
        18,
        "items[1] (closing).phrases",
        "unknown variable {bank_nmae}",
    ),
    (
        "typo in a field",
        MINIMAL.replace("    phrases: [感谢您的来电]", "    phrase: [感谢您的来电]"),
        18,
        "items[1] (closing).phrase",
        "unknown field",
    ),
    ("duplicate id", MINIMAL.replace("id: closing", "id: greeting"), 15, "items[1].id", "duplicate item id"),
    (
        "after unknown item",
        MINIMAL.replace("window: {last: 30}", "window: {after: verification}"),
        17,
        "items[1] (closing).window.after",
        "not a required_phrase item defined earlier",
    ),
    (
        "unknown condition",
        MINIMAL.replace("window: {last: 30}", "window: {last: 30}\n    when: angry_customer"),
        18,
        "items[1] (closing).when",
        "unknown condition",
    ),
    (
        "bad window",
        MINIMAL.replace("window: {last: 30}", "window: {last: 30, first: 5}"),
        17,
        "items[1] (closing).window",
        "exactly one",
    ),
    (
        "order of unknown items",
        MINIMAL + "  - id: order\n    kind: order\n    sequence: [greeting, verification]\n",
        21,
        "items[2] (order).sequence",
        "'verification' is not a required_phrase item",
    ),
    (
        "empty phrase",
        MINIMAL.replace("[感谢您的来电]", '["，。"]'),
        18,
        "items[1] (closing).phrases",
        "empty after normalisation",
    ),
    (
        "bad regex variable",
        MINIMAL.replace("'(?<!\\d)\\d{4}(?!\\d)'", "'([0-9'"),
        6,
        "variables.job_number",
        "not a valid regular expression",
    ),
]


@pytest.mark.parametrize(("case", "text", "line", "field", "words"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_malformed_rubrics_name_file_line_and_field(
    tmp_path: Path, case: str, text: str, line: int, field: str, words: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    assert err.value.details["file"] == str(path)
    assert err.value.details["line"] == line, err.value.message
    assert err.value.details["field"] == field, err.value.message
    assert words in err.value.message
    assert err.value.message.startswith(f"{path}:{line}:")


def test_a_bad_variable_value_given_at_load_time_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match="set for it"):
        load_rubric(write(tmp_path, MINIMAL), {"job_number": "(["})


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match="no such rubric file"):
        load_rubric(tmp_path / "nope.yaml")
    with pytest.raises(RubricError, match="does not exist"):
        load_rubrics(tmp_path / "nowhere")


def test_duplicate_rubric_ids_in_a_directory(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL, "a.yaml")
    write(tmp_path, MINIMAL, "b.yaml")
    with pytest.raises(RubricError, match="also used by"):
        load_rubrics(tmp_path)


def test_parse_rubric_from_text() -> None:
    rubric = parse_rubric(MINIMAL, "inline")
    assert rubric.id == "test_rubric" and rubric.source == "inline"


def test_select_rubric_by_language_direction_campaign_and_queue(tmp_path: Path) -> None:
    rubrics = load_rubrics(RUBRIC_DIR)
    inbound = CallMetadata("c1", Direction.INBOUND)
    assert select_rubric(rubrics, inbound, "zh").id == "inbound_service_zh"  # type: ignore[union-attr]
    assert select_rubric(rubrics, inbound, "en").id == "inbound_service_en"  # type: ignore[union-attr]
    for campaign in Campaign:
        meta = CallMetadata("c2", Direction.OUTBOUND, campaign=campaign)
        family = "outbound_marketing" if campaign == Campaign.MARKETING else campaign.value
        assert select_rubric(rubrics, meta, "en").id == f"{family}_en"  # type: ignore[union-attr]
    assert select_rubric(rubrics, CallMetadata("c3", Direction.OUTBOUND), "zh") is None
    assert select_rubric(rubrics, inbound, "fr") is None
    vip = (
        MINIMAL.replace("id: test_rubric", "id: vip_inbound_zh")
        + "applies_to: {direction: inbound, queue: vip}\n"
    )
    special = load_rubric(write(tmp_path, vip))
    both = (*rubrics, special)
    assert select_rubric(both, CallMetadata("c4", Direction.INBOUND, queue="vip"), "zh") is special
    assert (
        select_rubric(both, CallMetadata("c5", Direction.INBOUND, queue="retail"), "zh").id
        == "inbound_service_zh"
    )  # type: ignore[union-attr]
