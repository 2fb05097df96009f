"""Keep this process's in-memory index in step with edits made in it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import index
from .models import Place, PlaceName


@receiver([post_save, post_delete], sender=Place)
@receiver([post_save, post_delete], sender=PlaceName)
def drop_index(**kwargs) -> None:
    """Rebuild the index on next use; other processes notice through its token."""
    index.invalidate()
