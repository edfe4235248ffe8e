from django.core.management.base import BaseCommand, CommandError

from ogp_portal.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one tar file with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default="backups", help="folder for the tar file")

    def handle(self, *args, output_dir, **options):
        try:
            archive = create_backup(output_dir=output_dir)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
