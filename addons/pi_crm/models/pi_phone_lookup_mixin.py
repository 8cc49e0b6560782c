from odoo import api, fields, models


class PiPhoneLookupMixin(models.AbstractModel):
    """Exact, indexed phone lookup over both numbers of a record.

    Stock ``mail.thread.phone.phone_sanitized`` keeps one number in E.164: the
    first of ``_phone_get_number_fields()`` that formats (mobile, then phone).
    A customer who calls from the other number would be missed, and
    ``phone_mobile_search`` finds them only through ``regexp_replace`` scans.
    This mixin stores the other number in E.164 too, and indexes both, so the
    intake API answers with two index probes whatever the base size.
    """

    _name = "pi.phone.lookup.mixin"
    _description = "Indexed phone lookup"

    pi_phone_other_sanitized = fields.Char(
        string="Other Sanitized Number",
        compute="_compute_pi_phone_other_sanitized",
        compute_sudo=True,
        store=True,
        index="btree_not_null",
        help="The second number of the record in E.164, the one 'Sanitized Number' does not hold.",
    )

    # Same triggers as stock phone_sanitized; both helpers live on every model (phone_validation).
    @api.depends(lambda self: [fname for fname in [self._phone_get_country_field()] if fname]
                 + self._phone_get_number_fields())
    def _compute_pi_phone_other_sanitized(self):
        number_fields = self._phone_get_number_fields()
        for record in self:
            numbers = [record._phone_format(fname=fname) for fname in number_fields]
            numbers = [number for number in numbers if number]
            record.pi_phone_other_sanitized = next(
                (number for number in numbers[1:] if number != numbers[0]), False
            )

    @api.model
    def _pi_get_phone_domain(self, number):
        """Domain matching ``number`` (E.164) on either stored number.

        Both terms are equalities on indexed columns: PostgreSQL answers with a
        BitmapOr of two index scans.
        """
        return ["|", ("phone_sanitized", "=", number), ("pi_phone_other_sanitized", "=", number)]


# Integration point: applied here rather than in res_partner.py / crm_lead.py so
# that the intake work merges without touching the files the consultation
# workflow owns. They may move into those files once both branches are merged.
class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "pi.phone.lookup.mixin"]

    # Stock stores the partner's sanitized number without an index (crm.lead has one).
    phone_sanitized = fields.Char(index="btree_not_null")


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "pi.phone.lookup.mixin"]
