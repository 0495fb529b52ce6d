// The call review page: the recording with a timeline of speaker turns, silences and findings; the
// transcript following playback (click a line or a finding to jump there); the scorecard with evidence;
// the review form, role swap, adding a clip to a coaching set; for agents, acknowledge or dispute.
import { fetchBlob, get, may, post } from "./api.js";
import { clock, fmt, h, progressBar, s } from "./dom.js";
import { t } from "./i18n.js";

const OUTCOME = { pass: "pass", fail: "fail", "n/a": "na", needs_review: "needs_review" };

function timeline(call, seek) {
  const width = 900, height = 70, d = call.duration_s || Math.max(1, ...call.utterances.map((u) => u.end_s));
  const x = (sec) => (sec / d) * width;
  const svg = s("svg", { id: "timeline", class: "timeline", width, height, viewBox: `0 0 ${width} ${height}`,
    preserveAspectRatio: "none" });
  for (const u of call.utterances) {
    svg.append(s("rect", { x: x(u.start_s), y: u.role === "agent" ? 8 : 30, width: Math.max(1, x(u.end_s - u.start_s)),
      height: 16, class: `turn ${u.role}` }, s("title", {}, `${u.role} ${clock(u.start_s)}`)));
  }
  for (const [a, b] of (call.metrics && call.metrics.silences) || []) {
    svg.append(s("rect", { x: x(a), y: 50, width: Math.max(1, x(b - a)), height: 6, class: "silence" }));
  }
  for (const f of (call.scorecard && call.scorecard.findings) || []) {
    for (const e of f.evidence) {
      if (e.start_s === null) continue;
      const mark = s("path", { d: `M${x(e.start_s)},60 l-5,9 h10 z`, class: `finding-mark ${f.final_outcome}`,
        "data-item": f.item_id }, s("title", {}, `${f.item_id}: ${f.final_outcome}`));
      mark.addEventListener("click", () => seek(e.start_s));
      svg.append(mark);
    }
  }
  const head = s("line", { x1: 0, x2: 0, y1: 0, y2: height, class: "playhead" });
  svg.append(head);
  svg.addEventListener("click", (ev) => {
    if (ev.target.classList.contains("finding-mark")) return;
    const box = svg.getBoundingClientRect();
    seek(((ev.clientX - box.left) / box.width) * d);
  });
  return { svg, move: (sec) => { head.setAttribute("x1", x(sec)); head.setAttribute("x2", x(sec)); } };
}

function reviewForm(call, reload) {
  const card = call.scorecard;
  const rows = card.findings.map((f) => h("tr", {}, h("td", {}, f.item_id),
    h("td", {}, h("select", { name: `item:${f.item_id}` }, h("option", { value: "" }, "–"),
      f.outcome !== "needs_review" ? h("option", { value: "confirm" }, t("confirm")) : null,
      ["pass", "fail", "n/a"].map((o) => h("option", { value: o }, t(OUTCOME[o]))))),
    h("td", {}, h("input", { name: `note:${f.item_id}`, placeholder: t("note") }))));
  const msg = h("p", { class: "status", role: "status" });
  const form = h("form", { id: "review-form", onsubmit: async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const items = card.findings.filter((f) => data.get(`item:${f.item_id}`)).map((f) => ({
      item_id: f.item_id, decision: data.get(`item:${f.item_id}`), note: data.get(`note:${f.item_id}`) || "" }));
    const score = data.get("score");
    try {
      await post(`/calls/${encodeURIComponent(call.call_id)}/reviews`, { items, comment: data.get("comment") || "",
        score: score === "" ? null : Number(score) });
      msg.textContent = t("saved");
      await reload();
    } catch (err) { msg.textContent = err.message; msg.classList.add("error"); }
  } }, h("h2", {}, t("submitReview")), h("table", {}, h("tbody", {}, rows)),
  h("label", {}, t("score"), h("input", { name: "score", type: "number", min: 0, max: 100, step: "any" })),
  h("label", {}, t("comment"), h("textarea", { name: "comment", rows: 2 })),
  h("button", { type: "submit" }, t("submitReview")), msg);
  return form;
}

async function clipForm(call, audio) {
  const sets = await get("/coaching/sets");
  const msg = h("p", { class: "status", role: "status" });
  const form = h("form", { id: "clip-form", onsubmit: async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    try {
      await post(`/coaching/sets/${data.get("set")}/clips`, { call_id: call.call_id, start_s: Number(data.get("start")),
        end_s: Number(data.get("end")), example: data.get("example"), title: data.get("title"), note: data.get("note") });
      msg.textContent = t("saved");
    } catch (err) { msg.textContent = err.message; }
  } }, h("h2", {}, t("addClip")),
  h("select", { name: "set", required: true }, sets.map((x) => h("option", { value: x.set_id }, x.name))),
  h("label", {}, t("clipFrom"), h("input", { name: "start", type: "number", step: "0.1", min: 0, value: 0 })),
  h("label", {}, t("clipTo"), h("input", { name: "end", type: "number", step: "0.1", min: 0, value: 10 })),
  h("button", { type: "button", onclick: () => {
    form.start.value = Math.max(0, audio.currentTime - 2).toFixed(1); form.end.value = (audio.currentTime + 8).toFixed(1);
  } }, "⟲ " + t("play")),
  h("label", {}, t("title"), h("input", { name: "title" })),
  h("select", { name: "example" }, h("option", { value: "good" }, t("good")), h("option", { value: "bad" }, t("bad"))),
  h("label", {}, t("note"), h("input", { name: "note" })), h("button", { type: "submit" }, t("addClip")), msg);
  return sets.length ? form : null;
}

