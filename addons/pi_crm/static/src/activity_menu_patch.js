import { ActivityMenu } from "@mail/core/web/activity_menu";
import { patch } from "@web/core/utils/patch";

/**
 * PI's new-lead queue in the activity menu (res.users._get_activity_groups):
 * its entry opens the queue itself ("KH mới chưa tư vấn"), not the user's own
 * activities, since a manager's new leads are often nobody's activity yet.
 */
patch(ActivityMenu.prototype, {
    openActivityGroup(group, filter = "all") {
        if (group.type !== "pi_new_leads") {
            return super.openActivityGroup(group, filter);
        }
        this.dropdown.close();
        this.action.doAction(group.action, { clearBreadcrumbs: true });
    },
});
