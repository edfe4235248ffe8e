"""SDG targets with the national and local commitments that contribute to them."""

import pytest
from django.urls import reverse

from tests.factories import (
    CommitmentFactory,
    LocalCommitmentFactory,
    SdgTargetFactory,
    StateActionPlanFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def test_each_target_lists_its_national_and_local_commitments(client):
    target = SdgTargetFactory(code="16.10")
    SdgTargetFactory(code="16.6")
    national = CommitmentFactory(code="NA0001")
    local = LocalCommitmentFactory(
        code="JAL001",
        action_plan=StateActionPlanFactory(
            state=StateFactory(inegi_code="14", short_name="Jalisco")
        ),
    )
    target.commitments.add(national, local)

    response = client.get(reverse("sdg_targets"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Meta 16.10" in html and "Meta 16.6" in html
    assert "NA0001" in html and "JAL001" in html
    assert "Local: Jalisco" in html
    assert "Sin compromisos vinculados." in html  # 16.6


@pytest.mark.parametrize("size", [1, 5])
def test_the_sdg_page_query_count_does_not_grow(client, django_assert_max_num_queries, size):
    for index in range(size):
        target = SdgTargetFactory(code=f"16.{index + 1}")
        target.commitments.add(*CommitmentFactory.create_batch(size))
        target.commitments.add(LocalCommitmentFactory())

    with django_assert_max_num_queries(2):
        assert client.get(reverse("sdg_targets")).status_code == 200
