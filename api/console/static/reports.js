// Reports: the statistics dashboard (charts for a chosen period, team and agent), the compliance report
// with its CSV downloads, the audit-log viewer, and uploads with progress.
import { download, get, may, session, upload } from "./api.js";
import { barChart, fmt, h, lineChart, progressBar, table } from "./dom.js";
import { t } from "./i18n.js";

const filters = { start: "", end: "", team: "", agent_id: "" };

function periodForm(main, page, extra = []) {
  const field = (name, label, type = "text") => h("label", {}, label, h("input", { name, type, value: filters[name] }));
  const form = h("form", { class: "filters", onsubmit: async (e) => {
    e.preventDefault();
    for (const k of Object.keys(filters)) filters[k] = form[k] ? form[k].value : "";
    main.replaceChildren();
    await page(main);
  } }, field("start", t("from"), "date"), field("end", t("to"), "date"), field("team", t("team")),
  field("agent_id", t("agent")), extra, h("button", { type: "submit" }, t("apply")));
  return form;
}

const params = (more = {}) => ({ ...filters, ...more });

export async function statsPage(main) {
  main.append(h("h1", {}, t("stats")), periodForm(main, statsPage));
  const [byDay, byAgent, total] = await Promise.all([
    get("/stats/centre", params({ group_by: "day" })), get("/stats/centre", params({ group_by: "agent" })),
    get("/stats/centre", params({ group_by: "total" }))]);
  const all = total.rows[0];
  const bar = progressBar();
  if (all) {
    main.append(h("p", { class: "kpis" },
      h("span", {}, `${t("calls")} ${all.calls}`), h("span", {}, `${t("perAgentDay")} ${fmt(all.calls_per_agent_day)}`),
      h("span", {}, `${t("talkTrend")} ${fmt(all.avg_talk_s, 0)}`), h("span", {}, `${t("monitored")} ${all.monitored_calls}`),
      h("span", {}, `${t("activityRate")} ${fmt(all.customer_activity_rate, 2)}`)));
  }
  const charts = h("div", { class: "charts" },
    barChart(t("volumePerDay"), byDay.rows.map((r) => [r.group, r.calls])),
    barChart(t("callsPerAgent"), byAgent.rows.map((r) => [r.group, r.calls])),
    lineChart(t("talkTrend"), byDay.rows.map((r) => [r.group, r.avg_talk_s])),
    barChart(t("monitored"), byDay.rows.map((r) => [r.group, r.monitored_calls])),
    all ? barChart(t("contactReasons"), Object.entries(all.contact_reasons).map(([k, v]) => [t(k), v])) : null,
    all ? barChart(t("businessTypes"), Object.entries(all.business_types).map(([k, v]) => [t(k), v])) : null);
  main.append(charts, h("button", { type: "button", id: "stats-csv", onclick: async () => {
    await download("/stats/centre.csv", params({ group_by: "day" }), (d, tt) => bar.show(d, tt)); bar.hide();
  } }, t("downloadCsv")), bar.el);
  if (may("grades.read")) {
    const grades = await get("/grades", { start: filters.start, end: filters.end, team: filters.team });
    main.append(h("h2", {}, t("grades")), table([
      { label: t("rank"), value: (a) => a.rank }, { label: t("agent"), value: (a) => a.agent_id },
      { label: t("team"), value: (a) => a.team }, { label: t("grade"), value: (a) => a.grade || "–" },
      { label: t("quality"), value: (a) => a.quality }, { label: t("calls"), value: (a) => a.calls },
      { label: t("talkTrend"), value: (a) => a.avg_talk_s }, { label: t("complaintRate"), value: (a) => a.complaint_rate },
      { label: t("upheld"), value: (a) => a.disputes_upheld }], grades.agents),
    barChart(t("grades"), Object.entries(grades.agents.reduce((acc, a) => {
      acc[a.grade || "–"] = (acc[a.grade || "–"] || 0) + 1; return acc; }, {}))));
  }
}

