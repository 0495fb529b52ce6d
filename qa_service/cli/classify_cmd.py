"""``qa-service classify``, ``train-classifier``, ``eval-classifier`` and ``choose-classifier-rules``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from qa_service.errors import TranscriptFormatError


def _read_call(path: Path) -> tuple[Any, Any]:
    """A transcript file → (CallTranscript, CallMetadata | None).

    Accepts the interchange form (``utterances``), a sample-call sidecar (``turns`` + ``metadata``),
    or a labelled record / analysis output that nests the transcript under ``transcript``.
    """
    from qa_service.domain import CallMetadata, Campaign, Direction
    from qa_service.interchange import load_transcript, transcript_from_dict

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TranscriptFormatError(f"{path}: no such file", file=str(path)) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TranscriptFormatError(f"{path}: not valid UTF-8 JSON ({exc})", file=str(path)) from exc
    if not isinstance(data, dict):
        raise TranscriptFormatError(f"{path}: expected a JSON object", file=str(path))
    if isinstance(data.get("transcript"), dict):
        body = data["transcript"]
    elif "turns" in data and "utterances" not in data:  # sample sidecar
        body = {"language": data.get("language"), "utterances": _turns(data["turns"], path)}
    else:
        body = None
    try:
        transcript = transcript_from_dict(body) if body is not None else load_transcript(path)
    except TranscriptFormatError as exc:
        raise TranscriptFormatError(f"{path}: {exc.message}", **{**exc.details, "file": str(path)}) from exc
    meta = data.get("metadata")
    metadata = None
    if isinstance(meta, dict):
        try:
            campaign = meta.get("campaign")
            metadata = CallMetadata(
                call_id=str(data.get("call_id") or path.stem),
                direction=Direction(meta.get("direction") or "inbound"),
                language=transcript.language,
                campaign=Campaign(campaign) if campaign else None,
            )
        except ValueError as exc:
            raise TranscriptFormatError(f"{path}: metadata: {exc}", file=str(path), field="metadata") from exc
    return transcript, metadata


def _turns(turns: Any, path: Path) -> list[dict[str, Any]]:
    if not isinstance(turns, list):
        raise TranscriptFormatError(f"{path}: turns: expected a list", file=str(path), field="turns")
    out, t = [], 0.0
    for turn in turns:
        if not isinstance(turn, dict):
            raise TranscriptFormatError(f"{path}: turns: expected objects", file=str(path), field="turns")
        start = turn.get("start", t)
        end = turn.get("end", start + 1.0)
        out.append({"role": turn.get("role"), "text": turn.get("text"), "start": start, "end": end})
        t = end if isinstance(end, int | float) else t
    return out


def classification_dict(result: Any, transcript: Any) -> dict[str, Any]:
    return {
        "contact_reasons": [r.value for r in result.contact_reasons],
        "contact_reason_scores": {s.label: s.score for s in result.contact_reason_scores},
        "complaint_evidence": [
            {"index": i, "text": transcript.utterances[i].text} for i in result.complaint_evidence
        ],
        "business_type": result.business_type.value,
        "business_type_scores": {s.label: s.score for s in result.business_type_scores},
        "sentiment": [
            {"index": s.utterance_index, "role": transcript.utterances[s.utterance_index].role.value,
             "sentiment": s.sentiment.value, "score": s.score}
            for s in result.sentiment
        ],
        "escalation": {
            "risk": result.escalation_risk,
            "score": result.escalation_score,
            "evidence": [
                {"index": i, "text": transcript.utterances[i].text} for i in result.escalation_evidence
            ],
        },
        "outcome": result.outcome.value if result.outcome else None,
        "outcome_score": result.outcome_score,
        "model": result.model,
    }


def classify(
    transcript_file: Path = typer.Argument(..., help="Transcript JSON (interchange form or sample sidecar)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output with scores."),
    direction: str = typer.Option(None, "--direction", help="inbound / outbound (overrides the file)."),
    campaign: str = typer.Option(None, "--campaign", help="marketing / return_visit / repayment_reminder."),
    baseline: bool = typer.Option(False, "--baseline", help="Use the keyword baseline instead of the model."),
) -> None:
    """Classify one call: contact reasons, business type, per-turn sentiment, escalation, outcome."""
    from dataclasses import replace

    from qa_service.classifiers import KeywordClassifier, load_call_classifier
    from qa_service.domain import CallMetadata, Campaign, Direction
    from qa_service.settings import get_settings

    transcript, metadata = _read_call(transcript_file)
    if direction or campaign:
        try:
            metadata = replace(
                metadata or CallMetadata(call_id=transcript_file.stem, language=transcript.language),
                direction=Direction(direction or ("outbound" if campaign else "inbound")),
                campaign=Campaign(campaign) if campaign else None,
            )
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
    clf = KeywordClassifier() if baseline else load_call_classifier(get_settings())
    result = clf.classify(transcript, metadata)
    out = classification_dict(result, transcript)
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    scores = out["contact_reason_scores"]
    typer.echo(f"contact reasons: {', '.join(out['contact_reasons']) or '-'}   "
               f"({', '.join(f'{k} {v:.2f}' for k, v in scores.items())})")
    for ev in out["complaint_evidence"]:
        typer.echo(f"  complaint #{ev['index']}: {ev['text']}")
    business = out["business_type"]
    typer.echo(f"business type:   {business} ({out['business_type_scores'][business]:.2f})")
    esc = out["escalation"]
    typer.echo(f"escalation risk: {'YES' if esc['risk'] else 'no'} ({esc['score']:.2f})")
    for ev in esc["evidence"]:
        typer.echo(f"  escalation #{ev['index']}: {ev['text']}")
    if out["outcome"]:
        typer.echo(f"outcome:         {out['outcome']} ({out['outcome_score']:.2f})")
    typer.echo("customer sentiment:")
    for s in out["sentiment"]:
        text = transcript.utterances[s["index"]].text
        typer.echo(f"  #{s['index']:<3} {s['sentiment']:<8} {s['score']:.2f}  {text[:60]}")
    typer.echo(f"model: {out['model']}")


def train_classifier(
    out: Path = typer.Option(None, "--out", help="Model directory (default: <data_dir>/call-classifier)"),
    extra_labels: list[Path] = typer.Option(
        [], "--extra-labels", help="Supervisors' review export (JSONL; see qa_service/classifiers/dataset.py)"
    ),
    epochs: int = typer.Option(40, "--epochs", min=1, help="Passes over the training calls per member."),
    members: int = typer.Option(5, "--members", min=1, help="Ensemble size."),
    seed: int = typer.Option(1101, "--seed"),
    threads: int = typer.Option(1, "--threads", min=0, help="torch threads (0 = library default)."),
    train_file: Path = typer.Option(None, "--train", help="Training JSONL (default: the bundled corpus)."),
    test_file: Path = typer.Option(None, "--test", help="Held-out JSONL (default: the bundled test set)."),
    limit: int = typer.Option(None, "--limit", min=1, help="Use only the first N training calls."),
) -> None:
    """Train the call classifier (frozen e5 encoder + heads) and write a model directory with its card."""
    from qa_service.classifiers.dataset import TEST_FILE, TRAIN_FILE
    from qa_service.classifiers.evaluate import format_tables
    from qa_service.classifiers.train import TrainOptions
    from qa_service.classifiers.workflow import train_classifier as run
    from qa_service.settings import get_settings

    settings = get_settings()
    out_dir = out or settings.data_dir / "call-classifier"
    options = TrainOptions(epochs=epochs, members=members, seed=seed, threads=threads)
    result = run(settings, out_dir, extra_files=extra_labels, train_file=train_file or TRAIN_FILE,
                 test_file=test_file or TEST_FILE, limit=limit, options=options)
    typer.echo(format_tables(result.reports))
    typer.echo(f"trained on {result.train_calls} calls ({result.review_calls} from reviews) "
               f"in {result.seconds:.0f}s")
    typer.echo(f"wrote {result.out_dir} (use it with QA_CLASSIFIER_MODEL={result.out_dir})")


def eval_classifier(
    model: Path = typer.Option(None, "--model", help="Model directory (default: the configured classifier)."),
    test_file: Path = typer.Option(None, "--test", help="Held-out JSONL (default: the bundled test set)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Per-class precision, recall and F1 of the model and the keyword baseline on the held-out set."""
    from qa_service.classifiers.dataset import TEST_FILE
    from qa_service.classifiers.evaluate import format_tables
    from qa_service.classifiers.workflow import evaluate_classifier
    from qa_service.settings import get_settings
    from qa_service.weights import resolve_model

    settings = get_settings()
    model_dir = model or resolve_model("classifier", settings).path
    reports = evaluate_classifier(settings, model_dir, test_file or TEST_FILE)
    if as_json:
        data = {name: {task: {"macro_f1": round(r.macro_f1, 4), "classes": [c.__dict__ for c in r.classes]}
                       for task, r in rep.items()} for name, rep in reports.items()}
        typer.echo(json.dumps(data, indent=2))
        return
    typer.echo(f"model: {model_dir}")
    typer.echo(format_tables(reports))


