from django.apps import AppConfig


class AcledConfig(AppConfig):
    name = "conflictmap.acled"
    label = "acled"
    verbose_name = "ACLED"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the import task in every process, not only in workers (Celery's autodiscovery is lazy):
        # the upload page queues it by name (ImportJob.enqueue).
        from . import tasks  # noqa: F401
