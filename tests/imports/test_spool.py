"""The apply reads the rows the dry run decoded (a spool beside the upload), not the file."""

import datetime
import gzip
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from commitments.models import Commitment, Institution, Milestone
from imports import batches, spools
from imports.files import open_table
from imports.models import ImportBatch

from .helpers import MILESTONE_HEADER, csv_bytes, xlsx_bytes

ROWS = [
    MILESTONE_HEADER,
    ["JAL9001", 3, "Publicar datos", datetime.date(2030, 2, 1), "2030-12-31", 2, "", "", ""],
    ["JAL9001", 4, '\'=HIPERVINCULO("x")', "", "2031-06-30", "", "in_progress", 40, "Dijo: «sí»"],
]


@pytest.fixture
def load_workbook_calls(monkeypatch):
    """Every opening of a workbook by the import's reader (imports.files imports it late)."""
    calls = []
    real = openpyxl.load_workbook

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counted)
    return calls


def submit(user, content, name="hitos.xlsx"):
    batch = batches.submit_file(
        user=user, kind="milestones", upload=SimpleUploadedFile(name, content), background=False
    )
    assert batch.status == "checked", batch.outcome
    return batch


def spool_of(batch):
    return spools.spool_name(batch.file.name)


def apply(batch, user):
    assert batches.confirm_batch(batch=batch, user=user, background=False)
    batch.refresh_from_db()
    return batch


def imported(commitment):
    """The commitment's milestones and their history rows, without ids and times."""
    return [
        (
            m.position,
            m.title,
            m.start_date,
            m.due_date,
            m.weight,
            m.status,
            m.percent_complete,
            m.narrative,
            m.version,
            [
                (h.history_type, h.history_user_id, h.history_change_reason, h.changes)
                for h in m.history.order_by("history_id")
            ],
        )
        for m in commitment.milestones.order_by("position")
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("raro.xlsx", None),
        ("raro.csv", "cp1252"),
    ],
)
def test_the_spool_gives_back_exactly_the_rows_the_file_decodes_to(tmp_path, name, content):
    awkward = [
        MILESTONE_HEADER,
        ["JAL9001", 3, "línea 1\nlínea 2\r\nlínea 3", "", "", "", "", "", '"citado", coma; y'],
        [],  # a blank row: skipped, the numbering goes on
        ["JAL9001", 4.0, "'=1+1", datetime.date(2030, 5, 1), "", 2.5, "", "", "   "],
        ["JAL9001", "5", "€ ñ ü —", "", "", "", "", "", ""],
    ]
    if content is None:
        data = xlsx_bytes(awkward)
    else:
        data = csv_bytes(awkward, encoding=content, delimiter=";")
    table = open_table(io.BytesIO(data), name)
    storage = FileSystemStorage(location=tmp_path)
    digest = spools.upload_digest(io.BytesIO(data))
    writer = spools.SpoolWriter(digest=digest, table=table)
    decoded = list(writer.rows(table.rows))
    assert writer.save(storage, spools.spool_name("subida"))
    writer.close()

    with spools.reading(storage, "otra-subida", digest) as missing:
        assert missing is None
    with spools.reading(storage, "subida", "otro:1") as stale:
        assert stale is None
    with spools.reading(storage, "subida", digest) as spooled:
        assert spooled is not None
        assert (spooled.header, spooled.format, spooled.encoding, spooled.expected_rows) == (
            table.header,
            table.format,
            table.encoding,
            table.expected_rows,
        )
        assert list(spooled.rows) == decoded
    assert [number for number, _ in decoded] == [2, 4, 5]  # the blank row 3 is skipped


def test_the_apply_of_an_xlsx_reads_the_spool_not_the_workbook(world, load_workbook_calls):
    editor = world.users["state_editor"]
    batch = submit(editor, xlsx_bytes(ROWS))
    assert len(load_workbook_calls) == 1
    storage, spool, upload = batch.file.storage, spool_of(batch), batch.file.name
    assert storage.exists(spool)

    batch = apply(batch, editor)

    assert len(load_workbook_calls) == 1  # the dry run's only
    assert batch.status == "applied" and batch.outcome["created"] == 2
    assert world.local_commitment.milestones.get(position=4).title == '=HIPERVINCULO("x")'
    # The spool goes with the upload once the apply ends.
    assert not batch.file and not storage.exists(upload) and not storage.exists(spool)


@pytest.mark.parametrize("name", ["hitos.xlsx", "hitos.csv"])
def test_an_apply_from_the_spool_writes_what_an_apply_from_the_file_writes(world, name):
    editor = world.users["state_editor"]
    content = xlsx_bytes(ROWS) if name.endswith(".xlsx") else csv_bytes(ROWS)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        batch = submit(editor, content, name)
        assert batch.file.storage.exists(spool_of(batch))
        from_spool = apply(batch, editor)
        with_spool = imported(world.local_commitment)
        raise Undo
    assert not world.local_commitment.milestones.filter(position=3).exists()

    batch = submit(editor, content, name)
    batch.file.storage.delete(spool_of(batch))
    from_file = apply(batch, editor)

    assert from_spool.status == from_file.status == "applied"
    assert from_spool.outcome == from_file.outcome
    assert len(with_spool) == 4 and with_spool == imported(world.local_commitment)


