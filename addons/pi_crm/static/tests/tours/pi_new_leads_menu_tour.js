import { registry } from "@web/core/registry";

// A manager opens the activity menu: PI's new-lead queue is there, and opens the queue.
registry.category("web_tour.tours").add("pi_crm_new_leads_menu_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the activity menu",
            trigger: ".o_menu_systray .dropdown-toggle:has(i[aria-label='Activities'])",
            run: "click",
        },
        {
            content: "The new-lead queue is listed, with the leads nobody owns",
            trigger: ".o-mail-ActivityGroup:has(.o_pi_new_leads):contains(KH mới chưa tư vấn):contains(chưa giao)",
            run: "click",
        },
        {
            content: "The queue opens",
            trigger: ".o_breadcrumb:contains(KH mới chưa tư vấn)",
        },
        {
            content: "with the new lead",
            trigger: ".o_list_view .o_data_row:contains(Phan Văn Tài)",
        },
    ],
});
