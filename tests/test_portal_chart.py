import datetime

from portal_chart import HEIGHT, PAD_BOTTOM, PAD_LEFT, PAD_TOP, WIDTH, change_percent, series_path

D = datetime.date


def _xy(polyline):
    return [tuple(float(n) for n in pair.split(",")) for pair in polyline.split()]


def test_no_point_draws_nothing():
    assert series_path([]) is None


def test_rising_series_goes_up_left_to_right_and_stays_in_the_box():
    points = [(D(2026, 1, 1) + datetime.timedelta(weeks=week), 1 + week / 100) for week in range(10)]
    chart = series_path(list(reversed(points)))  # any order
    coords = _xy(chart["polyline"])
    assert coords[0][0] == PAD_LEFT and coords[-1][0] == WIDTH - 8
    xs = [x for x, _y in coords]
    ys = [y for _x, y in coords]
    assert xs == sorted(xs)
    assert ys == sorted(ys, reverse=True)  # SVG y grows downwards: a rising value climbs
    assert all(PAD_TOP <= y <= HEIGHT - PAD_BOTTOM for y in ys)
    assert chart["first"] == (D(2026, 1, 1), 1.0)
    assert chart["last"][1] == 1.09
    assert [label[1] for label in chart["x_labels"]] == [D(2026, 1, 1), points[5][0], points[-1][0]]


def test_flat_and_single_point_series_still_draw_a_line():
    flat = series_path([(D(2026, 1, 1), 5), (D(2026, 2, 1), 5)])
    assert len({y for _x, y in _xy(flat["polyline"])}) == 1
    assert flat["low"] < 5 < flat["high"]
    single = series_path([("2026-03-01", 2.0)])
    assert len(_xy(single["polyline"])) == 2


def test_grid_lines_span_the_value_range_bottom_to_top():
    chart = series_path([(D(2026, 1, 1), 100), (D(2026, 6, 1), 200)])
    ys = [y for y, _value in chart["grid"]]
    values = [value for _y, value in chart["grid"]]
    assert ys == sorted(ys, reverse=True)
    assert values[0] < 100 and values[-1] > 200


def test_change_percent():
    assert round(change_percent(1.0, 1.12), 6) == 12.0
    assert change_percent(0, 5) is None
