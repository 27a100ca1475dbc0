// Dashboard wiring: choose or upload a scenario, edit fields, evaluate, and hand the current scenario to
// the jobs and comparison panels.

import { api, apiKey, setApiKey } from "./api.js";
import { renderResult } from "./charts.js";
import { setupCompare } from "./compare.js";
import { GROUPS, editableFields, errorPath, shortMessage } from "./fields.js";
import { setupJobs } from "./jobs.js";

const DEBOUNCE_MS = 350;
const state = { source: null, label: "", scenario: null, fields: [], library: [] };
let evaluation = 0; // number of the latest evaluation asked for; older answers are dropped
let timer = null;

const $ = (id) => document.getElementById(id);

function banner(text) {
  $("banner").hidden = !text;
  $("banner").textContent = text || "";
}

function setStatus(status, text) {
  document.body.dataset.evalState = status; // idle | busy | invalid | error (the browser tests wait on it)
  $("eval-status").textContent = text;
}

/** Overrides: every field whose input differs from the scenario's value. */
function overrides() {
  const changed = {};
  for (const field of state.fields) {
    const input = $(`field-${field.path}`);
    const value = input.type === "checkbox" ? input.checked : input.value === "" ? null : Number(input.value);
    const row = input.closest(".field");
    row.classList.toggle("changed", value !== field.value);
    if (value !== field.value) changed[field.path] = value;
  }
  return changed;
}

function current() {
  return { scenario: state.source, overrides: overrides(), label: state.label };
}

function clearFieldErrors() {
  for (const row of document.querySelectorAll(".field.invalid")) {
    row.classList.remove("invalid");
    row.querySelector(".field-error").textContent = "";
  }
}

/** Put each 422 item under its field; items with no field on the page go to the banner. */
function showProblems(detail) {
  const unplaced = [];
  for (const item of Array.isArray(detail) ? detail : [{ loc: [], msg: String(detail) }]) {
    const path = errorPath(item.loc || [], state.scenario);
    const input = path && document.getElementById(`field-${path}`);
    if (input) {
      const row = input.closest(".field");
      row.classList.add("invalid");
      row.querySelector(".field-error").textContent = shortMessage(item.msg);
    } else unplaced.push(item.msg);
  }
  banner(unplaced.join("; "));
}

async function evaluateNow() {
  const mine = ++evaluation;
  setStatus("busy", "evaluating…");
  try {
    const result = await api.evaluate(state.source, overrides());
    if (mine !== evaluation) return;
    clearFieldErrors();
    banner("");
    renderResult(result);
    setStatus("idle", `${state.label}, evaluated ${new Date().toLocaleTimeString()}`);
  } catch (error) {
    if (mine !== evaluation) return;
    clearFieldErrors();
    if (error.status === 422) {
      showProblems(error.detail);
      setStatus("invalid", "not evaluated: fix the marked field");
    } else {
      banner(error.message);
      setStatus("error", "not evaluated");
    }
  }
}

function scheduleEvaluation() {
  clearTimeout(timer);
  timer = setTimeout(evaluateNow, DEBOUNCE_MS);
}

function renderFields() {
  const holder = $("field-groups");
  holder.innerHTML = "";
  for (const group of GROUPS) {
    const fields = state.fields.filter((field) => field.group === group);
    if (fields.length === 0) continue;
    const details = document.createElement("details");
    details.open = group !== "Prices";
    details.innerHTML = `<summary><h3 style="display:inline">${group}</h3></summary>`;
    for (const field of fields) {
      const row = document.createElement("div");
      row.className = "field";
      const label = Object.assign(document.createElement("label"), { textContent: field.label, htmlFor: `field-${field.path}` });
      const input = document.createElement("input");
      input.id = `field-${field.path}`;
      input.dataset.path = field.path;
      if (typeof field.value === "boolean") {
        input.type = "checkbox";
        input.checked = field.value;
      } else {
        input.type = "number";
        input.step = "any";
        input.value = String(field.value);
      }
      input.addEventListener(input.type === "checkbox" ? "change" : "input", scheduleEvaluation);
      row.append(label, input, Object.assign(document.createElement("div"), { className: "field-error" }));
      details.append(row);
    }
    holder.append(details);
  }
}

/** Make `scenario` (validated document) the one being edited; `source` is what the API is sent. */
function useScenario(source, label, scenario) {
  Object.assign(state, { source, label, scenario, fields: editableFields(scenario) });
  $("scenario-name").textContent = scenario.description ? `${label}: ${scenario.description}`.slice(0, 160) : label;
  renderFields();
  evaluateNow();
}

async function loadLibraryScenario(name) {
  try {
    const answer = await api.scenario(name);
    useScenario(name, name, answer.scenario);
  } catch (error) {
    banner(error.message);
  }
}

async function upload(file) {
  try {
    const answer = await api.parse(await file.text(), file.name);
    useScenario(answer.scenario, `${answer.name} (uploaded)`, answer.scenario);
  } catch (error) {
    banner(`${file.name}: ${error.message}`);
  }
}

async function start() {
  try {
    state.library = (await api.scenarios()).filter((entry) => entry.valid);
  } catch (error) {
    banner(error.message);
    setStatus("error", "");
    return;
  }
  const select = $("scenario-select");
  select.innerHTML = "";
  for (const entry of state.library) select.append(new Option(entry.name, entry.name));
  select.onchange = () => loadLibraryScenario(select.value);
  $("scenario-upload").onchange = (event) => event.target.files[0] && upload(event.target.files[0]);
  $("reset-fields").onclick = () => { renderFields(); evaluateNow(); };
  const wanted = new URLSearchParams(location.search).get("scenario");
  const first = state.library.find((entry) => entry.name === wanted) || state.library.find((entry) => entry.name === "oxide_baseline") || state.library[0];
  if (first) {
    select.value = first.name;
    await loadLibraryScenario(first.name);
  }
  const choices = () => [{ name: "__current__", label: "current (edited)" },
    ...state.library.map((entry) => ({ name: entry.name, label: entry.name }))];
  setupCompare(choices, current);
}

$("api-key").value = apiKey();
$("api-key").addEventListener("change", (event) => {
  setApiKey(event.target.value.trim());
  banner("");
  start();
});
setupJobs(current, (job) => {
  const design = job.result && job.result.designed_scenario;
  if (job.kind === "optimisation" && design) {  // the optimiser's plant becomes the scenario being edited
    useScenario(design, `${job.scenario} optimised (${job.params.objective})`, design);
    return;
  }
  renderResult(job.result);
  setStatus("idle", `${job.kind} ${job.id.slice(0, 8)} (${job.scenario}) result`);
  $("results").scrollIntoView();
});
start();
