"""``qa-service score``: score a transcript (interchange JSON) against a rubric."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def _parse_vars(pairs: list[str]) -> dict[str, str]:
    from qa_service.errors import ConfigError

    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"--var {pair!r}: expected NAME=VALUE", setting="rubric_vars")
        out[name.strip()] = value
    return out


def score(
    transcript_path: Path = typer.Argument(
        ...,
        metavar="TRANSCRIPT.json",
        help="Transcript in the interchange form (see qa_service/interchange.py).",
    ),
    rubric_path: Path | None = typer.Option(
        None,
        "--rubric",
        help="Rubric YAML (default: chosen from the rubric "
        "directory by the call's language, direction, campaign and queue).",
    ),
    var: list[str] = typer.Option(
        [],
        "--var",
        metavar="NAME=VALUE",
        help="Rubric template variable, e.g. --var bank_name=建设银行 (repeatable).",
    ),
    direction: str = typer.Option("inbound", "--direction", help="inbound or outbound."),
    campaign: str | None = typer.Option(
        None, "--campaign", help="marketing, return_visit or repayment_reminder."
    ),
    queue: str | None = typer.Option(
        None, "--queue", help="The call's queue (for rubrics limited to queues)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the scorecard as JSON."),
) -> None:
    """Print the scorecard of a transcript: every item's outcome, score and evidence."""
    from qa_service.domain import CallMetadata, Campaign, Direction
    from qa_service.errors import ConfigError, RubricError
    from qa_service.interchange import load_transcript
    from qa_service.rubrics import (
        Rubric,
        load_rubric,
        load_rubrics,
        rubric_result_to_dict,
        score_call,
        select_rubric,
        with_review_confidence,
    )
    from qa_service.settings import get_settings
    from qa_service.weights.review import review_confidence_by_language

    settings = get_settings()
    variables = {**settings.rubric_vars, **_parse_vars(var)}
    try:
        meta = CallMetadata(
            call_id=transcript_path.stem,
            direction=Direction(direction),
            campaign=Campaign(campaign) if campaign else None,
            queue=queue,
        )
    except ValueError as exc:
        raise ConfigError(f"{exc}", setting="direction/campaign") from exc
    transcript = load_transcript(transcript_path)
    if rubric_path is not None:
        rubric: Rubric | None = load_rubric(rubric_path, variables)
    else:
        rubric = select_rubric(load_rubrics(settings.rubric_dir, variables), meta, transcript.language)
    if rubric is not None:  # the recogniser's calibrated threshold, as the workers score
        rubric = with_review_confidence((rubric,), review_confidence_by_language(settings))[0]
    if rubric is None:
        raise RubricError(
            f"no rubric in {settings.rubric_dir} applies to a {transcript.language} {direction} call"
            + (f" ({campaign})" if campaign else "")
            + "; pass --rubric or --campaign",
            file=str(settings.rubric_dir),
            line=0,
            field="applies_to",
        )
    result = score_call(transcript, rubric, meta)
    if as_json:
        typer.echo(json.dumps(rubric_result_to_dict(result), ensure_ascii=False, indent=2))
        return
    typer.echo(f"{rubric.name}  ({rubric.id} v{rubric.version}, {rubric.hash[:12]})")
    width = max(len(f.item_id) for f in result.findings)
    for f in result.findings:
        flag = " critical" if f.critical else ""
        typer.echo(f"  {f.item_id:<{width}}  {f.outcome.value:<12} {f.score:>5g}/{f.weight:<5g}{flag}")
        for ev in f.evidence[:3]:
            when = f"{ev.start:7.1f}s" if ev.start is not None else "        "
            typer.echo(f"      {when}  «{ev.matched_text}»  conf {ev.confidence:.2f}")
        if f.message:
            typer.echo(f"      {f.message}")
    verdict = "PASSED" if result.passed else ("FAILED (critical item)" if result.auto_failed else "FAILED")
    review = "  — needs review" if result.needs_review else ""
    typer.echo(f"score {result.score:g} / 100 (pass at {rubric.pass_threshold:g}): {verdict}{review}")


def register(app: typer.Typer) -> None:
    app.command("score")(score)
