// The supervisor API from the browser: the bearer token (kept for this tab only), JSON calls, problem
// documents turned into readable errors, and downloads/uploads that report their progress.
const TOKEN_KEY = "qa.token";

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  set token(value) { value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY); },
  me: null,
};

// Whether the signed-in person holds a permission (the list comes from GET /me).
export const may = (perm) => !!session.me && session.me.permissions.includes(perm);

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function headers(extra = {}) {
  const h = { ...extra };
  if (session.token) h.Authorization = `Bearer ${session.token}`;
  return h;
}

async function failure(response) {
  let problem = {};
  try { problem = await response.json(); } catch { problem = { detail: response.statusText }; }
  if (response.status === 401) { session.token = null; window.dispatchEvent(new Event("qa:signed-out")); }
  return new ApiError(response.status, problem);
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === "") continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

export async function api(method, path, { params, body, form } = {}) {
  const init = { method, headers: headers() };
  if (form) { init.body = form; }
  else if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
  const response = await fetch(path + query(params), init);
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  return type.includes("json") ? response.json() : response.text();
}

export const get = (path, params) => api("GET", path, { params });
export const post = (path, body) => api("POST", path, { body });
export const put = (path, body) => api("PUT", path, { body });
export const patch = (path, body) => api("PATCH", path, { body });
export const del = (path) => api("DELETE", path);

export async function signIn(username, password) {
  const form = new URLSearchParams({ username, password });
  const response = await fetch("/auth/token", { method: "POST", body: form });
  if (!response.ok) throw await failure(response);
  const out = await response.json();
  session.token = out.access_token;
  session.me = out.user;
  return out.user;
}

// A binary body with the signed-in person's token, read in chunks so the page can show progress.
export async function fetchBlob(path, params, onProgress) {
  const response = await fetch(path + query(params), { headers: headers() });
  if (!response.ok) throw await failure(response);
  const total = Number(response.headers.get("content-length")) || 0;
  const reader = response.body.getReader();
  const chunks = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    if (onProgress) onProgress(received, total);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") || "");
  return { blob: new Blob(chunks, { type: response.headers.get("content-type") || "" }), name: name ? name[1] : "" };
}

export async function download(path, params, onProgress) {
  const { blob, name } = await fetchBlob(path, params, onProgress);
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name || path.split("/").pop();
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  return name;
}

// Upload with progress (fetch cannot report upload progress; XMLHttpRequest can).
export function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    if (session.token) xhr.setRequestHeader("Authorization", `Bearer ${session.token}`);
    xhr.upload.onprogress = (e) => onProgress && onProgress(e.loaded, e.total);
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch { body = { detail: xhr.statusText }; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body); else reject(new ApiError(xhr.status, body));
    };
    xhr.onerror = () => reject(new ApiError(0, { detail: "network error" }));
    xhr.send(form);
  });
}
