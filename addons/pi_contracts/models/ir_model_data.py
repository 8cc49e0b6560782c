import hashlib
import logging

from lxml import etree

from odoo import api, models
from odoo.tools import SQL, file_path
from odoo.tools.convert import xml_import
from odoo.tools.translate import TranslationImporter, get_po_paths

_logger = logging.getLogger(__name__)


def text_digest(text):
    """SHA-256 (hex) of a shipped text, as ``_pi_update_shipped_values`` compares them."""
    return hashlib.sha256(text.encode()).hexdigest()


class IrModelData(models.Model):
    _inherit = "ir.model.data"

    @api.model
    def _pi_update_shipped_values(self, data_file, shipped_before):
        """Bring PI's ``noupdate`` records (templates PI's staff edit) to the text
        this version ships, where the database still holds the text of an
        earlier version; a text someone edited is never touched.

        Field by field and language by language: a source value (``en_US``, or
        the value of an untranslated field) that is still an old shipped one is
        loaded again from ``data_file``, exactly as an installation loads it; a
        translation that is still an old shipped one (or is missing while its
        source was refreshed) is loaded again from the addon's ``.po`` files.
        Runs from a ``<function>`` after the records, on every install and
        update of the addon.

        :param str data_file: the records' data file, ``"addon/data/file.xml"``
        :param dict shipped_before: ``{record id in the file: {field name:
            SHA-256 hex digests (``text_digest``) of the values, source or
            translation, that earlier versions shipped}}``
        """
        module = data_file.split("/", 1)[0]
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        sources = {}        # record id in the file: {field names whose source is stale}
        translations = {}   # lang: {(xmlid, field name): stored text} of the stale translations
        for record_id, digests_by_field in shipped_before.items():
            xmlid = f"{module}.{record_id}"
            record = self.env.ref(xmlid, raise_if_not_found=False)
            if not record:
                continue
            for name, digests in digests_by_field.items():
                values = self._pi_stored_values(record, name)
                stale = {lang for lang, text in values.items() if text and text_digest(text) in digests}
                if "en_US" in stale:
                    sources.setdefault(record_id, set()).add(name)
                if record._fields[name].translate:
                    for lang in langs:
                        if lang in stale or ("en_US" in stale and lang not in values):
                            translations.setdefault(lang, {})[xmlid, name] = values.get(lang)
        updated = [f"{record_id}.{name}" for record_id, names in sources.items() for name in sorted(names)]
        if sources:
            self._pi_load_shipped_sources(module, data_file, sources)
        if translations:
            updated += self._pi_load_shipped_translations(module, translations)
        if updated:
            _logger.info("%s: shipped texts updated where unchanged: %s", data_file, ", ".join(updated))

    @api.model
    def _pi_stored_values(self, record, name):
        """``{lang: text}`` of the field as stored (``en_US`` for an untranslated field)."""
        record.flush_recordset([name])
        self.env.cr.execute(SQL("SELECT %s FROM %s WHERE id = %s",
                                SQL.identifier(name), SQL.identifier(record._table), record.id))
        value = self.env.cr.fetchone()[0]
        if record._fields[name].translate:
            return value or {}
        return {"en_US": value} if value else {}

    @api.model
    def _pi_load_shipped_sources(self, module, data_file, sources):
        """Load from ``data_file`` only the given fields of the given records, as
        an installation does (the records stay ``noupdate``). Writing a source
        value leaves the record's translations as they are."""
        shipped = etree.Element("odoo", noupdate="1")
        for record in list(etree.parse(file_path(data_file)).getroot().iter("record")):
            names = sources.get(record.get("id"))
            if not names:
                continue
            for field in record.findall("field"):
                if field.get("name") not in names:
                    record.remove(field)
            shipped.append(record)
        xml_import(self.env, module, {}, "init", noupdate=True, xml_filename=data_file).parse(shipped)
        self.env.flush_all()

    @api.model
    def _pi_load_shipped_translations(self, module, translations):
        """Load from the addon's ``.po`` files only the translations of the given
        (record, field) pairs, in the given languages, replacing what is stored
        (fields translated as a whole, ``translate=True``).

        :param dict translations: ``{lang: {(xmlid, field name): stored text}}``
        :return: what changed, ``["xmlid.field (lang)"]``
        """
        updated = []
        for lang, stored in translations.items():
            count = len(updated)
            importer = TranslationImporter(self.env.cr, verbose=False)
            for path in get_po_paths(module, lang, env=self.env):
                importer.load_file(path, lang, xmlids={xmlid for xmlid, _name in stored})
            importer.model_terms_translations.clear()  # whole-value translations (translate=True) only
            for by_field in importer.model_translations.values():
                for name, by_xmlid in by_field.items():
                    for xmlid in list(by_xmlid):
                        # An old source can be today's translation ("PI: hợp đồng sắp hết hạn"): nothing to do.
                        if (xmlid, name) not in stored or by_xmlid[xmlid].get(lang) == stored[xmlid, name]:
                            del by_xmlid[xmlid]
                        else:
                            updated.append(f"{xmlid}.{name} ({lang})")
            if len(updated) > count:
                importer.save(force_overwrite=True)
        return updated
