// Thin client for the IgLive HTTP contract (docs: /docs, /openapi/v1.json).
// Access token: memory only. Refresh token: localStorage (it rotates on every refresh).
// Any call that gets a 401 refreshes the session once (single-flight) and retries once.

const REFRESH_KEY = "iglive.refresh_token";

let accessToken = null;
let user = null;                 // { id, email } from the last session
let refreshing = null;           // the in-flight refresh, shared: a rotated token must be used once
const listeners = new Set();

/** An API failure, built from an RFC 9457 problem body. `message` is always human-readable. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    const p = problem ?? {};
    let message = p.detail || p.title || defaultMessage(status);
    if (retryAfter) message += ` Try again in ${retryAfter} s.`;
    super(message);
    this.status = status;
    this.title = p.title ?? null;
    this.type = p.type ?? null;
    this.traceId = p.trace_id ?? null;
    /** { snake_case_field: ["message", ...] } for validation failures, else {}. */
    this.errors = normaliseErrors(p.errors);
  }
}

function defaultMessage(status) {
  switch (status) {
    case 0: return "Cannot reach the server. Check your connection.";
    case 400: return "Some input is not valid.";
    case 401: return "Please log in again.";
    case 403: return "You are not allowed to do that.";
    case 404: return "Not found (it may have expired).";
    case 409: return "That is already taken.";
    case 413: return "The file is too large.";
    case 415: return "That file type is not supported (MP4, MOV or WebM).";
    case 429: return "Too many requests.";
    case 502: case 503: return "The service is temporarily unavailable.";
    default: return `Unexpected error (HTTP ${status}).`;
  }
}

// Keys arrive snake_case (`title`, `tags`); tolerate `tags[0]`/`Tags` and list-shaped errors too.
function normaliseErrors(errors) {
  const out = {};
  if (!errors) return out;
  const add = (key, msg) => {
    const k = String(key || "_").replace(/[\[.].*$/, "").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
    (out[k] ??= []).push(String(msg));
  };
  if (Array.isArray(errors)) errors.forEach(e => add(e.name ?? e.field, e.reason ?? e.message ?? e));
  else for (const [k, v] of Object.entries(errors)) (Array.isArray(v) ? v : [v]).forEach(m => add(k, m));
  return out;
}

async function problemFrom(res) {
  const type = res.headers.get("content-type") || "";
  if (type.includes("json")) { try { return await res.json(); } catch { /* not JSON after all */ } }
  return null;
}

export const session = {
  get user() { return user; },
  get loggedIn() { return accessToken !== null; },
  hasRefreshToken: () => localStorage.getItem(REFRESH_KEY) !== null,
  onChange(fn) { listeners.add(fn); },
};

function setSession(s) {
  accessToken = s?.access_token ?? null;
  user = s?.user ?? null;
  if (s?.refresh_token) localStorage.setItem(REFRESH_KEY, s.refresh_token);
  else localStorage.removeItem(REFRESH_KEY);
  listeners.forEach(fn => fn());
}

/** Exchanges the stored refresh token for a new session; false (and logged out) when it is refused. */
export function refresh() {
  refreshing ??= (async () => {
    const token = localStorage.getItem(REFRESH_KEY);
    if (!token) { setSession(null); return false; }
    try {
      const res = await fetch("/api/auth/refresh", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: token }),
      });
      if (res.ok) { setSession(await res.json()); return true; }
      if (res.status === 400 || res.status === 401) setSession(null); // used, revoked or expired
      return false;
    } catch {
      return false; // offline: keep the refresh token for later
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/**
 * fetch + JSON + problem handling. Returns the parsed body (or null for 202/204).
 * @param {string} path
 * @param {{method?: string, body?: any, retried?: boolean}} [opts]
 */
export async function api(path, opts = {}) {
  const headers = { Accept: "application/json" };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetch(path, {
      method: opts.method ?? "GET", headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, null);
  }
  if (res.status === 401 && !opts.retried && session.hasRefreshToken() && await refresh()) {
    return api(path, { ...opts, retried: true });
  }
  if (!res.ok) throw new ApiError(res.status, await problemFrom(res), res.headers.get("retry-after"));
  const text = res.status === 204 ? "" : await res.text();
  try { return text ? JSON.parse(text) : null; } catch { return null; }
}

/** XMLHttpRequest so upload progress is real (fetch has no upload progress). */
export function uploadVideo(formData, onProgress, retried = false) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/videos");
    xhr.setRequestHeader("Accept", "application/json");
    if (accessToken) xhr.setRequestHeader("Authorization", `Bearer ${accessToken}`);
    xhr.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.onload = async () => {
      let body = null;
      try { body = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { body = null; }
      if (xhr.status === 401 && !retried && session.hasRefreshToken() && await refresh()) {
        onProgress(0);
        uploadVideo(formData, onProgress, true).then(resolve, reject);
      } else if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body);
      } else {
        reject(new ApiError(xhr.status, body, xhr.getResponseHeader("retry-after")));
      }
    };
    xhr.send(formData);
  });
}

export async function signUp(email, password, username) {
  const s = await api("/api/auth/signup", { method: "POST", body: { email, password, username } });
  if (s?.access_token) setSession(s);
  return s; // 202: { user, confirmation_required: true } and no session until the email is confirmed
}

export async function logIn(email, password) {
  setSession(await api("/api/auth/login", { method: "POST", body: { email, password } }));
}

export async function logOut() {
  try { if (accessToken) await api("/api/auth/logout", { method: "POST", retried: true }); }
  finally { setSession(null); }
}
