from django.core.management.base import BaseCommand, CommandError

from ogp_portal.backups import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database and write back the uploaded files from a backup_portal tar "
        "file, then check row counts and checksums against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--yes", action="store_true", help="replace the current database without asking"
        )

    def handle(self, *args, archive, yes, **options):
        try:
            manifest = read_manifest(archive)
        except (OSError, KeyError, ValueError) as error:
            raise CommandError(f"not a portal backup: {error}") from error
        if not yes:
            answer = input(
                f"Replace this portal's database with the backup of {manifest['created_at']}? "
                "[y/N] "
            )
            if answer.strip().lower() not in {"y", "yes", "s", "si", "sí"}:
                raise CommandError("restore cancelled")
        try:
            restore_backup(archive=archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = len(manifest["rows"])
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Restored {rows} rows in {tables} tables and {len(manifest['media'])} media "
            "files; counts and checksums match the backup."
        )
