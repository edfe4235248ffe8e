from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from search import schema
from search.models import SearchEntry


class Command(BaseCommand):
    help = _(
        "Vuelve a indexar todo el buscador desde las tablas de origen (tras cambiar la clave o "
        "el plan de un compromiso, cuyos hitos e informes conservan los datos anteriores)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            schema.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                _("Buscador: %(count)s entradas.") % {"count": SearchEntry.objects.count()}
            )
        )
