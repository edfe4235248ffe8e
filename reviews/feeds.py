"""Atom feeds of a commitment's or a state's updates (progress and assessments) and comments."""

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from commitments.models import Commitment
from ogp_portal.user_text import feed_html, render_markdown, single_line
from states.models import State

from . import public
from .models import Comment, EventKind

FEED_SIZE = 50
UPDATE_KINDS = [EventKind.PROGRESS_REPORT, EventKind.MILESTONE_UPDATE, EventKind.ASSESSMENT]


def comment_text(comment):
    """The sanitised HTML a feed shows of a comment: never the text of a deleted or hidden one."""
    if comment.is_deleted:
        return feed_html(_("Comentario eliminado."))
    if comment.is_hidden:
        return feed_html(
            _("Ocultado por moderación: %(reason)s") % {"reason": comment.moderation_reason}
        )
    return render_markdown(comment.body)


class UpdatesFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, event):
        return single_line(event.title)

    def item_description(self, event):
        # Atom's summary is of type html: the event's text (Markdown of a comment, a
        # report's summary) goes through the same sanitiser as the pages.
        return render_markdown(event.text)

    def item_link(self, event):
        return event.path

    def item_guid(self, event):
        return f"evento-{event.pk}"

    def item_pubdate(self, event):
        return event.created_at


class CommentsFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, comment):
        author = public.person_name(comment.author) or _("Persona participante")
        return single_line(
            _("%(author)s sobre «%(target)s»") % {"author": author, "target": comment.target}
        )

    def item_description(self, comment):
        return comment_text(comment)

    def item_link(self, comment):
        return comment.get_absolute_url()

    def item_pubdate(self, comment):
        return comment.created_at

    def item_updateddate(self, comment):
        return comment.edited_at or comment.created_at


COMMENT_RELATIONS = ["author", "commitment", "milestone__commitment", "meeting"]


class CommitmentUpdatesFeed(UpdatesFeed):
    def get_object(self, request, code):
        return get_object_or_404(Commitment, code=code)

    def title(self, commitment):
        return _("Actualizaciones de %(code)s") % {"code": commitment.code}

    def link(self, commitment):
        return commitment.get_absolute_url()

    def items(self, commitment):
        return commitment.review_events.filter(kind__in=UPDATE_KINDS).order_by(
            "-created_at", "-pk"
        )[:FEED_SIZE]


class CommitmentCommentsFeed(CommentsFeed):
    def get_object(self, request, code):
        return get_object_or_404(Commitment, code=code)

    def title(self, commitment):
        return _("Comentarios sobre %(code)s") % {"code": commitment.code}

    def link(self, commitment):
        return commitment.get_absolute_url()

    def items(self, commitment):
        return (
            Comment.objects.filter(Q(commitment=commitment) | Q(milestone__commitment=commitment))
            .select_related(*COMMENT_RELATIONS)
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )


class StateUpdatesFeed(UpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(State, slug=slug)

    def title(self, state):
        return _("Actualizaciones de los compromisos locales de %(state)s") % {"state": state}

    def link(self, state):
        return state.get_absolute_url()

    def items(self, state):
        return state.review_events.filter(kind__in=UPDATE_KINDS).order_by("-created_at", "-pk")[
            :FEED_SIZE
        ]


class StateCommentsFeed(CommentsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(State, slug=slug)

    def title(self, state):
        return _("Comentarios sobre los compromisos locales de %(state)s") % {"state": state}

    def link(self, state):
        return state.get_absolute_url()

    def items(self, state):
        return (
            Comment.objects.filter(
                Q(commitment__action_plan__state=state)
                | Q(milestone__commitment__action_plan__state=state)
            )
            .select_related(*COMMENT_RELATIONS)
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )
