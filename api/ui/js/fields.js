// The fields engineers change most, picked from the validated scenario, and the schema's messages
// placed next to them. A field's id is its path in the form the API's error messages use with the
// discriminator removed, e.g. "route[2].profile[1].temperature_C"; overrides are sent with that path.

const PRICE = /^costs\.(materials\.(usd_per_kg\.\w+|li_foil\.usd_per_kg_at_reference|current_collector_usd_per_m2\.\w+|packaging_usd_per_cell)|utilities\.electricity_usd_per_kWh|labour\.usd_per_hour)$/;

/** Group name for a path, or null when the field is not one of the often-edited ones. */
function groupOf(path, value) {
  if (typeof value === "boolean") return /^route\[\d+\]\.cover_powder$/.test(path) ? "Recipe" : null;
  if (typeof value !== "number") return null;
  if (/^route\[\d+\]\.profile\[\d+\]\.(temperature_C|hold_time_min)$/.test(path)) return "Recipe";
  if (/^route\[\d+\]\.(li_excess_li2co3_wt_fraction|pressure_MPa|cycles)$/.test(path)) return "Recipe";
  if (/^(cell\.\w+\.thickness_um|route\[\d+\]\.(target_thickness_um|blade_gap_um))$/.test(path)) return "Thickness";
  if (/^line\.stations\.\w+\.machines$/.test(path)) return "Machines";
  if (/^line\.shifts\.(shifts_per_day|hours_per_shift|days_per_week)$/.test(path)) return "Shifts";
  if (PRICE.test(path)) return "Prices";
  return null;
}

export const GROUPS = ["Recipe", "Thickness", "Machines", "Shifts", "Prices"];

function walk(node, path, out) {
  if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${path}[${i}]`, out));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) walk(value, path ? `${path}.${key}` : key, out);
  } else out.push([path, node]);
}

/** Readable label: route[2] becomes its step name. */
function labelFor(path, scenario) {
  return path.replace(/^route\[(\d+)\]\./, (_, i) => `${scenario.route[Number(i)].name}: `)
    .replace(/profile\[(\d+)\]\./, (_, i) => `segment ${Number(i) + 1} `)
    .replace(/^line\.stations\.(\w+)\.machines$/, "$1 machines")
    .replace(/^costs\.(materials\.)?/, "");
}

/** [{group, path, label, value}] for the validated scenario document. */
export function editableFields(scenario) {
  const leaves = [];
  walk(scenario, "", leaves);
  return leaves
    .filter(([path]) => !/^route\[\d+\]\.start_temperature_C$/.test(path))
    .map(([path, value]) => ({ group: groupOf(path, value), path, value, label: labelFor(path, scenario) }))
    .filter((field) => field.group !== null);
}

/** Field path of a 422 item: loc after body/scenario (or body/overrides), discriminator tag removed. */
export function errorPath(loc, scenario) {
  const start = loc[0] === "body" && (loc[1] === "scenario" || loc[1] === "overrides") ? 2 : loc.length;
  const parts = loc.slice(start);
  if (parts.length === 0) return null;
  const kept = [];
  parts.forEach((part, i) => {
    const previous = parts[i - 1];
    const step = parts[0] === "route" && i === 2 && typeof previous === "number" && scenario.route[previous];
    if (!(step && part === step.kind)) kept.push(part);
  });
  return kept.reduce((text, part) => (typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${part}` : part), "");
}

/** The message without its leading "path: " (the field it sits under already names it). */
export function shortMessage(msg) {
  const match = /^[\w\[\].\-]+: (.+)$/s.exec(msg);
  return match ? match[1] : msg;
}
