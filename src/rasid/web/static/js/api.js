// The JSON API of `rasid serve` (src/rasid/api). Writes carry the reviewer's token when the
// server asks for one (config.write_needs_token).
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function parse(res) {
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) {
    const msg = body && typeof body === "object" ? body.error || JSON.stringify(body.detail || body) : body;
    throw new ApiError(res.status, `${res.status} ${msg}`);
  }
  return body;
}

export async function get(path, params) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params || {})) if (v !== "" && v !== null && v !== undefined) url.searchParams.set(k, v);
  return parse(await fetch(url, { headers: { Accept: "application/json" } }));
}

export async function post(path, body) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const token = localStorage.getItem("rasid.token");
  if (token) headers.Authorization = `Bearer ${token}`;
  return parse(await fetch(path, { method: "POST", headers, body: JSON.stringify(body) }));
}
