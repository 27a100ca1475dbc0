// Simulation and optimisation jobs: start one on the current scenario, poll its progress, link its report.

import { api } from "./api.js";
import { fmt } from "./charts.js";

const FINAL = new Set(["done", "failed", "cancelled"]);
const POLL_MS = 1000;
const STORAGE = "ssbTwinJobs"; // jobs started from this browser, so a reload still lists them
const KEPT = 20;
const jobs = new Map(); // id -> {job, row}

function remembered() {
  try {
    const list = JSON.parse(localStorage.getItem(STORAGE) || "[]");
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function remember(job, label) {
  const list = remembered().filter((item) => item.id !== job.id);
  list.unshift({ id: job.id, self: job.links.self, label });
  localStorage.setItem(STORAGE, JSON.stringify(list.slice(0, KEPT)));
}

function numberOrNull(id) {
  const text = document.getElementById(id).value;
  return text === "" ? null : Number(text);
}

/** The body for POST /simulations or /optimisations from the form and the current scenario. */
function jobBody(kind, scenario, overrides) {
  const body = { scenario, overrides, days: numberOrNull("job-days"), replications: numberOrNull("job-replications") };
  if (kind === "simulation") {
    const seed = numberOrNull("job-seed");
    if (seed !== null) body.seed = seed;
  } else {
    body.objective = document.getElementById("job-objective").value;
    body.twin_check = document.getElementById("job-twin-check").checked;
  }
  return body;
}

function link(href, text) {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  a.target = "_blank";
  return a;
}

function draw(entry, onShowResult) {
  const { job, row } = entry;
  row.dataset.status = job.status;
  row.cells[3].textContent = job.status + (job.error ? `: ${job.error}` : "");
  row.cells[3].className = job.status === "failed" ? "out" : "";
  const bar = row.cells[4].querySelector("progress");
  bar.value = job.progress;
  row.cells[4].querySelector("span").textContent = ` ${fmt(100 * job.progress, 3)} %`;
  const reports = row.cells[5];
  const actions = row.cells[6];
  reports.innerHTML = "";
  actions.innerHTML = "";
  if (job.status === "done") {
    const base = job.links.report;
    reports.append(link(`${base}.html`, "HTML"), " ", link(`${base}.csv`, "CSV"), " ", link(`${base}.json`, "JSON"));
    const show = document.createElement("button");
    show.type = "button";
    show.className = "small show-result";
    show.textContent = job.kind === "optimisation" ? "open design" : "show result";
    show.addEventListener("click", () => onShowResult(job));
    actions.append(show);
  } else if (!FINAL.has(job.status)) {
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "small";
    cancel.textContent = "cancel";
    cancel.addEventListener("click", async () => {
      entry.job = await api.cancelJob(job.links.self).catch(() => job);
      draw(entry, onShowResult);
    });
    actions.append(cancel);
  }
}

async function poll(entry, onShowResult) {
  while (!FINAL.has(entry.job.status)) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    try {
      entry.job = await api.job(entry.job.links.self);
    } catch (error) {
      entry.row.cells[3].textContent = `status unavailable: ${error.message}`;
      continue;
    }
    draw(entry, onShowResult);
  }
}

function addRow(job, scenarioLabel, restored = false) {
  const row = document.createElement("tr");
  row.id = `job-${job.id}`;
  row.className = restored ? "job-row restored" : "job-row";
  for (let i = 0; i < 7; i++) row.append(document.createElement("td"));
  row.cells[0].textContent = new Date(job.created_at).toLocaleTimeString();
  row.cells[1].textContent = job.kind;
  row.cells[2].textContent = scenarioLabel;
  row.cells[4].innerHTML = '<progress max="1" value="0"></progress><span></span>';
  const body = document.querySelector("#job-table tbody");
  if (restored) body.append(row);
  else body.prepend(row);
  return row;
}

/** List the jobs this browser started earlier (newest first); ones the server no longer has are forgotten. */
async function restore(onShowResult) {
  const kept = [];
  for (const item of remembered()) {
    try {
      const job = await api.job(item.self);
      const entry = { job, row: addRow(job, item.label, true) };
      jobs.set(job.id, entry);
      draw(entry, onShowResult);
      poll(entry, onShowResult);
      kept.push(item);
    } catch (error) {
      if (error.status !== 404) kept.push(item); // e.g. 401 before the key is typed: keep it for later
    }
  }
  localStorage.setItem(STORAGE, JSON.stringify(kept));
}

/** Wire the job form; `current()` gives {scenario, overrides, label} of the scenario being edited. */
export function setupJobs(current, onShowResult) {
  const kind = document.getElementById("job-kind");
  const showKindFields = () => {
    for (const el of document.querySelectorAll(".sim-only")) el.hidden = kind.value !== "simulation";
    for (const el of document.querySelectorAll(".opt-only")) el.hidden = kind.value !== "optimisation";
  };
  kind.addEventListener("change", showKindFields);
  showKindFields();
  restore(onShowResult);
  document.getElementById("job-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("job-error");
    error.textContent = "";
    const { scenario, overrides, label } = current();
    const collection = kind.value === "simulation" ? "simulations" : "optimisations";
    try {
      const job = await api.startJob(collection, jobBody(kind.value, scenario, overrides));
      const entry = { job, row: addRow(job, label) };
      jobs.set(job.id, entry);
      remember(job, label);
      draw(entry, onShowResult);
      poll(entry, onShowResult);
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
}
