// The live board: calls in progress with their alerts (refreshed every 2 s); open one to listen in
// (silent monitor) — its audio is played as it arrives and its transcript grows, alerts appear at once.
import { get, session } from "./api.js";
import { clock, h, table } from "./dom.js";
import { t } from "./i18n.js";

let timer = null;
let socket = null;
let audioCtx = null;

function stop() {
  if (timer) { clearInterval(timer); timer = null; }
  if (socket) { socket.close(); socket = null; }
}
window.addEventListener("hashchange", stop);

function play(bytes, rate) {
  audioCtx ||= new AudioContext();
  const pcm = new Int16Array(bytes);
  const buffer = audioCtx.createBuffer(1, pcm.length, rate);
  const ch = buffer.getChannelData(0);
  for (let i = 0; i < pcm.length; i++) ch[i] = pcm[i] / 32768;
  const src = audioCtx.createBufferSource();
  src.buffer = buffer;
  src.connect(audioCtx.destination);
  const at = Math.max(audioCtx.currentTime, play.next || 0);
  src.start(at);
  play.next = at + buffer.duration;
}

function listenIn(panel, call) {
  if (socket) socket.close();
  const lines = h("ol", { id: "live-transcript" });
  const alerts = h("ul", { id: "live-alerts" });
  const status = h("p", { class: "status", id: "live-status" }, t("loading"));
  panel.replaceChildren(h("h2", {}, `${t("call")} ${call.call_id}`), status, h("h3", {}, t("alerts")), alerts,
    h("h3", {}, t("transcript")), lines);
  const line = (u, cls) => h("li", { class: `utt ${u.role}${cls}` }, h("span", { class: "time" }, clock(u.start_s)),
    h("span", { class: "role" }, t(u.role === "agent" ? "agentTalk" : "customerTalk")), h("span", { class: "text" }, u.text));
  const partials = new Map(); // channel → the line of words still being spoken
  const dropPartial = (channel) => { const old = partials.get(channel); if (old) { old.remove(); partials.delete(channel); } };
  const addUtt = (u) => { dropPartial(u.channel); lines.append(line(u, "")); };
  const addPartial = (p) => { dropPartial(p.channel); const li = line(p, " partial"); partials.set(p.channel, li); lines.append(li); };
  const addAlert = (a) => alerts.append(h("li", { class: `alert ${a.kind}` }, `${clock(a.at_s)} ${a.kind}: ${a.message}`));
  const proto = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${proto}://${location.host}/live/calls/${encodeURIComponent(call.call_id)}/listen?token=${session.token}`);
  socket.binaryType = "arraybuffer";
  let rate = 8000;
  socket.onmessage = (e) => {
    if (typeof e.data !== "string") { play(e.data, rate); return; }
    const m = JSON.parse(e.data);
    if (m.type === "call") { rate = m.rate; status.textContent = `${m.state} · ${clock(m.position_s)}`; m.utterances.forEach(addUtt); m.alerts.forEach(addAlert); }
    else if (m.type === "utterance") addUtt(m);
    else if (m.type === "partial") addPartial(m);
    else if (m.type === "alert") addAlert(m);
    else if (m.type === "ended") status.textContent = `ended · ${m.stored_call_id || ""}`;
  };
  socket.onclose = () => { status.textContent += " ·"; };
}

export async function livePage(main) {
  stop();
  const board = h("section", { id: "live-board" });
  const panel = h("section", { id: "live-panel" });
  main.append(h("h1", {}, t("live")), board, panel);
  const refresh = async () => {
    const calls = await get("/live/calls");
    board.replaceChildren(calls.length ? table([
      { label: t("call"), value: (c) => c.call_id }, { label: t("agent"), value: (c) => c.agent_id },
      { label: t("team"), value: (c) => c.team }, { label: t("state"), value: (c) => c.state },
      { label: t("duration"), value: (c) => clock(c.position_s) },
      { label: t("alerts"), value: (c) => h("span", {}, c.alerts.map((a) => h("span", { class: `flag ${a.kind}` }, a.kind))) },
    ], calls, { onRow: (c) => listenIn(panel, c) }) : h("p", {}, t("noCalls")));
  };
  await refresh();
  timer = setInterval(() => refresh().catch(() => {}), 2000);
}
