"""Recorded audio: WAV with HTTP Range (206), clips by time, PII bleeped unless the person may hear it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from api.deps import Client, Context, Require
from qa_service.playback import parse_range, read_range
from qa_service.services.access import Permission, Principal
from qa_service.services.listening import recorded_audio

router = APIRouter(tags=["audio"])


@router.get("/calls/{call_id}/audio", summary="Listen to a recorded call (Range requests; clip by start/end)",
            response_class=Response, responses={200: {"content": {"audio/wav": {}}},
                                                206: {"content": {"audio/wav": {}}}})
def audio(call_id: str, request: Request, principal: Annotated[Principal, Depends(Require(Permission.AUDIO_LISTEN))],
          ctx: Context, client: Client,
          start: Annotated[float | None, Query(ge=0, le=86_400)] = None,
          end: Annotated[float | None, Query(gt=0, le=86_400)] = None) -> Response:
    with ctx.session() as session:
        listening = recorded_audio(ctx, session, principal, call_id, start=start, end=end, client=client)
    r = listening.rendition
    rng = parse_range(request.headers.get("range"), r.size_bytes)
    headers = {"Accept-Ranges": "bytes", "ETag": r.etag, "Cache-Control": "private, no-store",
               "Content-Disposition": f'inline; filename="{listening.file_name}"',
               "X-PII-Bleeped": "true" if listening.bleeped else "false"}
    if rng is None:
        headers["Content-Length"] = str(r.size_bytes)
        return StreamingResponse(read_range(r.path, None), media_type=r.media_type, headers=headers)
    headers.update({"Content-Range": rng.content_range, "Content-Length": str(rng.length)})
    return StreamingResponse(read_range(r.path, rng), status_code=206, media_type=r.media_type, headers=headers)
