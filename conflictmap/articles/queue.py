"""The geocoding queue as articles see it: a task name, not the code that runs it.

The task itself lives in `conflictmap.incidents.tasks`, next to the rows it writes; articles
only name it, so the dependency points from incidents to articles and never back.
"""

from __future__ import annotations

import logging

from celery import current_app
from django.utils import timezone

from .models import Article, Status

logger = logging.getLogger(__name__)

GEOCODE_TASK = "conflictmap.incidents.tasks.geocode_article"


def enqueue(article_id: int) -> bool:
    """Send the article to the geocoding queue; if the broker is down, the sweep will retry it."""
    try:
        # Through the registry, not send_task: eager mode and test patches apply to the task object.
        current_app.tasks[GEOCODE_TASK].delay(article_id)
    except Exception:  # any broker failure: the row is committed and stays pending
        logger.warning("could not queue article %s; the sweep will re-queue it", article_id, exc_info=True)
        return False
    return True


def geocode_now(article_id: int, worker: str) -> str:
    """Geocode the article in this process (no broker); return the status it ends in."""
    return str(current_app.tasks[GEOCODE_TASK](article_id, worker=worker))


def requeue(ids: list[int]) -> int:
    """Mark the articles pending and queue them; return how many were queued."""
    queued = 0
    for article_id in ids:
        Article.objects.filter(pk=article_id).update(status=Status.PENDING, status_at=timezone.now())
        queued += enqueue(article_id)
    return queued
