// Side-by-side comparison of two to four scenarios (library ones and the edited current one), with CSV.

import { api } from "./api.js";
import { fmt } from "./charts.js";

const mean = (value) => (value && typeof value === "object" ? value.mean : value);
const get = (object, path) => path.split(".").reduce((node, key) => (node == null ? undefined : node[key]), object);
// a share in percent, as every other view shows it (charts.js `pct`); no number stays no number
const percent = (value) => (typeof value === "number" ? 100 * value : value);

// [group, label, unit, how to read it from a result]
export const METRICS = [
  ["cost", "cost", "$/kWh", (r) => get(r, "cost.usd_per_kwh")],
  ["cost", "cost per cell", "$", (r) => get(r, "cost.usd_per_cell")],
  ["cost", "capex", "$", (r) => get(r, "cost.capex_usd")],
  ["yield", "overall yield", "%", (r) => percent(get(r, "yield.overall"))],
  ["yield", "cell piece yield", "%", (r) => percent(get(r, "yield.cell_piece_yield"))],
  ["yield", "escapes", "ppm", (r) => get(r, "yield.escape_ppm")],
  ["throughput", "good cells per day", "cells/d", (r) => get(r, "throughput.good_cells_per_day")],
  ["throughput", "output", "GWh/yr", (r) => get(r, "throughput.gwh_per_year")],
  ["throughput", "good cell-layer area", "m2/h", (r) => get(r, "throughput.m2_per_hour")],
  ["quality", "relative density (mean)", "%", (r) => percent(mean(get(r, "quality.relative_density")))],
  ["quality", "Li loss (mean)", "%", (r) => percent(mean(get(r, "quality.li_loss_fraction")))],
  ["quality", "electrolyte ASR (mean)", "ohm cm2", (r) => mean(get(r, "quality.electrolyte_asr_ohm_cm2"))],
  ["quality", "interface ASR (mean)", "ohm cm2", (r) => mean(get(r, "quality.interface_asr_ohm_cm2"))],
  ["quality", "delivered cell energy", "Wh", (r) => get(r, "cell.delivered_cell_energy_wh")],
  ["energy", "electricity per kWh of cells", "kWh/kWh", (r) => r.energy_kwh_per_kwh],
];

let last = null; // {names, results}

function csvCell(value) {
  const text = value === undefined || value === null || (typeof value === "number" && !Number.isFinite(value))
    ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text: one row per metric, one column per scenario, full precision. */
export function compareCsv(names, results) {
  const lines = [["group", "metric", "unit", ...names].map(csvCell).join(",")];
  for (const [group, label, unit, read] of METRICS) {
    lines.push([group, label, unit, ...results.map(read)].map(csvCell).join(","));
  }
  lines.push(["bottleneck", "bottleneck", "", ...results.map((r) => r.bottleneck)].map(csvCell).join(","));
  return lines.join("\n") + "\n";
}

function table(names, results) {
  const el = document.getElementById("compare-table");
  el.innerHTML = "";
  const head = el.createTHead().insertRow();
  for (const text of ["metric", "unit", ...names]) head.append(Object.assign(document.createElement("th"), { textContent: text }));
  const body = el.createTBody();
  for (const [, label, unit, read] of METRICS) {
    const row = body.insertRow();
    for (const text of [label, unit, ...results.map((r) => fmt(read(r), 4))]) row.insertCell().textContent = text;
  }
  const row = body.insertRow();
  for (const text of ["bottleneck", "", ...results.map((r) => r.bottleneck || "–")]) row.insertCell().textContent = text;
}

function charts(names, results) {
  const holder = document.getElementById("compare-charts");
  holder.innerHTML = "";
  const picks = [["cost [$/kWh]", 0], ["overall yield [%]", 3], ["output [GWh/yr]", 7], ["electricity [kWh/kWh]", 14]];
  for (const [title, index] of picks) {
    const div = document.createElement("div");
    div.className = "chart";
    holder.append(div);
    Plotly.react(div, [{ type: "bar", x: names, y: results.map(METRICS[index][3]) }],
      { title: { text: title }, margin: { l: 60, r: 20, t: 40, b: 60 }, font: { size: 11 } },
      { displaylogo: false, responsive: true, displayModeBar: false });
  }
}

/** `choices()` lists {name, label}; `current()` gives the edited scenario {scenario, overrides}. */
export function setupCompare(choices, current) {
  const holder = document.getElementById("compare-choices");
  const error = document.getElementById("compare-error");
  const csvButton = document.getElementById("compare-csv");
  holder.innerHTML = "";
  for (const { name, label } of choices()) {
    const box = Object.assign(document.createElement("label"), { className: "choice" });
    box.innerHTML = `<input type="checkbox" value="">`;
    box.firstChild.value = name;
    box.append(` ${label}`);
    holder.append(box);
  }
  document.getElementById("compare-run").onclick = async () => {
    error.textContent = "";
    const picked = [...holder.querySelectorAll("input:checked")].map((box) => box.value);
    if (picked.length < 2 || picked.length > 4) {
      error.textContent = `tick two to four scenarios (${picked.length} ticked)`;
      return;
    }
    const results = [];
    try {
      for (const name of picked) {  // one after another: the API computes one evaluation per client at a time
        const { scenario, overrides } = name === "__current__" ? current() : { scenario: name, overrides: {} };
        results.push(await api.evaluate(scenario, overrides));
      }
    } catch (failure) {
      error.textContent = failure.message;
      return;
    }
    const names = picked.map((name) => (name === "__current__" ? "current (edited)" : name));
    last = { names, results };
    table(names, results);
    charts(names, results);
    csvButton.disabled = false;
  };
  csvButton.onclick = () => {
    if (!last) return;
    const blob = new Blob([compareCsv(last.names, last.results)], { type: "text/csv" });
    const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: "ssb-twin-compare.csv" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
}
