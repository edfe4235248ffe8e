"""The API's JSON parser: every body it cannot read is a 400, never a 500 further on."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from ogp_portal.strict_input import UnreadableJSON, loads_strict


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        data = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(data) > limit:
            raise ParseError(_("El cuerpo de la petición es demasiado grande."))
        try:
            return loads_strict(data)
        except UnreadableJSON as error:
            message = _("El cuerpo no es JSON válido en UTF-8: %(error)s") % {"error": error}
            raise ParseError(message) from error
