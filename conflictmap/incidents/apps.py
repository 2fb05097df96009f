from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "conflictmap.incidents"
    label = "incidents"
    verbose_name = "Incidents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the geocode task in every process, not only in workers (Celery's autodiscovery is lazy):
        # `ingest --now`, the article form and the admin look it up by name (conflictmap.articles.queue).
        from . import signals, tasks  # noqa: F401
