from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from commitments.models import Commitment
from demo.accounts import create_demo_accounts
from demo.database import ensure_database
from demo.mode import require_demo_mode
from demo.synthetic_data import DEMO_CODE_PREFIX

# 640 local commitments, one plan in each of the 32 states, ~6,400 milestones: every
# page and the map have something to show, and it is ready in seconds.
DEFAULT_SCALE = 0.32


class Command(BaseCommand):
    help = _(
        "Prepara la demostración sobre su propia base de datos: la crea si falta, migra, "
        "carga los datos reales de referencia, genera datos sintéticos, recalcula los "
        "indicadores y crea una cuenta por rol con contraseñas nuevas. Solo en modo de "
        "demostración (PORTAL_DEMO=1)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=DEFAULT_SCALE,
            help=_("Escala de los datos sintéticos (1 ≈ 2,000 compromisos)."),
        )
        parser.add_argument("--seed", type=int, default=2011, help=_("Semilla aleatoria."))
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("Borra los datos sintéticos existentes y los genera de nuevo."),
        )
        parser.add_argument(
            "--address",
            default="127.0.0.1:8001",
            help=_("Dirección donde se servirá la demostración (solo para mostrarla)."),
        )

    def handle(self, *args, scale, seed, replace, address, **options):
        require_demo_mode(command="prepare_demo")
        database = settings.DATABASES["default"]["NAME"]
        if ensure_database():
            self.stdout.write(
                _("Base de datos de demostración creada: %(name)s") % {"name": database}
            )
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_mexico_ogp", stdout=self.stdout)
        existing = Commitment.objects.filter(code__startswith=DEMO_CODE_PREFIX).count()
        if existing and not replace:
            self.stdout.write(
                _(
                    "Se conservan los %(count)s compromisos sintéticos existentes "
                    "(--replace los regenera)."
                )
                % {"count": f"{existing:,}"}
            )
        else:
            call_command(
                "generate_demo_data", scale=scale, seed=seed, replace=replace, stdout=self.stdout
            )
        call_command("recompute_indicators", stdout=self.stdout)
        accounts = create_demo_accounts()
        self.print_accounts(accounts, database=database, address=address)

    def print_accounts(self, accounts, *, database, address):
        rule = "=" * 78
        write = self.stdout.write
        write("")
        write(self.style.WARNING(rule))
        write(
            self.style.WARNING(_("DEMOSTRACIÓN de Estado Abierto: datos sintéticos, no oficiales"))
        )
        write(_("Dirección: http://%(address)s/") % {"address": address})
        write(_("Base de datos de demostración: %(name)s") % {"name": database})
        write(_("Cuentas (contraseñas nuevas en cada «make demo»):"))
        width = max(len(account.username) for account in accounts)
        for account in accounts:
            write("")
            write(
                "  "
                + _("usuario: %(username)s   contraseña: %(password)s")
                % {
                    "username": self.style.SUCCESS(account.username.ljust(width)),
                    "password": self.style.SUCCESS(account.password),
                }
            )
            write(f"    {account.role}: {account.may}")
            if account.token:
                write("    " + _("token de la API: %(token)s") % {"token": account.token})
        write(self.style.WARNING(rule))
