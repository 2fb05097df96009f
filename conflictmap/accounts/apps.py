from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "conflictmap.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from . import roles  # the roles module imports auth models, which need the app registry

        # Permissions exist only after every app's migrations, so the groups are made after migrate.
        post_migrate.connect(roles.on_post_migrate, dispatch_uid="conflictmap-roles")