export async function compliancePage(main) {
  const group = h("select", { name: "group_by" }, ["team", "agent", "day", "week", "month"].map(
    (g) => h("option", { value: g, selected: g === (filters.group_by || "team") }, g)));
  const page = async (m) => { filters.group_by = group.value; await compliancePage(m); };
  main.append(h("h1", {}, t("compliance")), periodForm(main, page, [h("label", {}, t("groupBy"), group)]));
  const by = filters.group_by || "team";
  const [adherence, forbidden] = await Promise.all([get("/compliance/adherence", params({ group_by: by })),
    get("/compliance/forbidden-phrases", params({ limit: 100 }))]);
  const bar = progressBar();
  const csv = (path, more, id) => h("button", { type: "button", id, onclick: async () => {
    await download(path, params(more), (d, tt) => bar.show(d, tt)); bar.hide();
  } }, t("downloadCsv"));
  const items = {};
  for (const r of adherence.rows) {
    const x = (items[r.item_id] ||= { passed: 0, decided: 0 });
    x.passed += r.passed; x.decided += r.passed + r.failed;
  }
  main.append(
    barChart(t("adherence"), Object.entries(items).map(([k, v]) => [k, v.decided ? (100 * v.passed) / v.decided : 0]), { unit: "%" }),
    h("h2", {}, t("adherence")), csv("/compliance/adherence.csv", { group_by: by }, "adherence-csv"), bar.el,
    table([{ label: "rubric", value: (r) => `${r.rubric_id} ${r.rubric_version}` }, { label: t("item"), value: (r) => r.item_id },
      { label: t("groupBy"), value: (r) => r.group }, { label: t("pass"), value: (r) => r.passed },
      { label: t("fail"), value: (r) => r.failed }, { label: t("na"), value: (r) => r.not_applicable },
      { label: t("needs_review"), value: (r) => r.needs_review },
      { label: t("adherence"), value: (r) => (r.adherence === null ? "–" : `${fmt(100 * r.adherence)}%`) }], adherence.rows),
    h("h2", {}, `${t("forbidden")} (${forbidden.total})`), csv("/compliance/forbidden-phrases.csv", {}, "forbidden-csv"),
    table([{ label: t("call"), value: (o) => h("a", { href: `#/call/${encodeURIComponent(o.call_id)}` }, o.call_id) },
      { label: t("agent"), value: (o) => o.agent_id }, { label: t("when"), value: (o) => o.local_date },
      { label: t("evidence"), value: (o) => o.evidence.map((e) => `${e.matched_text} @${fmt(e.start_s)}s: ${e.text}`).join(" | ") }],
    forbidden.items));
}

export async function auditPage(main, data = null) {
  const form = h("form", { class: "filters", onsubmit: async (e) => {
    e.preventDefault(); main.replaceChildren(); await auditPage(main, new FormData(form));
  } }, h("label", {}, t("action"), h("input", { name: "action" })), h("label", {}, t("user"), h("input", { name: "username" })),
  h("label", {}, t("call"), h("input", { name: "call_id" })), h("button", { type: "submit" }, t("apply")));
  const q = data ? Object.fromEntries([...data.entries()].filter(([, v]) => v)) : {};
  const page = await get("/audit", { ...q, limit: 200 });
  main.append(h("h1", {}, t("audit")), form, h("p", {}, `${t("total")} ${page.total}`), table([
    { label: t("when"), value: (e) => e.at.replace("T", " ").slice(0, 19) }, { label: t("user"), value: (e) => e.username },
    { label: t("action"), value: (e) => e.action }, { label: t("call"), value: (e) => e.call_id },
    { label: t("detail"), value: (e) => JSON.stringify(e.detail) }], page.items));
}

export async function uploadPage(main) {
  const bar = progressBar();
  const msg = h("pre", { class: "status", role: "status" });
  const form = h("form", { id: "upload-form", onsubmit: async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    if (!data.get("metadata")) data.delete("metadata");
    try {
      const out = await upload("/uploads", data, (d, tt) => bar.show(d, tt));
      msg.textContent = JSON.stringify(out, null, 2);
    } catch (err) { msg.textContent = err.message; }
    bar.hide();
  } }, h("label", {}, t("files"), h("input", { type: "file", name: "files", multiple: true, required: true, accept: "audio/*" })),
  h("label", {}, t("metadata"), h("textarea", { name: "metadata", rows: 3, placeholder: '{"agent_id": "A1001", "team": "T1"}' })),
  h("button", { type: "submit" }, t("send")), bar.el, msg);
  main.append(h("h1", {}, t("uploads")), form, h("p", {}, session.me ? session.me.username : ""));
}
