// Renders one result document (evaluate or a finished simulation) with Plotly. Keys are read
// defensively: blocks added later (or absent in one kind of result) are shown when present.

// no toolbar over the titles; hover read-outs, drag-to-zoom and double-click-to-reset stay
const CONFIG = { displaylogo: false, responsive: true, displayModeBar: false };
// legend above the plot area, so long step names on the x axis never run into it
const LAYOUT = {
  margin: { l: 60, r: 20, t: 60, b: 110 }, font: { size: 11 },
  title: { x: 0.01, xanchor: "left" },
  legend: { orientation: "h", x: 0, y: 1.0, yanchor: "bottom" },
  xaxis: { tickangle: -35, automargin: true },
};

export function fmt(value, digits = 3) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "–";
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3)) return value.toExponential(2);
  return Number(value.toPrecision(digits)).toLocaleString("en");
}

/** A charge limit as a cell maker writes it, rounded to the slower side ("C/17", "1.7C"), as
 * twin.cell_rating.c_rate_text(at_most=True); "–" when the cell has no rated CCD. */
const chargeRate = (rate) => {
  if (typeof rate !== "number" || !Number.isFinite(rate) || rate <= 0) return "–";
  if (rate >= 1) return `${Number((Math.floor(rate * 10) / 10).toPrecision(2))}C`;
  const hours = 1 / rate;
  return hours >= 10 ? `C/${Math.ceil(hours)}` : `C/${Number((Math.ceil(hours * 10) / 10).toPrecision(2))}`;
};

/** "12.3 unit", or "–" alone when there is no number (no good cell: no cost per kWh). */
const withUnit = (value, unit, digits = 3) => (typeof value === "number" && Number.isFinite(value)
  ? `${fmt(value, digits)} ${unit}` : "–");

// a yield or share as every command and the report write it (twin.commands.formats.percent): "81.62%"
export const pct = (value) => (typeof value === "number" && Number.isFinite(value) ? `${(100 * value).toFixed(2)}%` : "–");
const get = (object, path) => path.split(".").reduce((node, key) => (node == null ? undefined : node[key]), object);
const mean = (value) => (value && typeof value === "object" ? value.mean : value);

function plot(id, traces, layout) {
  const title = { ...LAYOUT.title, ...(layout.title || {}) };
  Plotly.react(id, traces, { ...LAYOUT, ...layout, title }, CONFIG);
}

function kpis(result) {
  const target = get(result, "throughput.target_gwh_per_year");
  const items = [
    ["cost", withUnit(get(result, "cost.usd_per_kwh"), "$/kWh", 4), "kpi-cost"],
    ["per cell", withUnit(get(result, "cost.usd_per_cell"), "$")],
    ["overall yield", pct(get(result, "yield.overall")), "kpi-yield"],
    ["cell piece yield (finished sheets)", pct(get(result, "yield.cell_piece_yield")), "kpi-cell-piece-yield"],
    ["good cells / day", fmt(get(result, "throughput.good_cells_per_day"), 4)],
    ["output", withUnit(get(result, "throughput.gwh_per_year"), "GWh/yr") + (target ? ` (target ${fmt(target)})` : ""),
      "kpi-output"],
    ["bottleneck", result.bottleneck || "–", "kpi-bottleneck"],
    ["energy", withUnit(result.energy_kwh_per_kwh, "kWh/kWh")],
    ["cell energy delivered", withUnit(get(result, "cell.delivered_cell_energy_wh"), "Wh")],
    ["specific energy", withUnit(get(result, "cell.specific_energy_wh_per_kg"), "Wh/kg")],
    ["energy density", withUnit(get(result, "cell.energy_density_wh_per_l"), "Wh/l")],
    ["fastest charge under the CCD (weakest 5 %)", chargeRate(get(result, "cell.max_charge_c_rate_per_h.p5"))],
    ["top scrap cause (share of cell pieces started)", topScrapCause(result.yield)],
    ["escapes", withUnit(get(result, "yield.escape_ppm"), "ppm")],
    ["false rejects", pct(get(result, "yield.false_reject_rate"))],
  ];
  document.getElementById("kpis").innerHTML = "";
  const output = get(result, "throughput.gwh_per_year");
  for (const [label, value, id] of items) {
    const box = document.createElement("div");
    box.className = "kpi";
    if (id) box.id = id;
    box.innerHTML = `<div class="value"></div><div class="label"></div>`;
    box.querySelector(".value").textContent = value;
    box.querySelector(".label").textContent = label;
    if (id === "kpi-output" && outputShort(result, output, target)) box.classList.add("short");
    document.getElementById("kpis").append(box);
  }
}

