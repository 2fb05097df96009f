from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "conflictmap.articles"
    label = "articles"
    verbose_name = "Articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the sweep task in every process, not only in workers (Celery's autodiscovery is lazy).
        from . import tasks  # noqa: F401
