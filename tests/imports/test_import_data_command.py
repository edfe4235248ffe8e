"""`manage.py import_data` checks or applies a file from a shell, like the page."""

import pytest
from django.core.management import CommandError, call_command

from commitments.models import Milestone

from .helpers import MILESTONE_HEADER, csv_bytes

ROWS = [MILESTONE_HEADER, ["JAL9001", "3", "Publicar datos", "", "2030-12-31", "", "", "", ""]]


def test_dry_run_then_apply(world, tmp_path, capsys):
    path = tmp_path / "hitos.csv"
    path.write_bytes(csv_bytes(ROWS))

    call_command("import_data", str(path), kind="milestones", user="editora_estatal", dry_run=True)
    assert "1 por crear" in capsys.readouterr().out
    assert not Milestone.objects.filter(commitment=world.local_commitment, position=3).exists()

    call_command("import_data", str(path), kind="milestones", user="editora_estatal")
    assert "Aplicado" in capsys.readouterr().out
    milestone = Milestone.objects.get(commitment=world.local_commitment, position=3)
    assert milestone.history.get().history_change_reason == "hitos.csv"


def test_errors_are_listed_and_nothing_is_applied(world, tmp_path, capsys):
    path = tmp_path / "hitos.csv"
    path.write_bytes(csv_bytes([*ROWS, ["NL9001", "3", "Ajeno", "", "", "", "", "", ""]]))
    with pytest.raises(CommandError, match="no se aplicó nada"):
        call_command("import_data", str(path), kind="milestones", user="editora_estatal")
    assert "Fila 3, columna commitment" in capsys.readouterr().err
    assert not Milestone.objects.filter(position=3).exists()


def test_a_refused_file_is_a_command_error(world, tmp_path):
    path = tmp_path / "hitos.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="vacío"):
        call_command("import_data", str(path), kind="milestones", user="editora_estatal")