def rewrite_spool(batch, change):
    storage, name = batch.file.storage, spool_of(batch)
    with storage.open(name, "rb") as handle:
        data = change(gzip.decompress(handle.read()))
    storage.delete(name)
    storage.save(name, ContentFile(gzip.compress(data)))


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(
            lambda batch, other: rewrite_spool(
                batch, lambda data: data.replace(b"Publicar datos", b"Datos alterados")
            ),
            id="edited",
        ),
        pytest.param(
            lambda batch, other: rewrite_spool(batch, lambda data: data[: len(data) // 2]),
            id="cut short",
        ),
        pytest.param(
            lambda batch, other: (
                batch.file.storage.delete(spool_of(batch)),
                batch.file.storage.save(
                    spool_of(batch), batch.file.storage.open(spool_of(other), "rb")
                ),
            ),
            id="another upload's",
        ),
        pytest.param(
            lambda batch, other: (
                batch.file.storage.delete(spool_of(batch)),
                batch.file.storage.save(spool_of(batch), ContentFile(b"no es gzip")),
            ),
            id="garbage",
        ),
    ],
)
def test_a_spool_that_does_not_match_the_upload_is_ignored_and_the_file_parsed(
    world, load_workbook_calls, spoil
):
    editor = world.users["state_editor"]
    other = submit(editor, xlsx_bytes([MILESTONE_HEADER, ["JAL9001", 9, "Otro", *[""] * 6]]))
    batch = submit(editor, xlsx_bytes(ROWS))
    spoil(batch, other)
    spool = spool_of(batch)
    assert batch.file.storage.exists(spool)

    batch = apply(batch, editor)

    assert len(load_workbook_calls) == 3  # two dry runs, then this apply
    assert batch.status == "applied" and batch.outcome["created"] == 2
    titles = set(world.local_commitment.milestones.values_list("title", flat=True))
    assert "Publicar datos" in titles and "Datos alterados" not in titles and "Otro" not in titles
    assert not batch.file.storage.exists(spool)


def test_no_spool_is_kept_for_a_dry_run_with_errors_or_a_refused_file(world):
    editor = world.users["state_editor"]
    with_errors = batches.submit_file(
        user=editor,
        kind="milestones",
        upload=SimpleUploadedFile("hitos.xlsx", xlsx_bytes([*ROWS, ["JAL9001", 5, "", "x"]])),
        background=False,
    )
    assert with_errors.status == "checked" and with_errors.outcome["error_count"]
    assert with_errors.file and not with_errors.file.storage.exists(spool_of(with_errors))

    refused = batches.submit_file(
        user=editor,
        kind="milestones",
        upload=SimpleUploadedFile("hitos.csv", csv_bytes([["columna_rara"], ["x"]])),
        background=False,
    )
    assert refused.status == "refused" and not refused.file
    assert not any(
        name.endswith(spools.SUFFIX)
        for name in with_errors.file.storage.listdir("importaciones")[1]
    )


def no_temporary_file(monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disco lleno")

    monkeypatch.setattr("imports.spools.tempfile.TemporaryFile", fail)


def no_room_for_spools(monkeypatch):
    real = FileSystemStorage.save

    def save(storage, name, *args, **kwargs):
        if name.endswith(spools.SUFFIX):
            raise OSError("disco lleno")
        return real(storage, name, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", save)


@pytest.mark.parametrize("break_spools", [no_temporary_file, no_room_for_spools])
def test_a_spool_that_cannot_be_written_leaves_the_dry_run_and_the_apply_as_they_were(
    world, monkeypatch, load_workbook_calls, break_spools
):
    editor = world.users["state_editor"]
    break_spools(monkeypatch)
    batch = submit(editor, xlsx_bytes(ROWS))
    assert batch.outcome["created"] == 2
    assert not batch.file.storage.exists(spool_of(batch))

    batch = apply(batch, editor)

    assert len(load_workbook_calls) == 2  # no spool: the apply parsed the file
    assert batch.status == "applied" and batch.outcome["created"] == 2


def lose_permission(world, editor):
    other_office = Institution.objects.get(name="Gobierno de la Entidad 19")
    editor.membership.institution = other_office
    editor.membership.state = other_office.state
    editor.membership.save()


def delete_commitment(world, editor):
    Commitment.objects.filter(pk=world.local_commitment.pk).delete()


@pytest.mark.parametrize("change", [lose_permission, delete_commitment])
def test_a_row_error_found_only_by_the_apply_refuses_the_whole_file(
    world, load_workbook_calls, change
):
    editor = world.users["state_editor"]
    batch = submit(editor, xlsx_bytes(ROWS))
    storage, spool, upload = batch.file.storage, spool_of(batch), batch.file.name
    change(world, editor)

    batch = apply(batch, editor)

    assert len(load_workbook_calls) == 1  # the rows came from the spool
    assert batch.status == "failed" and not batch.outcome["applied"]
    assert {(e["row"], e["column"]) for e in batch.outcome["errors"]} == {
        (2, "commitment"),
        (3, "commitment"),
    }
    assert not Milestone.objects.filter(title="Publicar datos").exists()
    assert not storage.exists(upload) and not storage.exists(spool)
    assert ImportBatch.objects.get(pk=batch.pk).status == "failed"
