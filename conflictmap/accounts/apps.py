from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "conflictmap.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from . import roles  # the roles module imports auth models, which need the app registry

        # Permissions exist only after every app's migrations, so the groups are made after migrate.
        post_migrate.connect(roles.on_post_migrate, dispatch_uid="conflictmap-roles")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin app with our admins-only site as `admin.site` (named in INSTALLED_APPS)."""

    default = False  # not a candidate when Django picks this module's AppConfig for accounts
    default_site = "conflictmap.accounts.admin_site.AdminSite"
