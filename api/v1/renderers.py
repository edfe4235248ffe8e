from rest_framework.renderers import BaseRenderer


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
