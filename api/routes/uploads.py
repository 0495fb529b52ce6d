"""Upload recordings (multipart): one or many files with metadata; processing is queued."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from pydantic import BaseModel

from api.deps import Client, Context, Require, get_dispatcher
from qa_service.services.access import Permission, Principal
from qa_service.services.dispatch import Dispatcher
from qa_service.services.uploads import upload_files

router = APIRouter(tags=["uploads"])


class RejectedFile(BaseModel):
    file: str
    kind: str
    reason: str


class UploadOut(BaseModel):
    batch_id: int
    accepted: list[str]
    rejected: list[RejectedFile]


@router.post("/uploads", response_model=UploadOut, status_code=201, summary="Upload recordings with metadata")
def upload(principal: Annotated[Principal, Depends(Require(Permission.CALLS_UPLOAD))], ctx: Context, client: Client,
           dispatcher: Annotated[Dispatcher, Depends(get_dispatcher)],
           files: Annotated[list[UploadFile], File(description="Audio files (any container; type sniffed)")],
           metadata: Annotated[str | None, Form(description="JSON: one object for all files, or a list, "
                                                            "one per file")] = None) -> UploadOut:
    report = upload_files(ctx, dispatcher, principal, [(f.file, f.filename or "upload") for f in files], metadata,
                          client=client)
    return UploadOut(batch_id=report.batch_id, accepted=report.accepted,
                     rejected=[RejectedFile(file=r.file, kind=r.kind, reason=r.reason) for r in report.rejected])
