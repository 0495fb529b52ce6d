// Supervision workflows: disputes (agents raise, supervisors resolve), calibration (blind rating and the
// agreement report), coaching sets (clips, order, play, zip export with progress).
import { download, fetchBlob, get, may, post, put, session } from "./api.js";
import { fmt, h, progressBar, table } from "./dom.js";
import { t } from "./i18n.js";

const rerender = (main, page) => async () => { main.replaceChildren(); await page(main); };

// --------------------------------------------------------------------------- disputes
export async function disputesPage(main) {
  const page = await get("/disputes", { limit: 100 });
  main.append(h("h1", {}, t("disputes")));
  for (const d of page.items) {
    const box = h("article", { class: `dispute ${d.state}`, "data-dispute": d.dispute_id },
      h("h3", {}, h("a", { href: `#/call/${encodeURIComponent(d.call_id)}` }, d.call_id), ` · ${d.agent_id || ""} · ${d.state}`),
      h("p", {}, `${t("reason")}: ${d.reason}`),
      d.items.length ? h("p", {}, `${t("item")}: ${d.items.join(", ")}`) : null,
      h("p", {}, `${t("score")}: ${fmt(d.score_before, 0)}${d.score_after !== null ? ` → ${fmt(d.score_after, 0)}` : ""}`),
      d.resolution ? h("p", {}, `${t("resolution")}: ${d.resolution} (${d.resolved_by})`) : null);
    if (d.state === "open" && may("disputes.resolve")) {
      const msg = h("p", { class: "status" });
      const note = h("input", { name: "resolution", placeholder: t("resolution") });
      const score = h("input", { name: "score", type: "number", min: 0, max: 100, placeholder: t("newScore") });
      const resolve = async (accept) => {
        try {
          await post(`/disputes/${d.dispute_id}/resolution`, { accept, resolution: note.value,
            review: accept ? { items: d.items.map((i) => ({ item_id: i, decision: "pass", note: note.value })),
              score: score.value === "" ? null : Number(score.value), comment: note.value } : null });
          await rerender(main, disputesPage)();
        } catch (err) { msg.textContent = err.message; }
      };
      box.append(h("div", { class: "resolve" }, note, score,
        h("button", { type: "button", class: "accept", onclick: () => resolve(true) }, t("accept")),
        h("button", { type: "button", class: "reject", onclick: () => resolve(false) }, t("reject")), msg));
    }
    main.append(box);
  }
  if (!page.items.length) main.append(h("p", {}, t("none")));
}

// --------------------------------------------------------------------------- calibration
async function sessionReport(main, id) {
  const r = await get(`/calibration/sessions/${id}/report`);
  main.append(h("h2", {}, `${t("report")}: ${r.name} (${r.state})`),
    h("p", {}, `${t("agreement")} ${fmt(r.overall.percent, 2)} · ${t("kappa")} ${fmt(r.overall.kappa, 2)}`),
    table([{ label: t("item"), value: (i) => i.item_id },
      { label: t("agreement"), value: (i) => i.agreement.percent },
      { label: t("kappa"), value: (i) => i.agreement.kappa },
      { label: t("consensus"), value: (i) => Object.entries(i.consensus).map(([c, v]) => `${c}: ${v || "–"}`).join("; ") }],
    r.items),
    h("h3", {}, t("distance")),
    table([{ label: t("user"), value: (x) => x.rater }, { label: "%", value: (x) => x.distance.disagreement_rate },
      { label: t("score"), value: (x) => x.distance.mean_abs_score_diff }], r.raters));
}

async function ratingForms(main, id) {
  const task = await get(`/calibration/sessions/${id}/task`);
  for (const c of task.calls) {
    const msg = h("p", { class: "status" });
    const form = h("form", { class: "rating", "data-call": c.call_id, onsubmit: async (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const verdicts = Object.fromEntries(c.items.map((i) => [i.item_id, data.get(i.item_id)]));
      try { await put(`/calibration/sessions/${id}/calls/${encodeURIComponent(c.call_id)}/rating`,
        { verdicts, score: Number(data.get("score")) }); msg.textContent = t("saved"); }
      catch (err) { msg.textContent = err.message; }
    } }, h("h3", {}, h("a", { href: `#/call/${encodeURIComponent(c.call_id)}` }, c.call_id)),
    c.items.map((i) => h("label", {}, i.item_id, h("select", { name: i.item_id },
      ["pass", "fail", "n/a"].map((o) => h("option", { value: o, selected: i.my_verdict === o }, o))))),
    h("label", {}, t("score"), h("input", { name: "score", type: "number", min: 0, max: 100, required: true,
      value: c.my_score ?? "" })), h("button", { type: "submit" }, t("rate")), msg);
    main.append(form);
  }
}

