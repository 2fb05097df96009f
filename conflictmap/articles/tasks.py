"""Celery tasks: geocode one article, and sweep up articles that a dead worker or broker left behind."""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Callable

from celery import Task, shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from geoparse.types import GeoparseResult

from .models import Article, Status

logger = logging.getLogger(__name__)

# Errors worth retrying: the database or broker is briefly away. Anything else is a bug or bad data.
TRANSIENT = (OperationalError, InterfaceError, BrokerError, ConnectionError, TimeoutError)
# A poison article (one that kills its worker every time) is given up after this many claims.
MAX_ATTEMPTS = 8


def stale_after() -> datetime.timedelta:
    """How long an article may sit pending or processing before the sweep re-queues it."""
    seconds = getattr(settings, "ARTICLE_STALE_SECONDS", None) or os.environ.get(
        "CONFLICTMAP_STALE_SECONDS", "600"
    )
    return datetime.timedelta(seconds=float(seconds))


def claim(article_id: int, worker: str) -> Article | None:
    """Mark a pending or processing article as processing by this worker; None if there is nothing to do."""
    claimable = Article.objects.filter(pk=article_id, status__in=[Status.PENDING, Status.PROCESSING])
    updated = claimable.update(
        status=Status.PROCESSING, status_at=timezone.now(), claimed_by=worker, attempts=F("attempts") + 1
    )
    if not updated:
        return None
    return Article.objects.get(pk=article_id)


def mark_failed(article_id: int, message: str) -> None:
    Article.objects.filter(pk=article_id).update(
        status=Status.FAILED, status_at=timezone.now(), error=message[:2000]
    )


def real_geoparse(text: str, **kwargs) -> GeoparseResult:
    """Run the shared pipeline against this process's gazetteer index."""
    from conflictmap.rules.provider import current_rules
    from gazetteer.index import get_index
    from geoparse.pipeline import geoparse

    kwargs.setdefault("rules", current_rules())
    return geoparse(text, get_index(), **kwargs)


def run_geocode(article_id: int, worker: str = "", parse: Callable[..., GeoparseResult] | None = None) -> str:
    """Geocode one article in this process; return the status it ends in."""
    from conflictmap.incidents.persist import save_result

    parse = parse or real_geoparse
    article = claim(article_id, worker)
    if article is None:
        return "skipped"
    if article.attempts > MAX_ATTEMPTS:
        mark_failed(
            article_id, f"gave up after {MAX_ATTEMPTS} attempts (the worker died or timed out each time)"
        )
        return Status.FAILED
    try:
        result = parse(article.body, published=article.published, lang=article.lang or None)
        save_result(article, result)
    except TRANSIENT:
        raise
    except Exception as exc:  # a permanent error: record it on the article instead of crashing the worker
        logger.exception("geocoding article %s failed", article_id)
        mark_failed(article_id, f"{type(exc).__name__}: {exc}")
        return Status.FAILED
    return Status.DONE


class GeocodeTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Retries are exhausted (a transient error that would not go away): record it if we can."""
        try:
            mark_failed(args[0], f"{type(exc).__name__} after retries: {exc}")
        except Exception:  # the database itself may be the problem; the sweep will find the article
            logger.warning("could not mark article %s failed", args[0], exc_info=True)


@shared_task(
    bind=True,
    base=GeocodeTask,
    autoretry_for=TRANSIENT,
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def geocode_article(self: Task, article_id: int) -> str:
    """Find the article's places and incidents and store them."""
    return run_geocode(article_id, worker=self.request.hostname or "")


def stale_articles(worker: str = "") -> list[int]:
    """Ids of articles pending or processing for too long, or claimed by a worker that just restarted."""
    cutoff = timezone.now() - stale_after()
    waiting = Q(status__in=[Status.PENDING, Status.PROCESSING], status_at__lt=cutoff)
    if worker:
        waiting |= Q(status=Status.PROCESSING, claimed_by=worker)
    return list(Article.objects.filter(waiting).values_list("pk", flat=True))


def requeue(ids: list[int]) -> int:
    """Mark the articles pending and queue them; return how many were queued."""
    from .ingest import enqueue

    queued = 0
    for article_id in ids:
        Article.objects.filter(pk=article_id).update(status=Status.PENDING, status_at=timezone.now())
        queued += enqueue(article_id)
    return queued


@shared_task
def sweep_stale(worker: str = "") -> int:
    """Re-queue articles left behind by a dead worker or an unreachable broker."""
    ids = stale_articles(worker)
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


def add_periodic_sweep() -> None:
    """Schedule the sweep every few minutes for deployments that run celery beat (worker -B)."""
    from conflictmap.celery import app

    schedule = dict(app.conf.beat_schedule or {})
    schedule.setdefault(
        "sweep-stale-articles",
        {"task": "conflictmap.articles.tasks.sweep_stale", "schedule": stale_after().total_seconds() / 2},
    )
    app.conf.beat_schedule = schedule


add_periodic_sweep()
