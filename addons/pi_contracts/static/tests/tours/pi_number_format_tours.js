import { registry } from "@web/core/registry";

// Run on a report opened by the test (start_tour's URL), as a vi_VN user: the
// numbers must read the Vietnamese way, without zero decimals.
const ZERO_DECIMALS = /,\d*0\D*$/;  // "18,00", "3.100.000.000,00", "1,80G"

function check(texts, what, isBad) {
    const bad = texts.filter(isBad);
    if (!texts.length || bad.length) {
        throw new Error(`${what}: ${texts.join(" | ") || "nothing shown"}`);
    }
}

registry.category("web_tour.tours").add("pi_pivot_whole_amounts", {
    steps: () => [
        {
            content: "Every amount of the pivot is whole đồng: 3.100.000.000",
            trigger: ".o_pivot .o_pivot_cell_value",
            run() {
                const cells = [...document.querySelectorAll(".o_pivot .o_pivot_cell_value div")];
                check(cells.map((cell) => cell.textContent.trim()).filter(Boolean), "pivot cells",
                    (text) => !/^-?\d{1,3}(\.\d{3})*$/.test(text));
            },
        },
    ],
});

registry.category("web_tour.tours").add("pi_graph_round_ticks", {
    steps: () => [
        {
            content: "The graph's axis reads 0, 2, 4 … (or 200M, 1,8G), never 2,00",
            trigger: ".o_graph_renderer canvas",
            run() {
                const canvas = document.querySelector(".o_graph_renderer canvas");
                const chart = window.Chart.getChart(canvas);
                check(chart.scales.y.ticks.map((tick) => String(tick.label)), "graph axis",
                    (text) => ZERO_DECIMALS.test(text));
            },
        },
    ],
});