function agentForms(call, reload) {
  const msg = h("p", { class: "status", role: "status" });
  const reason = h("textarea", { name: "reason", rows: 2, required: true });
  const items = (call.scorecard ? call.scorecard.findings : []).map((f) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "items", value: f.item_id }), f.item_id));
  const form = h("form", { id: "dispute-form", onsubmit: async (e) => {
    e.preventDefault();
    const picked = [...form.querySelectorAll("input[name=items]:checked")].map((x) => x.value);
    try {
      await post(`/calls/${encodeURIComponent(call.call_id)}/disputes`, { reason: reason.value, items: picked });
      msg.textContent = t("saved");
      await reload();
    } catch (err) { msg.textContent = err.message; }
  } }, h("h2", {}, t("dispute")), h("label", {}, t("reason"), reason), h("div", {}, items),
  h("button", { type: "submit" }, t("raise")), msg);
  const ack = h("button", { type: "button", id: "acknowledge", onclick: async () => {
    try { await post(`/calls/${encodeURIComponent(call.call_id)}/acknowledgement`); msg.textContent = t("saved"); }
    catch (err) { msg.textContent = err.message; }
  } }, t("acknowledge"));
  return h("section", { class: "agent-actions" }, ack, form);
}

export async function callPage(main, callId) {
  const call = await get(`/calls/${encodeURIComponent(callId)}`);
  const reload = async () => { main.replaceChildren(); await callPage(main, callId); };
  const audio = h("audio", { id: "player", controls: true, preload: "auto" });
  const bar = progressBar();
  const seek = (sec) => { audio.currentTime = sec; audio.play().catch(() => {}); };
  const line = timeline(call, seek);
  const lines = call.utterances.map((u) => h("li", { class: `utt ${u.role}`, "data-start": u.start_s, "data-end": u.end_s,
    onclick: () => seek(u.start_s) }, h("span", { class: "time" }, clock(u.start_s)),
  h("span", { class: "role" }, t(u.role === "agent" ? "agentTalk" : "customerTalk")), h("span", { class: "text" }, u.text)));
  audio.addEventListener("timeupdate", () => {
    line.move(audio.currentTime);
    for (const li of lines) {
      const on = audio.currentTime >= Number(li.dataset.start) && audio.currentTime < Number(li.dataset.end);
      if (on && !li.classList.contains("current")) li.scrollIntoView({ block: "nearest" });
      li.classList.toggle("current", on);
    }
  });
  const card = call.scorecard;
  const findings = card ? h("table", { id: "findings" }, h("thead", {}, h("tr", {},
    [t("item"), t("automatic"), t("final"), t("score"), t("evidence")].map((x) => h("th", {}, x)))),
  h("tbody", {}, card.findings.map((f) => h("tr", { class: `finding ${f.final_outcome}`, "data-item": f.item_id },
    h("td", {}, f.item_id, f.critical ? " ★" : ""), h("td", {}, t(OUTCOME[f.outcome] || f.outcome)),
    h("td", {}, t(OUTCOME[f.final_outcome] || f.final_outcome)), h("td", {}, `${fmt(f.score)}/${fmt(f.weight)}`),
    h("td", {}, f.evidence.filter((e) => e.start_s !== null).map((e) => h("button", { type: "button", class: "evidence",
      "data-start": e.start_s, onclick: () => seek(e.start_s) }, `▶ ${clock(e.start_s)} ${e.matched_text || e.text}`)),
    f.message ? h("small", {}, f.message) : null))))) : null;
  const summary = h("p", { class: "summary" }, `${call.agent_id || "–"} · ${call.team || "–"} · `,
    `${(call.started_at || "").replace("T", " ").slice(0, 16)} · ${call.campaign || call.direction} · ${call.state} · `,
    card ? `${t("score")} ${fmt(card.final_score, 0)}${card.final_score !== card.score ? ` (${t("automatic")} ${fmt(card.score, 0)})` : ""}` : "",
    ` · ${call.review_state}`);
  main.append(h("h1", {}, `${t("call")} ${call.call_id}`), summary,
    h("div", { class: "flags" }, call.flags.map((f) => h("span", { class: `flag ${f.reason}`, title: f.detail }, f.reason))),
    h("section", { class: "player" }, bar.el, audio, line.svg,
      h("p", { class: "legend" }, h("span", { class: "turn agent" }, t("agentTalk")), " ",
        h("span", { class: "turn customer" }, t("customerTalk")), " ", h("span", { class: "silence" }, t("silence")))),
    h("div", { class: "columns" },
      h("section", {}, h("h2", {}, t("transcript")), h("ol", { id: "transcript" }, lines)),
      h("section", {}, h("h2", {}, t("findings")), findings || h("p", {}, t("none")))));
  const actions = h("div", { class: "columns" });
  if (card && may("calls.review")) actions.append(reviewForm(call, reload));
  if (may("calls.correct")) {
    actions.append(h("button", { type: "button", id: "swap", onclick: async () => {
      await post(`/calls/${encodeURIComponent(call.call_id)}/swap-roles`); await reload();
    } }, t("swapRoles")));
  }
  if (may("coaching.manage")) { const f = await clipForm(call, audio); if (f) actions.append(f); }
  if (card && may("calls.respond")) actions.append(agentForms(call, reload));
  main.append(actions);
  // the recording, with the reader's token (an <audio src> cannot send it); PII bleeped unless allowed
  fetchBlob(`/calls/${encodeURIComponent(call.call_id)}/audio`, {}, (done, total) => bar.show(done, total))
    .then(({ blob }) => { audio.src = URL.createObjectURL(blob); bar.hide(); audio.dataset.ready = "1"; })
    .catch((err) => main.append(h("p", { class: "error" }, err.message)));
}
