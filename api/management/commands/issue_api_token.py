"""Issue (or rotate) the API token of a user: `manage.py issue_api_token <username>`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Crea el token de API de un usuario (o lo reemplaza con --rotate) y lo imprime."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="Reemplaza el token existente por uno nuevo."
        )

    def handle(self, *args, username, rotate, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as missing:
            raise CommandError(f"No existe el usuario {username!r}.") from missing
        if not user.is_active:
            raise CommandError(f"El usuario {username!r} está inactivo.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        self.stderr.write("Token nuevo." if created else "Token existente (use --rotate).")
        self.stdout.write(token.key)
