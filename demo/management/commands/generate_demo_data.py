import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.mode import require_demo_mode
from demo.synthetic_data import (
    COMMITMENTS_PER_SCALE,
    DemoDataExists,
    generate_demo_data,
)
from indicators.progress import ProgressBar


class Command(BaseCommand):
    help = _(
        "Genera planes de acción locales sintéticos (compromisos, hitos, alineaciones y "
        "actualizaciones) para pruebas de carga. --scale 1 ≈ %(commitments)s compromisos y "
        "%(milestones)s hitos; determinista para una semilla y una fecha."
    ) % {
        "commitments": f"{COMMITMENTS_PER_SCALE:,}",
        "milestones": f"{COMMITMENTS_PER_SCALE * 10:,}",
    }

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help=_("Escala (1 ≈ 2,000 compromisos).")
        )
        parser.add_argument("--seed", type=int, default=2011, help=_("Semilla aleatoria."))
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help=_("Fecha de referencia AAAA-MM-DD (por omisión, hoy)."),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("Borra los datos de demostración existentes antes de generar."),
        )
        parser.add_argument(
            "--allow-real-database",
            action="store_true",
            help=_(
                "Genera aunque el modo de demostración esté apagado, en la base de datos "
                "configurada: solo para bases desechables, como las de los bancos de pruebas "
                "de bench/."
            ),
        )

    def handle(self, *args, scale, seed, as_of, replace, allow_real_database, **options):
        if not allow_real_database:
            require_demo_mode(command="generate_demo_data")
        if scale <= 0:
            raise CommandError(_("La escala debe ser mayor que cero."))
        bar = ProgressBar(self.stdout, label=_("Compromisos") + " ")
        try:
            summary = generate_demo_data(
                scale=scale, seed=seed, as_of=as_of, replace=replace, on_progress=bar
            )
        except DemoDataExists as exists:
            raise CommandError(
                _(
                    "Ya hay %(count)s compromisos de demostración; no se generan de nuevo. "
                    "Use --replace para borrarlos y generarlos otra vez."
                )
                % {"count": exists.args[0]}
            ) from exists
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = bar.finish()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Datos de demostración: %(plans)s planes locales, %(commitments)s compromisos, "
                    "%(milestones)s hitos, %(alignments)s alineaciones, %(national)s compromisos "
                    "nacionales creados, en %(elapsed).1f s."
                )
                % {
                    "plans": f"{summary.plans:,}",
                    "commitments": f"{summary.commitments:,}",
                    "milestones": f"{summary.milestones:,}",
                    "alignments": f"{summary.alignments:,}",
                    "national": f"{summary.national_created:,}",
                    "elapsed": elapsed,
                }
            )
        )
