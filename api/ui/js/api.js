// Calls to the ssb-twin HTTP API: the API key header, JSON bodies, and errors as readable text.

const KEY_STORAGE = "ssbTwinApiKey";

export function apiKey() {
  return localStorage.getItem(KEY_STORAGE) || "";
}

export function setApiKey(value) {
  if (value) localStorage.setItem(KEY_STORAGE, value);
  else localStorage.removeItem(KEY_STORAGE);
}

/** An HTTP answer that is not 2xx: `status`, and `detail` as the API sent it (string or list of items). */
export class ApiError extends Error {
  constructor(status, detail, retryAfter) {
    super(describe(status, detail));
    this.status = status;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }
}

function describe(status, detail) {
  if (Array.isArray(detail)) return detail.map((item) => item.msg).join("; ");
  if (status === 401) return "the server needs an API key: enter it under 'API key' at the top right";
  return typeof detail === "string" ? detail : `HTTP ${status}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** JSON request; a 429 (one uncached evaluation per client at a time) is retried after Retry-After. */
export async function request(method, path, body, { retries = 5 } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (apiKey()) headers["X-API-Key"] = apiKey();
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let payload = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = { detail: text.slice(0, 300) };
  }
  if (response.ok) return payload;
  const retryAfter = Number(response.headers.get("Retry-After") || "1");
  if (response.status === 429 && retries > 0 && retryAfter <= 5) {
    await sleep(retryAfter * 1000);
    return request(method, path, body, { retries: retries - 1 });
  }
  throw new ApiError(response.status, payload && payload.detail, retryAfter);
}

export const api = {
  scenarios: () => request("GET", "/scenarios"),
  scenario: (name) => request("GET", `/scenarios/${encodeURIComponent(name)}`),
  parse: (text, source) => request("POST", "/scenarios/parse", { text, source }),
  evaluate: (scenario, overrides) => request("POST", "/evaluate", { scenario, overrides }),
  startJob: (collection, body) => request("POST", `/${collection}`, body, { retries: 0 }),
  job: (selfLink) => request("GET", selfLink),
  cancelJob: (selfLink) => request("DELETE", selfLink, undefined, { retries: 0 }),
};
