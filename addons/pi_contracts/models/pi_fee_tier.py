from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import fee_level


class PiFeeTier(models.Model):
    """A fee level: PI's share (percent) of the profit above the base rate.

    The level whose minimum principal is the highest one not above a new
    contract's principal is that contract's default level. A name that states
    the rate ("Mức phí 10%") follows it when the rate changes.
    """

    _name = "pi.fee.tier"
    _description = "Fee Level"
    _inherit = ["mail.thread"]
    _order = "min_principal desc, rate, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    rate = fields.Float(string="Fee (%)", digits=(5, 2), required=True, tracking=True,
                        help="Share of the profit above the base rate kept by PI, in percent.")
    min_principal = fields.Monetary(
        string="Minimum Principal", currency_field="currency_id", tracking=True,
        help="A new contract gets by default the level with the highest minimum not above its principal.")
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.ref("base.VND"), required=True)
    active = fields.Boolean(default=True, tracking=True)

    @api.constrains("rate", "min_principal")
    def _check_rate(self):
        for tier in self:
            if not 0 <= tier.rate <= 100:
                raise ValidationError(self.env._("A fee level must be between 0 and 100 %."))
            if tier.min_principal < 0:
                raise ValidationError(self.env._("The minimum principal of a fee level cannot be negative."))

    def write(self, vals):
        if "rate" not in vals or "name" in vals:
            return super().write(vals)
        for tier in self:
            names = tier._prepare_renamed_names(vals["rate"])
            lang = self.env.lang or "en_US"
            own = dict(vals, name=names.pop(lang)) if lang in names else vals
            super(PiFeeTier, tier).write(own)  # the name in the user's language is tracked with the rate
            if names:
                tier._update_field_translations("name", names)
        return True

    def _prepare_renamed_names(self, new_rate):
        """``{lang: name}``: the name, in each language it is stored in, that states
        the old rate, written with ``new_rate``; a name of its own is kept."""
        self.ensure_one()
        lang = self.env.lang or "en_US"
        stored = dict(self._fields["name"]._get_stored_translations(self) or {})
        stored.setdefault(lang, self.name)  # a language without its own name shows the English one
        Lang = self.env["res.lang"]
        installed = {code for code, _name in Lang.get_installed()} | {"en_US"}
        names = {}
        for code, name in stored.items():
            if code not in installed:
                continue  # kept as it is, like the language
            point = Lang._get_data(code=code).decimal_point or "."
            renamed = fee_level.rename_for_rate(name, self.rate, new_rate, point)
            if renamed:
                names[code] = renamed
        return names

    @api.model
    def _get_default_tier(self, principal):
        """The level a new contract of ``principal`` đồng gets by default."""
        tiers = self.sudo().search([("active", "=", True)])
        eligible = tiers.filtered(lambda tier: tier.min_principal <= (principal or 0))
        return (eligible or tiers.sorted("min_principal"))[:1]
