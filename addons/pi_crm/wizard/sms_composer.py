from odoo import models


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    def _action_send_sms_mass(self, records=None):
        """A mass SMS of a mailing: stock's note per recipient (the mailing forces
        "keep a note on document" on) is its timeline entry, tagged marketing."""
        if not self.mailing_id:
            return super()._action_send_sms_mass(records=records)
        records = records if records is not None else self._get_records()
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
        last_message_id = self.env.cr.fetchone()[0]
        result = super()._action_send_sms_mass(records=records)
        self._pi_tag_marketing_notes(records, last_message_id)
        return result

    def _pi_tag_marketing_notes(self, records, after_id):
        """Tag the SMS notes stock just logged on ``records`` (ids above ``after_id``):
        one search, one update. Superuser: the notes are stock's, written as such."""
        if not records:
            return
        notes = self.env["mail.message"].sudo().search([
            ("id", ">", after_id), ("model", "=", records._name), ("res_id", "in", records.ids),
            ("message_type", "=", "sms"), ("pi_care_kind", "=", False)])
        notes.write({"pi_care_kind": "marketing"})