/** The twin's own target verdict (throughput.target_shortfall.short: short beyond its 0.5 % sampling tolerance),
 * so the dashboard and every command say the same; output below target where a result carries no verdict. */
function outputShort(result, output, target) {
  const verdict = get(result, "throughput.target_shortfall.short");
  if (typeof verdict === "boolean") return verdict;
  return typeof target === "number" && !(output >= target);
}

/** Sentences the twin writes (capacity or target shortfall, why yield is zero, why a rate is absent): every
 * string with a space in it, at any depth up to three, wherever a block carries it. */
function sentences(node, depth = 0, found = []) {
  if (typeof node === "string" && node.includes(" ")) found.push(node);
  else if (node && typeof node === "object" && depth < 3) {
    for (const [key, value] of Object.entries(node)) {
      if (!["scenario", "designed_scenario", "sources", "description"].includes(key)) sentences(value, depth + 1, found);
    }
  }
  return found;
}

function notes(result) {
  const list = document.getElementById("notes");
  list.innerHTML = "";
  for (const text of new Set(sentences(result))) {
    const item = document.createElement("li");
    item.textContent = text;
    list.append(item);
  }
}

/** The scrap cause that takes the most sheets, as "li_loss (94 %)", or "none". */
function topScrapCause(yieldBlock) {
  const causes = Object.entries((yieldBlock && yieldBlock.scrap_by_cause) || {}).filter(([, v]) => v > 0);
  if (causes.length === 0) return "none";
  const [cause, share] = causes.reduce((a, b) => (b[1] > a[1] ? b : a));
  return `${cause} (${pct(share)})`;
}

function costCharts(cost) {
  if (!cost) return;
  const byStepCategory = cost.by_step_category_usd_per_kwh;
  const steps = Object.keys(cost.by_step || byStepCategory || {});
  let traces;
  if (byStepCategory) {
    const categories = [...new Set(steps.flatMap((step) => Object.keys(byStepCategory[step] || {})))];
    traces = categories.map((category) => ({
      type: "bar", name: category, x: steps, y: steps.map((step) => (byStepCategory[step] || {})[category] || 0),
    }));
  } else {
    traces = [{ type: "bar", name: "cost", x: steps, y: steps.map((step) => cost.by_step[step]) }];
  }
  plot("chart-cost-step", traces, { barmode: "stack", title: { text: "Cost by step and category [$/kWh]" } });
  const categories = Object.entries(cost.by_category || {}).filter(([, value]) => value > 0);
  plot("chart-cost-category", [{
    type: "pie", hole: 0.45, labels: categories.map(([name]) => name), values: categories.map(([, value]) => value),
    textinfo: "label+percent", sort: false,
  }], { title: { text: `Cost by category (${withUnit(cost.usd_per_kwh, "$/kWh", 4)})` }, showlegend: false,
    margin: { l: 30, r: 30, t: 60, b: 30 } });
}

