"""The meeting calendar as iCalendar (RFC 5545), generated with the icalendar library."""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ogp_portal.user_text import plain_text, single_line

UID_DOMAIN = "estado-abierto"


def meeting_uid(meeting):
    # Stable for the life of the meeting, so calendar apps update rather than duplicate.
    return f"coordinacion-sesion-{meeting.pk}@{UID_DOMAIN}"


def meetings_calendar(meetings, *, absolute_url):
    """An iCalendar with one VEVENT per meeting; `absolute_url(path)` makes links absolute."""
    calendar = Calendar()
    calendar.add("prodid", "-//Estado Abierto//Sesiones de coordinacion//ES")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Sesiones del espacio de coordinación nacional"))
    for meeting in meetings:
        event = Event()
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", meeting.updated_at or timezone.now())
        event.add("dtstart", meeting.date)
        if meeting.ends_at:
            event.add("dtend", meeting.ends_at)
        event.add("summary", single_line(meeting.title))
        location = meeting.place or meeting.link
        if location:
            event.add("location", single_line(location))
        event.add("url", absolute_url(meeting.get_absolute_url()))
        agenda = [f"{item.position}. {item.title}" for item in meeting.agenda_items.all()]
        description = [meeting.space.name, meeting.get_modality_display()]
        if meeting.link:
            description.append(meeting.link)
        if agenda:
            description += ["", _("Orden del día:"), *agenda]
        # Calendar apps may read the description as HTML: it carries text only.
        event.add("description", plain_text("\n".join(description)))
        calendar.add_component(event)
    return calendar.to_ical()
