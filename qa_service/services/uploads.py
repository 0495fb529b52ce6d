"""Uploads from the supervisor API: receive the files (size limit, type by content), take their
metadata, ingest them through folder ingest's code path (same dedupe and rejection records), queue
the accepted calls, and audit the upload. When no file is accepted the request fails (422) with every
file's reason — the rejection records are kept all the same."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from qa_service.errors import IngestError
from qa_service.ingest.run import IngestReport
from qa_service.ingest.upload import UploadItem, parse_upload_metadata, received_uploads, upload_and_queue
from qa_service.services.access import Permission, Principal
from qa_service.services.context import ServiceContext
from qa_service.services.dispatch import Dispatcher
from qa_service.store import audit
from qa_service.store.states import AuditAction


def upload_files(ctx: ServiceContext, dispatcher: Dispatcher, principal: Principal,
                 parts: Sequence[tuple[BinaryIO, str]], metadata: str | None, *, client: str = "") -> IngestReport:
    principal.require(Permission.CALLS_UPLOAD)
    with received_uploads(ctx.settings, parts) as received:
        fields = parse_upload_metadata(metadata, [r.name for r in received])
        items = [UploadItem(r.path, r.name, m) for r, m in zip(received, fields, strict=True)]
        report = upload_and_queue(ctx, dispatcher, items, source=f"upload:{principal.username}")
    with ctx.session() as session:
        audit.record(session, AuditAction.UPLOAD, user_id=principal.user_id, client=client,
                     detail={"batch_id": report.batch_id, "accepted": report.accepted,
                             "rejected": [{"file": r.file, "kind": r.kind} for r in report.rejected]})
    if not report.accepted:
        reasons = "; ".join(f"{r.file} ({r.kind}): {r.reason}" for r in report.rejected)
        raise IngestError(f"no file was accepted — {reasons}", field="files", batch_id=report.batch_id)
    return report
