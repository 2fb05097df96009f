from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "conflictmap.rules"
    label = "rules"
    verbose_name = "Event rules and actors"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the cache invalidation)
