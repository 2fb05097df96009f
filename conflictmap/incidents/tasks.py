"""Celery tasks of incidents: geocode one article (queued by name from `conflictmap.articles.queue`)."""

from __future__ import annotations

import logging

from celery import Task, shared_task

from conflictmap.articles.models import Article
from conflictmap.articles.queue import GEOCODE_TASK

from .geocoding import TRANSIENT, run_geocode

logger = logging.getLogger(__name__)


class GeocodeTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Retries are exhausted (a transient error that would not go away): record it if we can."""
        try:
            Article.objects.mark_failed(args[0], f"{type(exc).__name__} after retries: {exc}")
        except Exception:  # the database itself may be the problem; the sweep will find the article
            logger.warning("could not mark article %s failed", args[0], exc_info=True)


# How a task retries: transient errors only (the database or broker briefly away), backing off up to 5 minutes.
RETRY_TRANSIENT = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(bind=True, name=GEOCODE_TASK, base=GeocodeTask, **RETRY_TRANSIENT)
def geocode_article(self: Task, article_id: int, worker: str = "") -> str:
    """Find the article's places and incidents and store them."""
    return run_geocode(article_id, worker=worker or self.request.hostname or "")
