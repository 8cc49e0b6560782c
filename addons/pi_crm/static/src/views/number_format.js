import { localization } from "@web/core/l10n/localization";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { formatMonetary } from "@web/views/fields/formatters";
import { session } from "@web/session";

/**
 * Numbers in reports as the user's language writes them.
 *
 * 1. A monetary total that comes without a currency (pivot cells, the group rows
 *    of a grouped list) is in the company's currency and takes its decimals:
 *    stock Odoo falls back to two decimals, so whole đồng showed as
 *    "3.100.000.000,00". The company's currency comes with the session
 *    (pi_crm's ir.http.session_info).
 * 2. Graph axes and tooltips (graph_ticks.js, loaded with the lazy graph view):
 *    stock Odoo writes every tick with two decimals ("18,00" leads, "800,00M");
 *    zero decimals are dropped ("18", "800M", "1,8G").
 */

const formatters = registry.category("formatters");

/** The currency of the user's current company, or undefined. */
export function getCompanyCurrencyId() {
    const companyId = user.context.allowed_company_ids?.[0];
    return session.user_companies?.allowed_companies?.[companyId]?.currency_id;
}

function hasCurrency(options) {
    if (options.currencyId) {
        return true;
    }
    const currencyField = options.currencyField || options.field?.currency_field || "currency_id";
    const value = options.data?.[currencyField];
    return Boolean(Array.isArray(value) ? value[0] : value);
}

export function formatMonetaryInCompanyCurrency(value, options = {}) {
    if (hasCurrency(options) || options.digits) {
        return formatMonetary(value, options);
    }
    const currencyId = getCompanyCurrencyId();
    if (!currencyId) {
        return formatMonetary(value, options);
    }
    // Same look as stock (no symbol where no currency was given), its decimals.
    return formatMonetary(value, { ...options, currencyId, noSymbol: true });
}
formatMonetaryInCompanyCurrency.extractOptions = formatMonetary.extractOptions;
formatters.add("monetary", formatMonetaryInCompanyCurrency, { force: true });

/** "18,00" → "18", "1,80G" → "1,8G", "0,50" → "0,5"; "100" and "1.000" stay. */
export function dropZeroDecimals(text, decimalPoint = localization.decimalPoint) {
    const point = decimalPoint.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return String(text).replace(new RegExp(`(${point}\\d*?)0+(?=\\D*$)`), "$1")
        .replace(new RegExp(`${point}(?=\\D*$)`), "");
}
