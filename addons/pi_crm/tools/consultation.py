"""The consultation log's vocabulary: channels, directions, lead classes, states.

Selection values shared by stored fields of several models (``pi.interaction``,
``pi.channel.point``, ``pi.interaction.result``, ``crm.lead``) and by the
"log a call" wizard and the timeline. Stored selections need static lists,
so they live here once. Labels are English; Odoo translates them per field.

Pure Python: imports nothing from odoo.
"""

CHANNELS = [
    ("call", "Call"),
    ("sms", "SMS"),
    ("email", "Email"),
    ("meeting", "Meeting"),
    ("other", "Other"),
]
DIRECTIONS = [("out", "Outbound"), ("in", "Inbound")]
PI_CLASSES = [
    ("urgent", "Urgent"),
    ("potential", "Potential"),
    ("not_potential", "Not potential"),
    ("callback", "Call back"),
]
CONSULT_STATES = [("new", "Not consulted yet"), ("consulting", "Consulting"), ("done", "Done")]
