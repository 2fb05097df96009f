"""Keep this process's cached rules in step with edits made in it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import provider
from .models import Actor, ActorAlias, EventRule, NotPlace


@receiver([post_save, post_delete], sender=EventRule)
@receiver([post_save, post_delete], sender=Actor)
@receiver([post_save, post_delete], sender=ActorAlias)
@receiver([post_save, post_delete], sender=NotPlace)
def drop_rules(**kwargs) -> None:
    """Rebuild the rules on next use; other processes notice through the token."""
    provider.invalidate()
