import pytest

import lead_scoring

THRESHOLDS = [10, 30, 60, 100, 150]


def test_result_points_count_only_when_completed():
    assert lead_scoring.interaction_points(5, 20, completed=True) == 25
    assert lead_scoring.interaction_points(5, 20, completed=False) == 5
    assert lead_scoring.interaction_points(None, None, completed=True) == 0


def test_total_score_adds_group_points():
    assert lead_scoring.total_score([5, 25, 10], group_points=30) == 70
    assert lead_scoring.total_score([]) == 0


@pytest.mark.parametrize(
    ("score", "stars"),
    [(-5, 0), (0, 0), (9, 0), (10, 1), (29, 1), (30, 2), (99, 3), (100, 4), (149, 4), (150, 5), (10_000, 5)],
)
def test_stars_from_increasing_thresholds(score, stars):
    assert lead_scoring.stars_for(score, THRESHOLDS) == stars


def test_fewer_thresholds_cap_the_stars():
    assert lead_scoring.stars_for(500, [10, 20]) == 2


@pytest.mark.parametrize("thresholds", [[10, 30, 30, 100, 150], [10, 5, 60, 100, 150], [50, 40]])
def test_non_increasing_thresholds_raise_an_error_code(thresholds):
    """A code for the model to translate, an English text for logs: no Vietnamese in tools/."""
    with pytest.raises(lead_scoring.ThresholdError, match="must be greater than") as error:
        lead_scoring.check_thresholds(thresholds)
    assert error.value.code == lead_scoring.NOT_INCREASING
    with pytest.raises(lead_scoring.ThresholdError):
        lead_scoring.stars_for(100, thresholds)


def test_more_than_five_thresholds_are_refused():
    with pytest.raises(lead_scoring.ThresholdError, match="At most 5") as error:
        lead_scoring.check_thresholds([1, 2, 3, 4, 5, 6])
    assert error.value.code == lead_scoring.TOO_MANY
