"""Marketing SMS under Decree 91/2020/NĐ-CP: the pure rules.

- the text starts with ``[QC]`` and ends with the sender's opt-out instruction;
- it is sent only inside the allowed hours (local time, e.g. ``07:00-22:00``);
- at most a few marketing SMS per number and day (3 by default).

Imports nothing from odoo: the ``sms.sms`` model reads the settings, the clock
and the counts, and applies these. Datetimes here are naive and local
(Asia/Ho_Chi_Minh for PI); the model converts.
"""

import datetime
import re

PREFIX = "[QC]"
DEFAULT_HOURS = "07:00-22:00"
DEFAULT_DAILY_CAP = 3

DEFAULT_WINDOW = (datetime.time(7), datetime.time(22))

_HOURS_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_hours(text):
    """``(start, end)`` as ``datetime.time`` from ``"HH:MM-HH:MM"``.

    A malformed or empty window, or one that does not start before it ends,
    falls back to the legal default (07:00-22:00): a typo in the setting must
    never open the night.
    """
    match = _HOURS_RE.match(text or "")
    if match:
        start_h, start_m, end_h, end_m = (int(part) for part in match.groups())
        if start_h < 24 and end_h <= 24 and start_m < 60 and end_m < 60:
            start = datetime.time(start_h, start_m)
            end = datetime.time(23, 59, 59) if end_h == 24 else datetime.time(end_h, end_m)
            if start < end:
                return start, end
    return DEFAULT_WINDOW


def in_window(local_now, window):
    """Whether a marketing SMS may leave at ``local_now`` (start included, end excluded)."""
    start, end = window
    return start <= local_now.time() < end


def next_opening(local_now, window):
    """The next local datetime at which the window opens after ``local_now``
    (today's opening before it, tomorrow's after it)."""
    start, _end = window
    today_start = datetime.datetime.combine(local_now.date(), start)
    if local_now < today_start:
        return today_start
    return today_start + datetime.timedelta(days=1)


def release_time(local_now, window):
    """When an SMS held at ``local_now`` may go: ``None`` when now is inside the window."""
    return None if in_window(local_now, window) else next_opening(local_now, window)


def wrap(body, opt_out):
    """``body`` as a marketing SMS: ``[QC]`` first, the opt-out instruction last.

    Idempotent: a text already wrapped (a resend, a retry) is returned as is, so
    the prefix and the instruction never appear twice.
    """
    text = (body or "").strip()
    if not text.startswith(PREFIX):
        text = f"{PREFIX} {text}" if text else PREFIX
    opt_out = (opt_out or "").strip()
    if opt_out and not text.endswith(opt_out):
        text = f"{text}\n{opt_out}"
    return text


def split_by_cap(numbers, sent_today, cap=DEFAULT_DAILY_CAP):
    """Which SMS of a batch may go today, given the per-number daily cap.

    :param numbers: the numbers of the SMS, in sending order (one per SMS)
    :param sent_today: ``{number: marketing SMS already sent to it today}``
    :param cap: the most marketing SMS one number receives per day
    :return: ``(send, wait)``: the positions (indexes into ``numbers``) to send
        now and those to keep for another day, each in order
    """
    used = dict(sent_today)
    send, wait = [], []
    for index, number in enumerate(numbers):
        if used.get(number, 0) < cap:
            used[number] = used.get(number, 0) + 1
            send.append(index)
        else:
            wait.append(index)
    return send, wait
