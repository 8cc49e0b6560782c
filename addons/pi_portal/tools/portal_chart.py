"""Geometry of the small line charts of the investor portal.

Pure Python: imports nothing from odoo. The portal draws its charts as inline
SVG on the server, so they show on any phone without JavaScript and print as
they are; this module turns ``(date, value)`` points into SVG coordinates,
grid lines and axis labels, and ``tests/test_portal_chart.py`` checks it.
"""

import datetime

# The drawing box (SVG user units); the <svg> scales it to the screen width.
WIDTH = 600
HEIGHT = 240
PAD_LEFT = 8
PAD_RIGHT = 8
PAD_TOP = 12
PAD_BOTTOM = 28
GRID_LINES = 4


def _span(low, high):
    """A non-empty [low, high] range with a little air above and below."""
    if high == low:
        pad = abs(high) * 0.05 or 1.0
        return low - pad, high + pad
    pad = (high - low) * 0.08
    return low - pad, high + pad


def _scale(value, low, high, out_low, out_high):
    return out_low + (value - low) * (out_high - out_low) / (high - low)


def series_path(points, width=WIDTH, height=HEIGHT):
    """The chart of ``points`` (``[(date, value), ...]``, any order).

    :return: dict with ``polyline`` (the ``points`` attribute of an SVG
        polyline, "x,y x,y ..."), ``area`` (a closed polygon under the line),
        ``grid`` (``[(y, value)]`` of the horizontal grid lines, bottom to top),
        ``first``/``last`` (the first and last ``(date, value)``), ``low``/``high``
        (the value range drawn), ``x_labels`` (``[(x, date)]``: first, middle, last)
        and ``last_xy`` (where the line ends, for a dot); None when there is
        nothing to draw (no point).
    """
    points = sorted((_to_date(day), float(value)) for day, value in points if day is not None)
    if not points:
        return None
    values = [value for _day, value in points]
    low, high = _span(min(values), max(values))
    first_day, last_day = points[0][0], points[-1][0]
    total_days = (last_day - first_day).days or 1
    left, right = PAD_LEFT, width - PAD_RIGHT
    top, bottom = PAD_TOP, height - PAD_BOTTOM

    def xy(day, value):
        x = left if len(points) == 1 else _scale((day - first_day).days, 0, total_days, left, right)
        y = _scale(value, low, high, bottom, top)
        return round(x, 1), round(y, 1)

    coords = [xy(day, value) for day, value in points]
    if len(coords) == 1:  # one point: a flat line across, so something shows
        coords.append((right, coords[0][1]))
    polyline = " ".join(f"{x},{y}" for x, y in coords)
    area = f"{coords[0][0]},{bottom} {polyline} {coords[-1][0]},{bottom}"
    grid = []
    for index in range(GRID_LINES + 1):
        value = low + (high - low) * index / GRID_LINES
        grid.append((round(_scale(value, low, high, bottom, top), 1), value))
    middle = points[len(points) // 2]
    x_labels = [(coords[0][0], points[0][0])]
    if len(points) > 2:
        x_labels.append((xy(*middle)[0], middle[0]))
    if len(points) > 1:
        x_labels.append((coords[-1][0], points[-1][0]))
    return {
        "polyline": polyline,
        "area": area,
        "grid": grid,
        "first": points[0],
        "last": points[-1],
        "low": low,
        "high": high,
        "x_labels": x_labels,
        "last_xy": coords[-1],
        "width": width,
        "height": height,
        "bottom": bottom,
    }


def change_percent(first, last):
    """The change from ``first`` to ``last`` in percent (None when ``first`` is 0)."""
    if not first:
        return None
    return (last / first - 1) * 100


def _to_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])
