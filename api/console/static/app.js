// The console shell: sign-in, the navigation a role may use (from /me's permissions), the language
// switch, and a hash router (#/queue, #/call/ID, ...) that renders one page at a time into <main>.
import { ApiError, get, may, post, session, signIn } from "./api.js";
import { h } from "./dom.js";
import { lang, setLang, t } from "./i18n.js";
import { queuePage } from "./queue.js";
import { callPage } from "./call.js";
import { calibrationPage, coachingPage, disputesPage } from "./workflows.js";
import { auditPage, compliancePage, statsPage, uploadPage } from "./reports.js";
import { livePage } from "./live.js";

// page → the permission it needs (pages a role lacks are neither shown nor opened)
const PAGES = [
  { path: "queue", label: "queue", needs: "calls.read", hideFor: ["agent"], render: queuePage },
  { path: "mine", label: "myCalls", needs: "calls.respond", render: (main) => queuePage(main, { mine: true }) },
  { path: "live", label: "live", needs: "live.monitor", render: livePage },
  { path: "disputes", label: "disputes", needs: "disputes.read", render: disputesPage },
  { path: "calibration", label: "calibration", needs: "calibration.rate", render: calibrationPage },
  { path: "coaching", label: "coaching", needs: "coaching.read", render: coachingPage },
  { path: "stats", label: "stats", needs: "reports.read", render: statsPage },
  { path: "compliance", label: "compliance", needs: "compliance.read", render: compliancePage },
  { path: "audit", label: "audit", needs: "audit.read", render: auditPage },
  { path: "uploads", label: "uploads", needs: "calls.upload", render: uploadPage },
];

function allowed() {
  return PAGES.filter((p) => may(p.needs) && !(p.hideFor || []).includes(session.me.role));
}

function header() {
  const nav = h("nav", {}, allowed().map((p) => h("a", { href: `#/${p.path}`, "data-page": p.path }, t(p.label))));
  const who = session.me ? `${session.me.display_name || session.me.username} · ${session.me.role}` : "";
  return h("header", {},
    h("strong", {}, t("appTitle")), nav,
    h("span", { class: "who" }, who),
    h("button", { type: "button", id: "lang", onclick: () => { setLang(lang === "zh" ? "en" : "zh"); render(); } }, t("language")),
    session.me ? h("button", { type: "button", id: "signout", onclick: signOut }, t("signOut")) : null);
}

async function signOut() {
  try { await post("/auth/logout"); } catch { /* the token may have expired already */ }
  session.token = null;
  session.me = null;
  location.hash = "#/login";
  render();
}

function loginPage(main) {
  const error = h("p", { class: "error", role: "alert" });
  const user = h("input", { name: "username", autocomplete: "username", required: true });
  const pass = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const form = h("form", { class: "login", onsubmit: async (e) => {
    e.preventDefault();
    try {
      await signIn(user.value, pass.value);
      location.hash = `#/${allowed()[0]?.path || "queue"}`;
      render();
    } catch (err) { error.textContent = err.message; }
  } }, h("h1", {}, t("appTitle")), h("label", {}, t("username"), user), h("label", {}, t("password"), pass),
  h("button", { type: "submit" }, t("signIn")), error);
  main.append(form);
}

export async function render() {
  const root = document.getElementById("app");
  root.replaceChildren();
  if (session.token && !session.me) {
    try { session.me = await get("/me"); } catch { session.token = null; }
  }
  const main = h("main", {});
  root.append(header(), main);
  const [, page, ...rest] = (location.hash || "#/").split("/");
  if (!session.me) { loginPage(main); return; }
  for (const a of root.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.page === page);
  try {
    if (page === "call" && rest[0]) { await callPage(main, decodeURIComponent(rest[0])); return; }
    const found = PAGES.find((p) => p.path === page);
    if (!found) { location.hash = `#/${allowed()[0]?.path || "queue"}`; return; }
    if (!allowed().includes(found)) { main.append(h("p", { class: "error" }, t("forbiddenPage"))); return; }
    await found.render(main);
  } catch (err) {
    main.append(h("p", { class: "error", role: "alert" }, err instanceof ApiError ? err.message : String(err)));
  }
}

window.addEventListener("hashchange", render);
window.addEventListener("qa:signed-out", () => { session.me = null; location.hash = "#/login"; });
setLang(lang);
render();
