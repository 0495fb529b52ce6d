"""Progress reporting through a hook the caller passes in (like pyannote's pipeline hooks).

The pipeline calls ``hook(stage, completed, total)``; the CLI turns that into a progress bar and a
Celery task into task state, without the pipeline knowing either.
"""

from __future__ import annotations

from typing import Protocol


class ProgressHook(Protocol):
    def __call__(self, stage: str, completed: float, total: float) -> None: ...


def no_progress(stage: str, completed: float, total: float) -> None:
    """The default hook: report nothing."""
