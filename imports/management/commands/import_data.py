from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from imports.columns import KINDS
from imports.files import FileRefused, open_table
from imports.services import import_table
from indicators.progress import ProgressBar


class Command(BaseCommand):
    help = _(
        "Importa un CSV o XLSX con las mismas reglas que la página: revisa todo el archivo y, "
        "sin --dry-run y sin errores, lo aplica completo en una transacción."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Archivo .csv o .xlsx."))
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Solo revisar; no cambia nada.")
        )
        parser.add_argument(
            "--user",
            required=True,
            help=_("Usuario a nombre de quien se importa (autor del historial)."),
        )

    def handle(self, *args, file, kind, dry_run, user, **options):
        try:
            person = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(_("No existe el usuario «%(user)s».") % {"user": user}) from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No existe el archivo %(file)s.") % {"file": file})
        with path.open("rb") as handle:
            try:
                table = open_table(handle, path.name)
                bar = ProgressBar(self.stdout, label=_("Filas") + " ")
                expected = table.expected_rows
                outcome = import_table(
                    kind=KINDS[kind],
                    table=table,
                    user=person,
                    file_name=path.name,
                    apply=not dry_run,
                    on_progress=lambda done: bar(done, max(done, expected or done)),
                )
                elapsed = bar.finish()
            except FileRefused as refused:
                raise CommandError(refused.message) from None
            except PermissionDenied:
                raise CommandError(
                    _("%(user)s no puede importar este contenido.") % {"user": user}
                ) from None
        for error in outcome.errors:
            self.stderr.write(
                _("Fila %(row)s, columna %(column)s: %(message)s")
                % {"row": error.row, "column": error.column, "message": error.message}
            )
        summary = _(
            "%(rows)s filas en %(elapsed).1f s: %(created)s por crear, %(updated)s por "
            "actualizar, %(unchanged)s sin cambios, %(errors)s errores."
        ) % {
            "rows": f"{outcome.rows:,}",
            "elapsed": elapsed,
            "created": f"{outcome.created:,}",
            "updated": f"{outcome.updated:,}",
            "unchanged": f"{outcome.unchanged:,}",
            "errors": f"{outcome.error_count:,}",
        }
        self.stdout.write(summary)
        if outcome.error_count:
            raise CommandError(_("El archivo tiene errores: no se aplicó nada."))
        if outcome.applied:
            self.stdout.write(self.style.SUCCESS(_("Aplicado.")))
        else:
            self.stdout.write(_("Revisión sin errores; nada cambió (--dry-run)."))
