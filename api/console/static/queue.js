// The flagged-call queue (and an agent's own calls): filters, sorting, paging, the reason each call is flagged.
import { get } from "./api.js";
import { clock, fmt, h, table } from "./dom.js";
import { t } from "./i18n.js";

const REASONS = ["low_score", "critical_failed", "complaint", "escalation_risk", "long_silence", "needs_review",
  "calibration_sample"];
const state = { params: { limit: 25, offset: 0, sort: "started_at", order: "desc" } };

function select(name, options, value) {
  return h("select", { name }, h("option", { value: "" }, t("any")),
    options.map((o) => h("option", { value: o, selected: o === value }, o)));
}

export async function queuePage(main, { mine = false } = {}) {
  const p = state.params;
  const field = (name, label, attrs = {}) => h("label", {}, label, h("input", { name, value: p[name] ?? "", ...attrs }));
  const form = h("form", { class: "filters", onsubmit: (e) => {
    e.preventDefault();
    const data = new FormData(form);
    for (const [k, v] of data.entries()) p[k] = v;
    p.offset = 0;
    queuePage(main.replaceChildren() || main, { mine });
  } },
  mine ? null : field("agent_id", t("agent")), mine ? null : field("team", t("team")),
  field("date_from", t("from"), { type: "date" }), field("date_to", t("to"), { type: "date" }),
  h("label", {}, t("direction"), select("direction", ["inbound", "outbound"], p.direction)),
  field("score_min", t("scoreMin"), { type: "number", min: 0, max: 100 }),
  field("score_max", t("scoreMax"), { type: "number", min: 0, max: 100 }),
  mine ? null : h("label", {}, t("flag"), select("flag_reason", REASONS, p.flag_reason)),
  h("label", {}, t("reviewState"), select("review_state", ["unreviewed", "reviewed"], p.review_state)),
  h("label", {}, t("sort"), h("select", { name: "sort" }, ["started_at", "score", "agent_id", "duration"].map(
    (o) => h("option", { value: o, selected: o === p.sort }, o)))),
  h("button", { type: "submit" }, t("apply")));
  const page = await get("/calls", { ...p, flagged: mine ? "false" : "true" });
  const rows = table([
    { label: t("call"), value: (c) => c.call_id },
    { label: t("started"), value: (c) => (c.started_at || "").replace("T", " ").slice(0, 16) },
    { label: t("agent"), value: (c) => c.agent_id },
    { label: t("team"), value: (c) => c.team },
    { label: t("direction"), value: (c) => c.campaign || c.direction },
    { label: t("duration"), value: (c) => (c.duration_s ? clock(c.duration_s) : "–") },
    { label: t("score"), value: (c) => (c.final_score !== c.score && c.score !== null
      ? `${fmt(c.final_score, 0)} (${fmt(c.score, 0)})` : fmt(c.final_score, 0)),
      cls: (c) => (c.passed === false ? "bad" : "") },
    { label: t("flags"), value: (c) => h("span", {}, c.flags.map((f) => h("span", { class: `flag ${f.reason}`, title: f.detail }, f.reason))) },
    { label: t("reviewState"), value: (c) => c.review_state },
  ], page.items, { onRow: (c) => { location.hash = `#/call/${encodeURIComponent(c.call_id)}`; } });
  const pager = h("p", { class: "pager" },
    h("button", { type: "button", disabled: p.offset === 0, onclick: () => { p.offset = Math.max(0, p.offset - p.limit); queuePage(main.replaceChildren() || main, { mine }); } }, t("previous")),
    ` ${p.offset + 1}–${p.offset + page.items.length} / ${page.total}${page.total_capped ? "+" : ""} `,
    h("button", { type: "button", disabled: page.items.length < p.limit, onclick: () => { p.offset += p.limit; queuePage(main.replaceChildren() || main, { mine }); } }, t("next")));
  main.append(h("h1", {}, t(mine ? "myCalls" : "queue")), form, page.items.length ? rows : h("p", {}, t("noCalls")), pager);
}
