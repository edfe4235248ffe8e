from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from ogp_portal.user_text import feed_html, single_line

from .models import Meeting

FEED_SIZE = 50


class MeetingFeed(Feed):
    """The latest meetings of the coordination space as an Atom feed."""

    feed_type = Atom1Feed
    title = _("Sesiones del espacio de coordinación nacional")
    subtitle = _("Sesiones del espacio de coordinación nacional de gobierno abierto (MX0087).")
    link = reverse_lazy("coordination:space")

    def items(self):
        return Meeting.objects.select_related("space").order_by("-date")[:FEED_SIZE]

    def item_title(self, meeting):
        return single_line(meeting.title)

    def item_description(self, meeting):
        when = formats.date_format(timezone.localtime(meeting.date), "DATETIME_FORMAT")
        where = meeting.place or meeting.link
        text = " · ".join(part for part in (when, meeting.get_modality_display(), where) if part)
        return feed_html(text)  # Atom's summary is of type html

    def item_link(self, meeting):
        return meeting.get_absolute_url()

    def item_pubdate(self, meeting):
        return meeting.created_at

    def item_updateddate(self, meeting):
        return meeting.updated_at
