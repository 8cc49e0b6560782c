import { _t } from "@web/core/l10n/translation";

/**
 * Terms of stock Odoo's web client that its own Vietnamese translation lacks
 * and PI's staff read every day (the date of each chatter message). Marked
 * here, as web's translation.js marks the timeago strings, so that they are
 * exported with pi_crm and translated in pi_crm's vi.po: the web client merges
 * the terms of every installed module into one dictionary.
 */
_t("Today at %(time)s");
_t("Yesterday at %(time)s");
