"""The alignment matrix: national commitments × states that replicate or complement them.

A hand-made world: three states, two aligned national commitments and one without
alignments; the counts of every cell and total are known in advance.
"""

import pytest
from django.urls import reverse

from commitments.models import Alignment
from states.selectors import alignment_matrix
from tests.factories import (
    AlignmentFactory,
    CommitmentFactory,
    LocalCommitmentFactory,
    StateActionPlanFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db

R, C = Alignment.Kind.REPLICATES, Alignment.Kind.COMPLEMENTS


@pytest.fixture
def world():
    a, b, c = (StateFactory(inegi_code=code) for code in ("01", "02", "03"))
    n1, n2 = CommitmentFactory(code="NA0001"), CommitmentFactory(code="NA0002")
    CommitmentFactory(code="NA0003")  # never aligned
    plans = {state: StateActionPlanFactory(state=state) for state in (a, b, c)}

    def align(state, national, kind):
        local = LocalCommitmentFactory(action_plan=plans[state])
        AlignmentFactory(local_commitment=local, national_commitment=national, kind=kind)

    align(a, n1, R)
    align(a, n1, C)
    align(a, n2, R)
    align(b, n1, R)
    align(b, n1, R)  # a second local commitment of B replicating N1
    align(c, n2, C)
    return {"states": (a, b, c), "national": (n1, n2)}


def cells_of(row):
    return [(cell.replicates, cell.complements) for cell in row.cells]


def test_each_cell_counts_the_local_commitments_that_replicate_or_complement(world):
    matrix = alignment_matrix()

    assert [row.commitment.code for row in matrix.rows] == ["NA0001", "NA0002"]
    assert cells_of(matrix.rows[0]) == [(1, 1), (2, 0), (0, 0)]
    assert cells_of(matrix.rows[1]) == [(1, 0), (0, 0), (0, 1)]


def test_row_totals_count_states(world):
    n1, n2 = alignment_matrix().rows

    assert (n1.replicating_states, n1.complementing_states) == (2, 1)
    assert (n2.replicating_states, n2.complementing_states) == (1, 1)


def test_column_totals_count_national_commitments(world):
    columns = alignment_matrix().columns

    assert [(column.replicated, column.complemented) for column in columns] == [
        (2, 1),
        (1, 0),
        (0, 1),
    ]


def test_the_matrix_counts_every_alignment_once(world):
    assert alignment_matrix().alignment_count == 6


def test_all_national_commitments_can_be_listed(world):
    matrix = alignment_matrix(all_national=True)

    assert [row.commitment.code for row in matrix.rows] == ["NA0001", "NA0002", "NA0003"]
    assert cells_of(matrix.rows[2]) == [(0, 0)] * 3


def test_the_matrix_page_is_an_accessible_table_with_text_marks(client, world):
    response = client.get(reverse("alignment_matrix"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption" in html and "6 alineaciones registradas" in html
    assert '<th scope="col"><abbr title="Entidad 01">E01</abbr></th>' in html
    assert '<abbr title="Replica">R</abbr>×2' in html  # state B, N1
    assert html.count('<abbr title="Replica">R</abbr>') == 3  # cells, not alignments
    assert html.count('<abbr title="Complementa">C</abbr>') == 2
    assert "Sin alineación" in html
    assert "NA0003" not in html


def test_the_matrix_page_without_alignments_says_so(client):
    html = client.get(reverse("alignment_matrix")).content.decode()

    assert "Aún no hay compromisos locales alineados" in html


@pytest.mark.parametrize("size", [1, 4])
def test_the_matrix_query_count_does_not_grow_with_data(
    client, django_assert_max_num_queries, size
):
    states = [StateFactory(inegi_code=f"{index + 1:02d}") for index in range(size * 3)]
    nationals = CommitmentFactory.create_batch(size * 2)
    for state in states:
        plan = StateActionPlanFactory(state=state)
        for national in nationals:
            AlignmentFactory(
                local_commitment=LocalCommitmentFactory(action_plan=plan),
                national_commitment=national,
                kind=R if state.pk % 2 else C,
            )

    with django_assert_max_num_queries(3):
        response = client.get(reverse("alignment_matrix"))

    assert response.status_code == 200
    assert len(response.context["matrix"].rows) == size * 2
