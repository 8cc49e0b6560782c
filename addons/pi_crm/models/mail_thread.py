from odoo import models

# What staff may say a message is for (the intro kit, marketing); a statement or a
# greeting comes from PI's jobs only.
STAFF_CARE_KINDS = ("intro", "marketing")


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _get_message_create_valid_field_names(self):
        # message_post(pi_care_kind=...) says what a message to a customer is for
        # (the composer's intro kit, the nurture); the tracking of opens and clicks
        # keys on it (mail.mail._pi_create_care_traces)
        return super()._get_message_create_valid_field_names() | {"pi_care_kind"}

    def message_post(self, **kwargs):
        kind = kwargs.get("pi_care_kind")
        if kind and kind not in STAFF_CARE_KINDS and not self._pi_may_post_care_kind(kind):
            raise ValueError(f"pi_care_kind {kind!r} is set by PI's own jobs only")
        return super().message_post(**kwargs)

    def _pi_may_post_care_kind(self, kind):
        """Whether this posting may mark its message as ``kind`` (beyond the staff's kinds):
        a hook for PI's jobs (the statements engine)."""
        return False