// the running product of the step yields in cell pieces (yield.piece_yield_by_step, the overall yield's unit);
// the last bar, good cell pieces, is that product x the escape factor = yield.overall
function yieldFunnel(yieldBlock) {
  if (!yieldBlock || !yieldBlock.piece_yield_by_step) return;
  let left = 100;
  const stages = [["started", 100]];
  for (const [step, kept] of Object.entries(yieldBlock.piece_yield_by_step)) {
    left *= kept;
    stages.push([step, left]);
  }
  if (typeof yieldBlock.overall === "number") stages.push(["good cell pieces", 100 * yieldBlock.overall]);
  plot("chart-yield", [{
    type: "funnel", y: stages.map(([name]) => name), x: stages.map(([, value]) => value),
    texttemplate: "%{x:.2f}", textposition: "inside",
  }], { title: { text: "Yield funnel [cell pieces per 100 started]" }, margin: { l: 150, r: 20, t: 40, b: 30 },
    xaxis: {} });
}

function stationChart(stations, bottleneck) {
  if (!stations) return;
  const names = Object.keys(stations);
  const states = ["utilization", "availability", "oee", "blocked_fraction", "starved_fraction", "down_fraction"]
    .filter((state) => names.some((name) => typeof stations[name][state] === "number"));
  const labels = names.map((name) => (name === bottleneck ? `${name} (bottleneck)` : name));
  plot("chart-stations", states.map((state) => ({
    type: "bar", name: state, x: labels, y: names.map((name) => stations[name][state]),
  })), { barmode: "group", title: { text: "Station states" }, yaxis: { tickformat: ".0%", range: [0, 1.05] } });
}

/** Each check's specs: the judged distribution against the limit, as a table and a margin chart. */
function quality(result) {
  const table = document.getElementById("quality-table");
  const checks = result.quality_at_check || {};
  const rows = [];
  for (const [check, specs] of Object.entries(checks)) {
    for (const [quantity, spec] of Object.entries(specs || {})) {
      if (spec && typeof spec === "object" && typeof spec.limit === "number") rows.push({ check, quantity, ...spec });
    }
  }
  table.innerHTML = "<thead><tr><th>check</th><th>quantity</th><th>p5</th><th>mean</th><th>p95</th>" +
    "<th>spec</th><th>out of spec</th></tr></thead>";
  const body = document.createElement("tbody");
  for (const row of rows) {
    const out = row.out_of_spec_fraction > 0;
    const tr = document.createElement("tr");
    const cells = [row.check, row.quantity, fmt(row.p5), fmt(row.mean), fmt(row.p95),
      `${row.sense === "min" ? "≥" : "≤"} ${fmt(row.limit)}`, pct(row.out_of_spec_fraction)];
    cells.forEach((text, i) => {
      const td = document.createElement("td");
      td.textContent = text;
      if (i === 6) td.className = out ? "out" : "in";
      tr.append(td);
    });
    body.append(tr);
  }
  table.append(body);
  if (rows.length === 0) {
    Plotly.purge("chart-quality");
    return;
  }
  // worst 5 % tail over the limit: 1 is on the limit, above 1 outside the spec, for min and max specs alike
  const ratio = (row) => {
    const value = row.sense === "min" ? row.limit / row.p5 : row.p95 / row.limit;
    return Number.isFinite(value) ? value : null; // a zero tail or limit has no ratio: the table shows it
  };
  const labels = rows.map((row) => `${row.check}: ${row.quantity}`);
  plot("chart-quality", [{
    type: "bar", orientation: "h", y: labels, x: rows.map(ratio),
    marker: { color: rows.map((row) => (ratio(row) > 1 ? "#b3261e" : "#2e7d32")) },
  }], {
    title: { text: "Quality vs spec: worst 5 % tail / limit (above 1 = outside spec)" },
    margin: { l: 290, r: 20, t: 40, b: 40 }, xaxis: {},
    shapes: [{ type: "line", x0: 1, x1: 1, yref: "paper", y0: 0, y1: 1, line: { dash: "dot", color: "#b3261e" } }],
  });
}

export function renderResult(result) {
  kpis(result);
  notes(result);
  costCharts(result.cost);
  yieldFunnel(result.yield);
  stationChart(result.stations, result.bottleneck);
  quality(result);
}
