from django.core.management.base import BaseCommand
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ogp_data.loaders import load_mexico_ogp


class Command(BaseCommand):
    help = (
        "Carga o actualiza los datos de México en la Alianza para el Gobierno Abierto "
        "(entidades, planes de acción, compromisos). Ejecutarlo de nuevo no cambia nada."
    )

    def handle(self, *args, **options):
        report = load_mexico_ogp()
        for model, counts in report.counts.items():
            self.stdout.write(
                _(
                    "%(model)s: creados %(created)d, actualizados %(updated)d, "
                    "sin cambios %(unchanged)d"
                )
                % {
                    "model": capfirst(model._meta.verbose_name_plural),
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                }
            )
