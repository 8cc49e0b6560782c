from odoo import Command, api, models


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _pi_install_lang(self, code):
        """Activate the language ``code`` with the terms of every installed module,
        as Settings › Languages › Add does; nothing when it is active already.

        ``_activate_lang`` alone leaves the modules installed before it (web,
        mail, crm …) untranslated: in a database made in English, PI's demo
        staff would read stock screens in English.
        """
        lang = self.with_context(active_test=False).search([("code", "=", code)])
        if lang and not lang.active:
            self.env["base.language.install"].create({"lang_ids": [Command.set(lang.ids)]}).lang_install()
        return lang
