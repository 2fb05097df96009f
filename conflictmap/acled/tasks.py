"""Celery task of the ACLED app: import one uploaded CSV (queued by name from ImportJob.enqueue)."""

from __future__ import annotations

import logging

from celery import Task, shared_task

from conflictmap.incidents.tasks import RETRY_TRANSIENT

from .models import IMPORT_TASK, ImportJob, JobStatus

logger = logging.getLogger(__name__)


class ImportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Retries are exhausted (a transient error that would not go away): say so on the job if we can."""
        try:
            ImportJob.objects.get(pk=args[0]).finish(
                JobStatus.FAILED, f"{type(exc).__name__} after retries: {exc}"
            )
        except Exception:  # the database itself may be the problem
            logger.warning("could not mark ACLED import %s failed", args[0], exc_info=True)


@shared_task(name=IMPORT_TASK, base=ImportTask, **RETRY_TRANSIENT)
def import_acled_file(job_id: int) -> str:
    """Import the job's uploaded file."""
    return ImportJob.objects.get(pk=job_id).run()
