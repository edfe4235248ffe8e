from django.core.management.base import BaseCommand

from api.opendata import build_open_data_package


class Command(BaseCommand):
    help = "Genera el paquete de datos abiertos (zip de CSV con datapackage.json)."

    def handle(self, *args, **options):
        name = build_open_data_package()
        self.stdout.write(self.style.SUCCESS(f"Paquete de datos abiertos: {name}"))
