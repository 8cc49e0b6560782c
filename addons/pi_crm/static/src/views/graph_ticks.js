import { patch } from "@web/core/utils/patch";
import { GraphRenderer } from "@web/views/graph/graph_renderer";
import { dropZeroDecimals } from "@pi_crm/views/number_format";

// Graph axes and tooltips without zero decimals: "18" leads, not "18,00"; "1,5G",
// not "1,50G" (see number_format.js).
patch(GraphRenderer.prototype, {
    formatValue() {
        return dropZeroDecimals(super.formatValue(...arguments));
    },
});
