"""Issue 15, item 2: an uploaded package never makes the server inflate more than a few KB.

A 1 MB file whose `mimetype` member inflates to 1 GB is refused from the central
directory's declared sizes, before any member is read, with the memory the check
allocates staying within a few MB; so is the same bomb lying about its size.
"""

import struct
import tracemalloc
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import resolve, reverse

from commitments.evidence_files import detect_evidence_type, validate_evidence_file
from commitments.models import Evidence
from tests.commitments.test_evidence import first_milestone
from tests.commitments.worlds import build_world, progress_data

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
CHUNK = 1024 * 1024
GIGABYTE = 1024 * CHUNK


def deflate_bomb(size=GIGABYTE):
    """The raw deflate stream of `size` bytes: the ODF mimetype, then spaces.

    After a full flush the compressor forgets its window, so every block of spaces
    compresses to the same bytes: the stream is built by repetition, in a moment.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = ODT_MIMETYPE + b" " * (CHUNK - len(ODT_MIMETYPE))
    head = compressor.compress(first) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(b" " * CHUNK) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush()
    return head, block, size // CHUNK - 1, tail


def zip_with_one_member(name, stream, *, crc, compressed, declared):
    """A zip file of one deflated member whose headers declare `declared` bytes."""
    name = name.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, compressed, declared, len(name), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50, 20, 20, 0, 8, 0, 0, crc, compressed, declared, len(name), 0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    body = local + name + stream
    directory = central + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), len(body), 0)
    return body + directory + end


@pytest.fixture(scope="module")
def bomb():
    head, block, blocks, tail = deflate_bomb()
    # The CRC is left at 0: nothing that refuses the file reads far enough to check it.
    return head + block * blocks + tail


def honest_bomb(stream):
    return zip_with_one_member("mimetype", stream, crc=0, compressed=len(stream), declared=GIGABYTE)


def lying_bomb(stream):
    return zip_with_one_member(
        "mimetype", stream, crc=0, compressed=len(stream), declared=len(ODT_MIMETYPE)
    )


def peak_allocation(function):
    """(result, peak bytes allocated while it ran)."""
    tracemalloc.start()
    try:
        result = function()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_bomb_is_a_small_file_that_really_inflates_to_a_gigabyte(bomb):
    head, block, blocks, tail = deflate_bomb()
    assert bomb == head + block * blocks + tail
    assert len(honest_bomb(bomb)) < 2 * 1024 * 1024
    # Each repeated block inflates to 1 MiB on its own (the window was flushed), so the
    # whole stream inflates to head + 1023 blocks = 1 GiB.
    assert len(zlib.decompressobj(-15).decompress(head + block + block + tail)) == 3 * CHUNK
    assert (blocks + 1) * CHUNK == GIGABYTE


@pytest.mark.parametrize("build", [honest_bomb, lying_bomb], ids=["declared", "lying"])
def test_a_decompression_bomb_is_refused_within_a_few_megabytes(bomb, build):
    upload = SimpleUploadedFile("informe.odt", build(bomb))

    kind, peak = peak_allocation(lambda: detect_evidence_type(upload))

    assert kind is None
    assert peak < 2 * 1024 * 1024, f"{peak / 1024 / 1024:.1f} MB allocated"
    with pytest.raises(ValidationError) as refused:
        validate_evidence_file(upload)
    assert refused.value.code == "file_type"


@pytest.mark.django_db
def test_an_editor_uploading_a_bomb_gets_a_refusal_and_the_server_stays_small(bomb):
    world = build_world()
    milestone = first_milestone(world)
    url = reverse("commitments:milestone_update", args=[milestone.commitment.code, milestone.pk])
    payload = progress_data(milestone)
    payload[f"hito-{milestone.pk}-evidence_file"] = SimpleUploadedFile(
        "informe.odt", honest_bomb(bomb)
    )
    # The request is encoded before measuring: only the server's work is counted.
    request = RequestFactory().post(url, payload)
    request.user = world.users["lead_editor"]
    view = resolve(url)

    response, peak = peak_allocation(lambda: view.func(request, *view.args, **view.kwargs))

    assert response.status_code == 400  # the form again, with the error
    assert "El tipo de archivo no está permitido" in response.content.decode()
    assert not Evidence.objects.exists()
    # Parsing the 1 MB upload holds it once or twice; nothing is ever inflated.
    assert peak < 8 * 1024 * 1024, f"{peak / 1024 / 1024:.1f} MB allocated"


def test_a_real_opendocument_file_is_still_recognised():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", ODT_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        rows = "".join(f"<text:p>Hito {n}: avance del {n % 100} %</text:p>" for n in range(40_000))
        package.writestr(
            "content.xml", f"<office:document-content>{rows}</office:document-content>"
        )

    kind = detect_evidence_type(SimpleUploadedFile("acta.odt", buffer.getvalue()))

    assert kind is not None and kind.extension == "odt"
