/** @odoo-module **/

import { registry } from "@web/core/registry";

// The demo investor, on a phone: home card → list → a contract → ask for a renewal.
registry.category("web_tour.tours").add("pi_portal_investor_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the Investments card of the portal home",
            trigger: 'a[href="/my/investments"]',
            run: "click",
        },
        {
            content: "The totals are in đồng",
            trigger: ".pi_total_principal:contains(₫)",
        },
        {
            content: "Open the first contract (phone cards)",
            trigger: ".pi_portal_card:first",
            run: "click",
        },
        {
            content: "The value today is shown",
            trigger: ".pi_contract_value:contains(₫)",
        },
        {
            content: "The payout breakdown is there",
            trigger: ".pi_payout_breakdown tr:last:contains(₫)",
        },
        {
            content: "The contract PDF can be downloaded",
            trigger: '.pi_download_contract[href*="report_type=pdf"]',
        },
        {
            content: "Ask for a renewal",
            trigger: ".pi_btn_renew",
            run: "click",
        },
        {
            content: "Write a note",
            trigger: "#pi_form_renew textarea[name=note]",
            run: "edit Xin gọi tôi buổi sáng",
        },
        {
            content: "Send the request",
            trigger: "#pi_form_renew .pi_btn_send",
            run: "click",
        },
        {
            content: "The request is confirmed",
            trigger: ".pi_request_sent",
        },
    ],
});
