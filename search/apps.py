from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Buscador")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from . import schema

        connection_created.connect(schema.register_sqlite_functions)
        pre_migrate.connect(schema.drop_sqlite_triggers, sender=self)
        post_migrate.connect(schema.ensure_sqlite_triggers, sender=self)
