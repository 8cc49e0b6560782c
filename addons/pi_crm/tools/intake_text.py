"""What the intake API writes for staff, without Odoo.

The words themselves (titles, labels) are translated by the models, which
pass them in: this module decides which of them applies and in what order.
"""

# Fields of a website submission shown in its summary, in this order.
SUMMARY_FIELDS = (
    "name", "phone", "email", "gender", "interest", "amount", "province", "utm_source", "utm_medium", "utm_campaign",
    "note",
)
# The kinds of website lead, by the submission's ``interest``.
LEAD_KINDS = ("invest", "newsletter")
DEFAULT_LEAD_KIND = "website"


def lead_kind(interest):
    """``invest``, ``newsletter`` or ``website`` (any other interest, none included)."""
    return interest if interest in LEAD_KINDS else DEFAULT_LEAD_KIND


def lead_title(interest, name, titles):
    """The title of a website lead.

    :param str interest: the submission's ``interest`` (may be None)
    :param str name: the person's name
    :param dict titles: title template by lead kind (see ``lead_kind``), each
        with a ``%(name)s`` placeholder
    """
    return titles[lead_kind(interest)] % {"name": name}


def summary_rows(clean, labels, formatters=None):
    """The ``(label, shown value)`` rows of a submission's summary.

    Only the fields with a value (not None, not empty) are shown, in
    ``SUMMARY_FIELDS`` order; a field without a label is left out.

    :param dict clean: the validated submission
    :param dict labels: the label of each field
    :param dict formatters: field -> function giving the shown value of a
        submitted one (words for codes, amounts in đồng); others are shown as
        submitted
    """
    formatters = formatters or {}
    rows = []
    for field in SUMMARY_FIELDS:
        value = clean.get(field)
        if value in (None, "") or field not in labels:
            continue
        shown = formatters[field](value) if field in formatters else value
        rows.append((labels[field], shown))
    return rows


def call_summary(caller, called=None, call_id=None, texts=None):
    """The history text of a switchboard call from its (translated) parts.

    :param dict texts: ``caller``, ``called`` and ``call_id`` templates with
        ``%(caller)s``, ``%(line)s`` and ``%(call)s`` placeholders
    """
    summary = texts["caller"] % {"caller": caller}
    if called:
        summary += texts["called"] % {"line": called}
    if call_id:
        summary += texts["call_id"] % {"call": call_id}
    return summary
