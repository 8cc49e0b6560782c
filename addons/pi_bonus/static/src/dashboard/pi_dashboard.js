import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * PI's manager dashboard and consultant's home: cards with one number each, and
 * this month's KPIs per consultant. One RPC (pi.kpi.dashboard.get_dashboard_data)
 * returns every figure, counted with the caller's rights, its label (translated
 * on the server) and the list it opens.
 */
export class PiDashboard extends Component {
    static template = "pi_bonus.PiDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ data: null });
        onWillStart(() => this.load());
    }

    get mode() {
        return this.props.action?.params?.mode || "consultant";
    }

    async load() {
        this.state.data = await this.orm.call("pi.kpi.dashboard", "get_dashboard_data", [this.mode]);
    }

    open(action) {
        this.actionService.doAction(action);
    }
}

registry.category("actions").add("pi_bonus.dashboard", PiDashboard);
