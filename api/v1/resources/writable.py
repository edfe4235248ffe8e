"""The resources people also write to: each read viewset joined with its write endpoints.

api.v1.writes answers with these resources' read serializers, so its mixins are joined
to the read viewsets here, once both are loaded, rather than in the resource modules
(which would make an import cycle with api.v1.writes).
"""

from api.v1.writes import (
    AssessmentWriteMixin,
    CommentWriteMixin,
    CommitmentWriteMixin,
    MilestoneWriteMixin,
)

from .commitments import CommitmentReadViewSet
from .milestones import MilestoneReadViewSet
from .reviews import AssessmentReadViewSet, CommentReadViewSet


class CommitmentViewSet(CommitmentWriteMixin, CommitmentReadViewSet):
    """Commitments; editors add progress reports."""


class MilestoneViewSet(MilestoneWriteMixin, MilestoneReadViewSet):
    """Milestones; editors update their progress (If-Match)."""


class CommentViewSet(CommentWriteMixin, CommentReadViewSet):
    """Public comments; signed-in people post them."""


class AssessmentViewSet(AssessmentWriteMixin, AssessmentReadViewSet):
    """Civil-society assessments; organisations' members register them."""
