from odoo import models


class CrmMergeOpportunity(models.TransientModel):
    """Merging duplicates keeps the oldest lead, its name, source and subject
    (``crm.lead._pi_merge_destination``), whichever screen opened the wizard:
    the duplicate banner's button or the lead list's Merge action."""

    _inherit = "crm.merge.opportunity"

    def action_merge(self):
        self.ensure_one()
        destination = self.opportunity_ids._pi_merge_destination()
        return super(
            CrmMergeOpportunity, self.with_context(pi_merge_destination_id=destination.id)
        ).action_merge()
