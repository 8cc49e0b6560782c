import datetime

import marketing_care as care

NOW = datetime.datetime(2026, 12, 1, 9, 0)
DAY = datetime.timedelta(days=1)


def test_needs_care_after_a_recent_open_without_interaction():
    assert care.needs_care(NOW - DAY, None, None, NOW, 30)
    assert care.needs_care(None, NOW - DAY, NOW - 2 * DAY, NOW, 30)


def test_no_care_once_an_interaction_is_logged_since():
    assert not care.needs_care(NOW - 2 * DAY, None, NOW - DAY, NOW, 30)
    assert not care.needs_care(NOW - 2 * DAY, NOW - 3 * DAY, NOW - DAY, NOW, 30)


def test_no_care_for_old_or_no_engagement():
    assert not care.needs_care(NOW - 31 * DAY, None, None, NOW, 30)
    assert care.needs_care(NOW - 31 * DAY, NOW - 29 * DAY, None, NOW, 30)
    assert not care.needs_care(None, None, None, NOW, 30)


def test_engagement_points_and_days():
    assert care.engagement_points(2, 1, 2, 5) == 9
    assert care.engagement_points(0, 0, 2, 5) == 0
    assert care.positive_days("14", 30) == 14
    assert care.positive_days("0", 30) == 30
    assert care.positive_days("abc", 30) == 30
    assert care.positive_days(None, 14) == 14