export async function calibrationPage(main) {
  main.append(h("h1", {}, t("calibration")));
  if (may("calibration.manage")) {
    const msg = h("p", { class: "status" });
    const form = h("form", { id: "calibration-form", onsubmit: async (e) => {
      e.preventDefault();
      const split = (v) => v.split(",").map((x) => x.trim()).filter(Boolean);
      try {
        await post("/calibration/sessions", { name: form.name.value, call_ids: split(form.calls.value),
          reviewers: split(form.reviewers.value) });
        await rerender(main, calibrationPage)();
      } catch (err) { msg.textContent = err.message; }
    } }, h("label", {}, t("name"), h("input", { name: "name", required: true })),
    h("label", {}, t("callIds"), h("input", { name: "calls", required: true })),
    h("label", {}, t("reviewers"), h("input", { name: "reviewers", required: true })),
    h("button", { type: "submit" }, t("create")), msg);
    main.append(form);
  }
  const sessions = await get("/calibration/sessions");
  const detail = h("section", { id: "calibration-detail" });
  main.append(table([{ label: t("name"), value: (x) => x.name }, { label: t("state"), value: (x) => x.state },
    { label: t("calls"), value: (x) => x.calls.join(", ") },
    { label: t("reviewers"), value: (x) => Object.entries(x.progress).map(([u, n]) => `${u} ${n}/${x.calls.length}`).join(", ") },
    { label: "", value: (x) => h("span", {},
      x.reviewers.includes(session.me.username) && x.state === "open"
        ? h("button", { type: "button", onclick: async () => { detail.replaceChildren(); await ratingForms(detail, x.session_id); } }, t("rate")) : null,
      h("button", { type: "button", onclick: async () => {
        detail.replaceChildren();
        try { await sessionReport(detail, x.session_id); } catch (err) { detail.append(h("p", { class: "error" }, err.message)); }
      } }, t("report")),
      x.state === "open" && may("calibration.manage")
        ? h("button", { type: "button", onclick: async () => { await post(`/calibration/sessions/${x.session_id}/close`); await rerender(main, calibrationPage)(); } }, t("close")) : null) },
  ], sessions), detail);
}

// --------------------------------------------------------------------------- coaching
async function setPage(main, id) {
  const set = await get(`/coaching/sets/${id}`);
  const bar = progressBar();
  const msg = h("p", { class: "status", role: "status" });
  const order = set.clips.map((c) => c.clip_id);
  const move = async (i, by) => {
    const next = [...order];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    await put(`/coaching/sets/${id}/order`, { clip_ids: next });
    main.replaceChildren(); await setPage(main, id);
  };
  main.append(h("h2", {}, `${set.name} · ${set.team || ""}`), h("p", { class: "note" }, set.note || ""),
    h("ol", { id: "clips" }, set.clips.map((c, i) => {
      const player = h("audio", { controls: true, preload: "none" });
      return h("li", { class: `clip ${c.example}`, "data-clip": c.clip_id },
        h("strong", {}, c.title || c.call_id), ` · ${t(c.example)} · `,
        h("a", { href: `#/call/${encodeURIComponent(c.call_id)}` }, c.call_id), ` ${fmt(c.start_s)}–${fmt(c.end_s)} s`,
        c.note ? h("p", {}, c.note) : null,
        h("button", { type: "button", class: "play", onclick: async () => {
          const { blob } = await fetchBlob(`/calls/${encodeURIComponent(c.call_id)}/audio`, { start: c.start_s, end: c.end_s });
          player.src = URL.createObjectURL(blob); player.play().catch(() => {});
        } }, t("play")), player,
        may("coaching.manage") && i > 0 ? h("button", { type: "button", class: "up", onclick: () => move(i, -1) }, t("up")) : null,
        may("coaching.manage") && i < order.length - 1 ? h("button", { type: "button", class: "down", onclick: () => move(i, 1) }, t("down")) : null);
    })),
    h("button", { type: "button", id: "export", onclick: async () => {
      try { const name = await download(`/coaching/sets/${id}/export`, {}, (d, tot) => bar.show(d, tot)); msg.textContent = name; }
      catch (err) { msg.textContent = err.message; }
      bar.hide();
    } }, t("exportZip")), bar.el, msg);
}

export async function coachingPage(main) {
  main.append(h("h1", {}, t("coaching")));
  if (may("coaching.manage")) {
    const msg = h("p", { class: "status" });
    const form = h("form", { id: "set-form", onsubmit: async (e) => {
      e.preventDefault();
      try { await post("/coaching/sets", { name: form.name.value, note: form.note.value }); await rerender(main, coachingPage)(); }
      catch (err) { msg.textContent = err.message; }
    } }, h("label", {}, t("name"), h("input", { name: "name", required: true })),
    h("label", {}, t("note"), h("input", { name: "note" })), h("button", { type: "submit" }, t("newSet")), msg);
    main.append(form);
  }
  const detail = h("section", { id: "set-detail" });
  const sets = await get("/coaching/sets");
  main.append(table([{ label: t("name"), value: (x) => x.name }, { label: t("team"), value: (x) => x.team },
    { label: t("clips"), value: (x) => x.clips }, { label: t("user"), value: (x) => x.owner }], sets,
  { onRow: async (x) => { detail.replaceChildren(); await setPage(detail, x.set_id); } }), detail);
}