def choose_classifier_rules(
    model: Path = typer.Option(None, "--model", help="Model directory (default: the configured classifier)."),
    test_file: Path = typer.Option(None, "--test", help="Calls the model was not trained on (default: the "
                                   "bundled test set): half choose the rules, half report on them."),
    write: bool = typer.Option(False, "--write", help="Store the chosen rules in the model's config.json."),
) -> None:
    """Choose how the model and the keyword rules decide complaint and escalation (model, keywords,
    either, both): best F1 on a validation split, recall reported on a held-out split."""
    from qa_service.classifiers.dataset import TEST_FILE
    from qa_service.classifiers.workflow import choose_decision_rules, format_rules_choice
    from qa_service.settings import get_settings
    from qa_service.weights import resolve_model

    settings = get_settings()
    model_dir = model or resolve_model("classifier", settings).path
    choice = choose_decision_rules(settings, model_dir, test_file or TEST_FILE, write=write)
    typer.echo(f"model: {model_dir}")
    typer.echo(format_rules_choice(choice))
    typer.echo(f"chosen: {choice.rules.to_dict()}" + (" (written to config.json)" if write else
                                                      " (not written: add --write)"))


def register(app: typer.Typer) -> None:
    app.command("classify")(classify)
    app.command("train-classifier")(train_classifier)
    app.command("eval-classifier")(eval_classifier)
    app.command("choose-classifier-rules")(choose_classifier_rules)
