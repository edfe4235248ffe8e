from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from indicators.progress import ProgressBar
from indicators.services import CHUNK_SIZE, SQL_CHUNK_SIZE, recompute_all


class Command(BaseCommand):
    help = _(
        "Recalcula los indicadores de todos los compromisos, planes, entidades y el país, "
        "y guarda la instantánea del día."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=None,
            help=_("Compromisos por lote (por omisión %(sql)s en PostgreSQL y %(orm)s en SQLite).")
            % {"sql": SQL_CHUNK_SIZE, "orm": CHUNK_SIZE},
        )

    def handle(self, *args, chunk_size, **options):
        bar = ProgressBar(self.stdout, label=_("Compromisos") + " ")
        summary = recompute_all(chunk_size=chunk_size, on_progress=bar)
        elapsed = bar.finish()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Indicadores recalculados: %(commitments)s compromisos (%(written)s con "
                    "cambios), %(scopes)s ámbitos, %(snapshots)s instantáneas en %(elapsed).1f s."
                )
                % {
                    "commitments": f"{summary.commitments:,}",
                    "written": f"{summary.written:,}",
                    "scopes": f"{summary.scopes:,}",
                    "snapshots": f"{summary.snapshots:,}",
                    "elapsed": elapsed,
                }
            )
        )
