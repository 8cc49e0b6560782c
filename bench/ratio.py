"""Benchmark figures as ratios: PI's figure next to its reference, measured in the same run.

Absolute times on a shared machine move by a third from run to run; what holds is the
ratio of two things measured side by side. Every bench script prints its figures through
this helper::

    from ratio import RatioTable           # bench/ is the script's own directory

    table = RatioTable("switchboard answer")
    table.add("PBX answer p99", pi_ms, refused_ms, goal="<= 1.25", unit="ms")
    table.add("lead intake", pi_rps, stock_rps, goal=">= 2", unit="req/s")
    table.add("phone lookup vs stock", pi_ms, stock_ms, goal=">= 20", unit="ms", ratio="ref/pi")
    table.print()                          # the markdown table, at the end of the script

``ratio`` says which way the ratio reads: ``"pi/ref"`` (default: PI costs N times its
reference, or does N times its throughput) or ``"ref/pi"`` (PI is N times faster than
its reference). ``goal`` is ``"<= X"`` or ``">= X"`` on that ratio (or None: shown, not judged).

Each row is printed as it is added (``figure | PI | reference | ratio | goal | met?``).
When the environment variable ``PI_BENCH_RATIOS`` names a file, each row is also appended
to it as one JSON line; ``bench/run_all.py`` uses that to collect every script's rows into
one table. No dependency beyond the standard library.
"""

import json
import os
import statistics

HEADER = ("figure", "PI", "reference", "ratio", "goal", "met?")


def percentile(samples, fraction):
    """The sample at ``fraction`` (0.5 = median, 0.99 = p99) of ``samples`` (nearest rank)."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def p50_p99(samples):
    """(median, p99) of ``samples``."""
    return (statistics.median(samples) if samples else float("nan")), percentile(samples, 0.99)


def _number(value, unit):
    if value is None:
        return "n/a"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def _ratio_value(pi, reference, direction):
    if not pi or not reference:
        return None
    if direction == "pi/ref":
        return pi / reference
    if direction == "ref/pi":
        return reference / pi
    raise ValueError(f"ratio must be 'pi/ref' or 'ref/pi', not {direction!r}")


def _met(value, goal):
    if goal is None:
        return None
    operator, _space, bound = goal.strip().partition(" ")
    bound = float(bound.rstrip("x×"))
    if value is None:
        return False
    if operator == "<=":
        return value <= bound
    if operator == ">=":
        return value >= bound
    raise ValueError(f"goal must read '<= X' or '>= X', not {goal!r}")


class RatioTable:
    """Rows of ``figure | PI | reference | ratio | goal | met?`` for one bench script."""

    def __init__(self, title, quiet=False):
        self.title = title
        self.rows = []
        self.quiet = quiet

    def add(self, figure, pi, reference, goal=None, unit="ms", ratio="pi/ref", reference_name="", note=""):
        """Record one figure; returns the row (a dict). ``reference_name`` says what the reference is."""
        value = _ratio_value(pi, reference, ratio)
        row = {
            "section": self.title,
            "figure": figure,
            "pi": pi,
            "reference": reference,
            "reference_name": reference_name,
            "unit": unit,
            "direction": ratio,
            "ratio": value,
            "goal": goal,
            "met": _met(value, goal),
            "note": note,
        }
        self.rows.append(row)
        if not self.quiet:
            print(" | ".join(format_row(row)), flush=True)
        target = os.environ.get("PI_BENCH_RATIOS")
        if target:
            with open(target, "a", encoding="utf-8") as stream:
                stream.write(json.dumps(row) + "\n")
        return row

    def markdown(self):
        return markdown(self.rows)

    def print(self):
        print()
        print(f"## {self.title}")
        print(self.markdown(), flush=True)


def format_row(row):
    """The six cells of a row, as text."""
    reference = _number(row["reference"], row["unit"])
    if row.get("reference_name"):
        reference = f"{reference} ({row['reference_name']})"
    ratio = "n/a" if row["ratio"] is None else f"{row['ratio']:.2f}×"
    if row["direction"] == "ref/pi" and row["ratio"] is not None:
        ratio += " faster"
    goal = "—" if not row["goal"] else row["goal"].replace("<=", "≤").replace(">=", "≥") + "×"
    met = {True: "yes", False: "**no**", None: "—"}[row["met"]]
    return [row["figure"], _number(row["pi"], row["unit"]), reference, ratio, goal, met]


def markdown(rows, with_section=False):
    """A markdown table of ``rows`` (dicts as ``RatioTable.add`` returns them)."""
    header = (("section",) if with_section else ()) + HEADER
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = ([row["section"]] if with_section else []) + format_row(row)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def read_rows(path):
    """The rows appended to ``path`` (the ``PI_BENCH_RATIOS`` file)."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]
