from django.apps import AppConfig


class AcledConfig(AppConfig):
    name = "conflictmap.acled"
    label = "acled"
    verbose_name = "ACLED"
    default_auto_field = "django.db.models.BigAutoField"
