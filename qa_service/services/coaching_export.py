"""A coaching set as a zip a trainer can open anywhere: one WAV per clip (PII always bleeped: an export
leaves the tool), the clip's redacted transcript as text, ``index.html`` (open it in a browser: plays
each clip beside its transcript and notes) and ``index.csv``. The export is in the audit log."""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_service.playback import TimeSpan, bleep_spans, render_audio
from qa_service.services.access import Permission, Principal
from qa_service.services.coaching import ClipView, set_view
from qa_service.services.context import ServiceContext
from qa_service.store import audit
from qa_service.store.models import Call, UtteranceRow
from qa_service.store.results import load_transcript
from qa_service.store.states import AuditAction

INDEX_COLUMNS = ("position", "title", "example", "call_id", "agent_id", "start_s", "end_s", "audio", "transcript",
                 "note")
_ROLE = {"agent": "Agent 坐席", "customer": "Customer 客户"}


@dataclass(frozen=True)
class ZipExport:
    file_name: str
    data: bytes
    clips: int


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_.-]+", "_", text).strip("_")[:60] or "clip"


def _clip_text(session: Session, call_pk: int, clip: ClipView) -> str:
    rows = session.scalars(select(UtteranceRow).where(UtteranceRow.call_pk == call_pk,
                                                      UtteranceRow.end_s > clip.start_s,
                                                      UtteranceRow.start_s < clip.end_s)
                           .order_by(UtteranceRow.idx))
    head = [f"# {clip.title or 'clip'} — call {clip.call_id}, {clip.start_s:.1f}–{clip.end_s:.1f} s, "
            f"{clip.example} example", *([f"# {clip.note}"] if clip.note else [])]
    lines = [f"[{u.start_s - clip.start_s:+.1f} s] {_ROLE.get(u.role, u.role)}: {u.text}" for u in rows]
    return "\n".join([*head, *lines]) + "\n"


def _index_html(name: str, entries: list[dict[str, str]]) -> str:
    rows = "\n".join(
        f"<section><h2>{html.escape(e['position'])}. {html.escape(e['title'] or 'clip')} "
        f"<small>({html.escape(e['example'])} example)</small></h2>"
        f"<p>call {html.escape(e['call_id'])} · agent {html.escape(e['agent_id'])} · "
        f"{html.escape(e['start_s'])}–{html.escape(e['end_s'])} s</p>"
        f"<p>{html.escape(e['note'])}</p><audio controls preload=\"none\" src=\"{html.escape(e['audio'])}\"></audio>"
        f"<p><a href=\"{html.escape(e['transcript'])}\">transcript</a></p></section>" for e in entries)
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{html.escape(name)}</title></head>"
            f"<body><h1>{html.escape(name)}</h1>{rows}</body></html>\n")


def export_set(ctx: ServiceContext, session: Session, principal: Principal, set_id: int, *,
               client: str = "") -> ZipExport:
    principal.require(Permission.COACHING_READ)
    view = set_view(session, principal, set_id)
    buffer = io.BytesIO()
    entries: list[dict[str, str]] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for n, clip in enumerate(view.clips, start=1):
            call = session.scalars(select(Call).where(Call.call_id == clip.call_id)).one()
            spans = bleep_spans(load_transcript(session, call.id))
            rendition = render_audio(ctx.settings, audio_path=ctx.audio_store.open_path(call.audio_sha256),
                                     sha256=call.audio_sha256, bleep=spans, clip=TimeSpan(clip.start_s, clip.end_s))
            stem = f"{n:02d}_{clip.example}_{_slug(clip.title or clip.call_id)}"
            zf.write(rendition.path, f"clips/{stem}.wav")
            zf.writestr(f"transcripts/{stem}.txt", _clip_text(session, call.id, clip))
            entries.append({"position": str(n), "title": clip.title, "example": clip.example,
                            "call_id": clip.call_id, "agent_id": clip.agent_id or "",
                            "start_s": f"{clip.start_s:.2f}", "end_s": f"{clip.end_s:.2f}",
                            "audio": f"clips/{stem}.wav", "transcript": f"transcripts/{stem}.txt",
                            "note": clip.note})
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=INDEX_COLUMNS)
        writer.writeheader()
        writer.writerows(entries)
        zf.writestr("index.csv", "\ufeff" + out.getvalue())
        zf.writestr("index.html", _index_html(view.name, entries))
    audit.record(session, AuditAction.EXPORT, user_id=principal.user_id, client=client,
                 detail={"what": "coaching_set", "set_id": set_id, "clips": len(entries), "bleeped": True})
    return ZipExport(file_name=f"coaching_{set_id}_{_slug(view.name)}.zip", data=buffer.getvalue(),
                     clips=len(entries))
