"""Keep events consistent when their reports are deleted (an article deleted takes its incidents along)."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Event, Incident


@receiver(post_delete, sender=Incident)
def refresh_event(instance: Incident, **kwargs: Any) -> None:
    """Recompute the deleted report's event once the deletion commits (archived if it was the last)."""
    event_id = instance.event_id
    if event_id is not None:
        transaction.on_commit(lambda: _refresh(event_id))


def _refresh(event_id: int) -> None:
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        event.refresh()
