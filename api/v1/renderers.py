import orjson
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils import encoders


class CSVRenderer(BaseRenderer):
    """Selected by `?format=csv` on lists.

    The list view streams the CSV itself (see ReadOnlyResource.list); this
    renderer only exists so that content negotiation accepts the format,
    and renders error bodies as plain text.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, bytes):
            return data
        return str(data).encode(self.charset)


class XLSXRenderer(CSVRenderer):
    """Selected by `?format=xlsx` on lists; the list view streams the file itself."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON, byte for byte, written by orjson (a computed page's encoding is ~10x faster).

    Same output as JSONRenderer with the project's settings: compact separators, no ASCII
    escaping, U+2028/U+2029 escaped. Types DRF formats its own way (dates, times, decimals,
    lazy strings) go through DRF's encoder; anything orjson refuses (an indent asked for,
    non-string keys, integers beyond 64 bits) falls back to DRF's renderer.
    """

    OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if (
            self.get_indent(accepted_media_type, renderer_context or {}) is not None
            or self.ensure_ascii
            or not self.compact
        ):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            content = orjson.dumps(data, default=DRF_ENCODER.default, option=self.OPTIONS)
        except TypeError:
            return super().render(data, accepted_media_type, renderer_context)
        return content.replace(LINE_SEPARATOR, b"\\u2028").replace(PARAGRAPH_SEPARATOR, b"\\u2029")


DRF_ENCODER = encoders.JSONEncoder()
LINE_SEPARATOR = "\u2028".encode()
PARAGRAPH_SEPARATOR = "\u2029".encode()
