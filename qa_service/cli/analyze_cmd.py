"""``qa-service analyze FILE`` (a recorded call → role-labelled transcript) and ``qa-service eval``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from qa_service.domain import RecognitionHints
    from qa_service.settings import Settings


@dataclass
class _Bar:
    """A tqdm bar on stderr fed by the pipeline's progress hook (one bar, re-labelled per stage)."""

    bar: Any = None
    stage: str = ""
    totals: dict[str, float] = field(default_factory=dict)

    def __call__(self, stage: str, completed: float, total: float) -> None:
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(total=100, file=None, unit="%", leave=False, dynamic_ncols=True,
                            bar_format="{desc:<22}{percentage:3.0f}%|{bar}| {elapsed}")
        if stage != self.stage:
            self.stage = stage
            self.bar.set_description_str(stage)
        self.bar.n = 100.0 * min(1.0, completed / total) if total > 0 else 100.0
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def analyze(
    file: Path = typer.Argument(..., help="A recorded call (WAV, MP3, FLAC, OGG/Opus, M4A; mono or stereo)."),
    as_json: bool = typer.Option(False, "--json", help="Print the transcript as interchange JSON."),
    srt: bool = typer.Option(False, "--srt", help="Print SubRip subtitles."),
    vtt: bool = typer.Option(False, "--vtt", help="Print WebVTT subtitles."),
    rttm: bool = typer.Option(False, "--rttm", help="Print speaker turns as RTTM."),
    language: str | None = typer.Option(None, "--language", "-l", help='"zh", "en" or "auto".'),
    agent_channel: str | None = typer.Option(None, "--agent-channel",
                                             help="Stereo: the agent's channel: 0/1 or left/right."),
    speakers: int | None = typer.Option(None, "--speakers", help="Mono: number of speakers (0 = estimate)."),
    mono: bool = typer.Option(False, "--mono", help="Diarize a stereo file as one mixed channel."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
) -> None:
    """Transcribe, diarize and label agent/customer in one call."""
    from qa_service import formats
    from qa_service.domain.call import parse_channel
    from qa_service.interchange import transcript_to_dict
    from qa_service.pipeline import SpeechOptions, analyze_speech, decode_audio, load_speech_models
    from qa_service.settings import get_settings

    if sum((as_json, srt, vtt, rttm)) > 1:
        raise typer.BadParameter("choose one of --json, --srt, --vtt, --rttm")
    if language not in (None, "zh", "en", "auto"):
        raise typer.BadParameter('--language must be "zh", "en" or "auto"')
    channel = parse_channel(agent_channel) if agent_channel is not None else None
    if agent_channel is not None and channel is None:
        raise typer.BadParameter("--agent-channel must be 0, 1, left or right")
    settings = get_settings()
    audio = decode_audio(file)
    options = SpeechOptions.from_settings(settings, None, language=language, agent_channel=channel,
                                          num_speakers=speakers,
                                          force_mono=mono or None,
                                          hints=_default_hints(settings))
    bar = _Bar() if progress else None
    try:
        result = analyze_speech(audio, None, load_speech_models(settings), options,
                                bar if bar is not None else _silent)
    finally:
        if bar is not None:
            bar.close()
    transcript = result.transcript
    if as_json:
        typer.echo(json.dumps(transcript_to_dict(transcript), ensure_ascii=False, indent=2))
    elif srt:
        typer.echo(formats.to_srt(transcript), nl=False)
    elif vtt:
        typer.echo(formats.to_vtt(transcript), nl=False)
    elif rttm:
        typer.echo(formats.to_rttm(result.diarization.turns, file.stem, transcript.roles), nl=False)
    else:
        typer.echo(formats.to_text(transcript), nl=False)


def _default_hints(settings: Settings) -> RecognitionHints:
    """A file without call metadata is taken for an inbound call: its rubric's hints, as the service
    would give them (so `analyze` writes what the service would store)."""
    from qa_service.pipeline.speech import LANGUAGES
    from qa_service.rubrics import load_rubrics
    from qa_service.rubrics.hints import call_hints

    return call_hints(load_rubrics(settings.rubric_dir, settings.rubric_vars), None, LANGUAGES)


def _silent(stage: str, completed: float, total: float) -> None:
    return None


def evaluate(
    directory: Path | None = typer.Argument(None, help="Sample calls (default: settings.sample_dir) or a "
                                                       "folder of audio with .rttm/.txt references."),
    mode: str = typer.Option("all", "--mode", help="stereo, mono, telephony or all (sample calls)."),
    as_json: bool = typer.Option(False, "--json", help="Print rows and totals as JSON."),
    limit: int | None = typer.Option(None, "--limit", help="Only the first N calls."),
    language: str | None = typer.Option(None, "--language", "-l", help="Force a language for every file."),
    verdicts: bool = typer.Option(False, "--verdicts", help="Sample calls: also score the rubric on what was "
                                  "heard and compare each item with the answers (and with the reference)."),
    calibrate: bool = typer.Option(False, "--calibrate", help="Sample calls: choose review_confidence per "
                                   "language on half the calls, report before/after on the other half."),
    live: bool = typer.Option(False, "--live", help="Sample calls: follow each as a live 8 kHz call and compare "
                              "the live alerts with the answers (instead of the recorded-call figures)."),
) -> None:
    """Run the pipeline over a folder; print WER/CER, DER, role accuracy and real-time factor (and, with
    --verdicts, rubric item agreement, the review share and the accuracy of the verdicts not reviewed)."""
    from qa_service.evaluation import discover, evaluate, format_table, to_json
    from qa_service.evaluation.runner import MODES
    from qa_service.pipeline import load_speech_models
    from qa_service.settings import get_settings

    if mode not in (*MODES, "all"):
        raise typer.BadParameter(f"--mode must be one of {', '.join((*MODES, 'all'))}")
    settings = get_settings()
    folder = directory or settings.sample_dir
    if not folder.is_dir():
        raise typer.BadParameter(f"{folder} is not a folder")
    if live:
        _live_alerts(folder, settings, as_json, limit, language)
        return
    items = discover(folder, MODES if mode == "all" else (mode,))
    if limit is not None:
        names = list(dict.fromkeys(i.name for i in items))[:limit]
        items = [i for i in items if i.name in names]
    if not items:
        raise typer.BadParameter(f"no audio to evaluate in {folder}")

    def on_row(row: Any) -> None:
        status = row.error or f"{row.seconds:.1f} s"
        typer.echo(f"  {row.item.name} ({row.item.mode}): {status}", err=True)

    summary = evaluate(items, load_speech_models(settings), settings, language, on_row)
    if as_json:
        out = to_json(summary)
        if verdicts or calibrate:
            out["verdicts"] = _verdict_json(summary.rows, settings)
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    typer.echo(format_table(summary))
    if verdicts or calibrate:
        typer.echo("")
        typer.echo(_verdict_text(summary.rows, settings, calibrate))


def _live_alerts(folder: Path, settings: Any, as_json: bool, limit: int | None, language: str | None) -> None:
    import tempfile
    from dataclasses import asdict

    from qa_service.evaluation.live_alerts import evaluate_live_alerts, format_live_alerts, tally
    from qa_service.rubrics import load_rubrics
    from qa_service.samples import iter_samples
    from qa_service.services.context import ServiceContext
    from qa_service.services.live import LiveHub
    from qa_service.store.migrate import upgrade

    samples = [s for s in iter_samples(folder) if language is None or s.language == language][:limit]
    if not samples:
        raise typer.BadParameter(f"no sample calls in {folder}")
    with tempfile.TemporaryDirectory() as tmp:  # the hub's store; nothing of it is kept
        scratch = settings.model_copy(update={"data_dir": Path(tmp), "database_url": None})
        upgrade(scratch)
        hub = LiveHub(ServiceContext(scratch), workers=1)
        try:
            cases = evaluate_live_alerts(hub, samples, load_rubrics(settings.rubric_dir, settings.rubric_vars),
                                         on_case=lambda c: typer.echo(f"  {c.call_id}: {c.seconds:.1f} s", err=True))
        finally:
            hub.close()
    if as_json:
        typer.echo(json.dumps({"cases": [{**asdict(c), "expected": sorted(c.expected), "fired": sorted(c.fired)}
                                         for c in cases],
                               "tally": [{**asdict(t), "agreement": t.agreement} for t in tally(cases)]},
                              ensure_ascii=False, indent=2))
    else:
        typer.echo(format_live_alerts(cases))


def _verdict_text(rows: Any, settings: Any, with_calibration: bool) -> str:
    from qa_service.evaluation.verdict_report import all_verdicts, calibrations, format_calibration, format_verdicts
    from qa_service.rubrics import load_rubrics
    from qa_service.weights.review import review_confidence_by_language

    rubrics = load_rubrics(settings.rubric_dir, settings.rubric_vars)  # as shipped; the recogniser's thresholds below
    text = format_verdicts(all_verdicts(rows, rubrics, review_confidence_by_language(settings)))
    if with_calibration:
        text += "\n\n" + format_calibration(rows, rubrics, calibrations(rows, rubrics))
    return text


def _verdict_json(rows: Any, settings: Any) -> dict[str, Any]:
    from qa_service.evaluation.verdict_report import all_verdicts, verdicts_json
    from qa_service.rubrics import load_rubrics
    from qa_service.weights.review import review_confidence_by_language

    rubrics = load_rubrics(settings.rubric_dir, settings.rubric_vars)
    return verdicts_json(all_verdicts(rows, rubrics, review_confidence_by_language(settings)))


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
    app.command("eval")(evaluate)
