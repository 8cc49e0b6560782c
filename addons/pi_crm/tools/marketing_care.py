"""Marketing care rules: who needs care after opening or clicking an email, the
points opens and clicks earn, and the settings' day counts.

Pure Python: imports nothing from odoo, so the rules can be tested alone.

A lead or customer "needs care" when they opened or clicked one of PI's emails
in the last ``days`` days and no interaction was logged since that open or click.
"""

import datetime

# ir.config_parameter keys and their defaults (res.config.settings shows them)
CARE_DAYS_PARAM = "pi_crm.care_days"
NURTURE_DELAY_PARAM = "pi_crm.nurture_delay_days"
NURTURE_CYCLE_PARAM = "pi_crm.nurture_cycle_days"
DEFAULT_CARE_DAYS = 30
DEFAULT_NURTURE_DELAY_DAYS = 14
DEFAULT_NURTURE_CYCLE_DAYS = 14

# pi.channel.point lines of the engagement events (not interaction channels)
OPEN = "email_open"
CLICK = "email_click"
ENGAGEMENT_CHANNELS = [(OPEN, "Email opened"), (CLICK, "Link clicked")]


def positive_days(value, default):
    """``value`` (a parameter's text) as a whole number of days >= 1, else ``default``."""
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return days if days >= 1 else default


def last_engagement(last_open, last_click):
    """The later of the last open and the last click (None when neither)."""
    dates = [date for date in (last_open, last_click) if date]
    return max(dates) if dates else None


def needs_care(last_open, last_click, last_interaction, now, days):
    """Whether a record opened or clicked within ``days`` of ``now`` with no interaction since.

    :param last_open: datetime of the last open, or None
    :param last_click: datetime of the last click, or None
    :param last_interaction: datetime of the last logged interaction, or None
    """
    engaged = last_engagement(last_open, last_click)
    if not engaged or engaged < now - datetime.timedelta(days=days):
        return False
    return not last_interaction or last_interaction < engaged


def engagement_points(opens, clicks, open_points, click_points):
    """Score points of ``opens`` opened and ``clicks`` clicked emails (each email counts once)."""
    return int(opens or 0) * int(open_points or 0) + int(clicks or 0) * int(click_points or 0)
