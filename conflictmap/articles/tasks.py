"""Celery tasks of articles: sweep up the ones a dead worker or an unreachable broker left behind."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import worker_ready

from .models import Article
from .queue import requeue

logger = logging.getLogger(__name__)


@shared_task
def sweep_stale(worker: str = "") -> int:
    """Re-queue articles left behind by a dead worker or an unreachable broker."""
    ids = Article.objects.stale(worker)
    if ids:
        logger.info("sweep: re-queuing %d stale article(s)", len(ids))
    return requeue(ids)


@worker_ready.connect
def sweep_on_start(sender=None, **kwargs) -> None:
    """When a worker starts, anything it had claimed before it died is orphaned: re-queue it."""
    hostname = getattr(sender, "hostname", "") or ""
    try:
        sweep_stale.delay(hostname)
    except Exception:
        logger.warning("could not queue the start-up sweep", exc_info=True)
