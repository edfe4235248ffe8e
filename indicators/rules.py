"""The rules of the indicators: IRM completion thresholds, dispute share, statuses counted.

Read by the ORM path (``services``) and the PostgreSQL path (``postgres``) alike, so the two
can never apply different thresholds; the terms of the domain (open milestone, stale) come
from ``commitments`` (``commitments.rules``, ``commitments.models``).
"""

import zlib
from decimal import Decimal

from commitments.models import OPEN_MILESTONE_STATUSES, Milestone

from .models import CompletionLevel

LIMITED_ABOVE_PERCENT = 0
SUBSTANTIAL_FROM_PERCENT = 50
COMPLETE_AT_PERCENT = 100
# A commitment is disputed when at least this share of its civil-society
# assessments dispute the reported progress (issue 4 may revisit it).
DISPUTED_FROM_SHARE = Decimal("0.5")
# Bump when the formula of a derived value (percent, level, on time, disputed) changes in
# the SQL or the ORM path; the thresholds above are part of the fingerprint already.
RULES_REVISION = 3

# The milestones a completion figure counts (reported, not withdrawn) and those still open.
COUNTED = [Milestone.Status.NOT_STARTED, Milestone.Status.IN_PROGRESS, Milestone.Status.COMPLETE]
OPEN = list(OPEN_MILESTONE_STATUSES)


def rules_fingerprint() -> int:
    """A number that changes with the rules above, stored with every commitment row.

    The nightly pass rewrites only commitments whose facts changed; a row computed under
    other rules (a new threshold) differs here, so a deploy that changes a rule is applied
    to every commitment by the next pass.
    """
    rules = (
        RULES_REVISION,
        LIMITED_ABOVE_PERCENT,
        SUBSTANTIAL_FROM_PERCENT,
        COMPLETE_AT_PERCENT,
        str(DISPUTED_FROM_SHARE),
    )
    return zlib.crc32(repr(rules).encode())


def completion_level(*, weighted: int, weights: int, milestones: int, withdrawn: int) -> str:
    """The IRM completion level from integer sums (exact: no rounding at the thresholds).

    ``weighted`` is Σ weight × percent and ``weights`` Σ weight over the reported milestones
    not withdrawn; ``milestones`` counts the reported ones and ``withdrawn`` those withdrawn.
    """
    if not milestones:
        return CompletionLevel.NO_INFORMATION
    if withdrawn == milestones:
        return CompletionLevel.WITHDRAWN
    if weights and weighted >= COMPLETE_AT_PERCENT * weights:
        return CompletionLevel.COMPLETE
    if weights and weighted >= SUBSTANTIAL_FROM_PERCENT * weights:
        return CompletionLevel.SUBSTANTIAL
    if weights and weighted > LIMITED_ABOVE_PERCENT * weights:
        return CompletionLevel.LIMITED
    return CompletionLevel.NOT_STARTED
