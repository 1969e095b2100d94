// Live updates for the web client: one EventSource per page (GET /api/events). It follows the videos on screen
// (their counters update in place), and, when logged in, the caller's notifications: a bell with the unread count and
// the list, and a toast for each new one. EventSource cannot send a token, so each connection uses a fresh one-use
// ticket (POST /api/events/ticket); a reconnect therefore opens a new EventSource and re-reads the list.
import { api, session } from "./api.js";

const fmtCount = n => new Intl.NumberFormat(undefined, { notation: "compact" }).format(n ?? 0);
const MAX_VIDEOS = 50;
let source = null;
let key = "";
let retry = 1000;
let bell = null;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  e.append(...children.filter(c => c !== null && c !== undefined));
  return e;
}

function toast(message) {
  const t = document.getElementById("toast");
  if (!t) return;
  t.textContent = message;
  t.dataset.kind = "info";
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 6000);
}

const visibleVideos = () => [...new Set([...document.querySelectorAll("[data-video-id]")].map(a => a.dataset.videoId))].slice(0, MAX_VIDEOS);

function describe(n) {
  const who = n.actors?.[0]?.username ? `@${n.actors[0].username}` : "Someone";
  const others = n.actors_count > 1 ? ` and ${n.actors_count - 1} other${n.actors_count > 2 ? "s" : ""}` : "";
  const title = n.video?.title ? ` “${n.video.title}”` : "";
  switch (n.kind) {
    case "like": return `${who}${others} liked${title}`;
    case "comment": return `${who} commented on${title}: ${n.comment?.text ?? ""}`;
    case "follow": return `${who}${others} followed you`;
    case "new_video": return `${who} posted${title}`;
    case "share": return `${who}${others} shared${title} with you`;
    default: return n.message ?? "Moderation update";
  }
}

function makeBell() {
  const count = el("span", { class: "bell-count", "data-testid": "bell-count" }, "0");
  const list = el("ul", { class: "bell-list", "data-testid": "bell-list" });
  const panel = el("div", { class: "bell-panel card", "data-testid": "bell-panel", hidden: true },
    el("button", { type: "button", class: "link", "data-testid": "bell-read-all", onclick: async () => {
      await api("/api/notifications/read", { method: "POST", body: { all: true } });
      await load();
    } }, "Mark all read"), list);
  const button = el("button", { type: "button", class: "bell", "data-testid": "bell", "aria-label": "Notifications",
    "aria-expanded": "false", onclick: async () => {
      panel.hidden = !panel.hidden;
      button.setAttribute("aria-expanded", String(!panel.hidden));
      if (!panel.hidden) await load();
    } }, "🔔 ", count);
  const root = el("span", { class: "bell-root" }, button, panel);
  const items = new Map();
  function put(n) {
    const li = el("li", { "data-testid": "bell-item", "data-notification-id": n.id, class: n.read ? "read" : "unread" }, describe(n));
    items.get(n.id)?.remove();
    items.set(n.id, li);
    list.prepend(li);
  }
  async function load() {
    const page = await api("/api/notifications?limit=20");
    list.replaceChildren();
    items.clear();
    for (const n of [...page.items].reverse()) put(n);
  }
  return { root, put, load, setCount: c => { count.textContent = fmtCount(c); root.dataset.unread = String(c); } };
}

function showBell(show) {
  if (show && !bell) {
    bell = makeBell();
    document.querySelector(".topbar")?.append(bell.root);
  } else if (!show && bell) {
    bell.root.remove();
    bell = null;
  }
}

function onVideo(e) {
  const v = JSON.parse(e.data);
  for (const card of document.querySelectorAll(`[data-video-id="${CSS.escape(v.id)}"]`)) {
    const likes = card.querySelector("[data-testid=like-count]");
    if (likes) likes.textContent = fmtCount(v.likes_count);
    const views = card.querySelector("[data-testid=views-count]");
    if (views) views.textContent = `${fmtCount(v.views_count)} views`;
    card.dataset.commentsCount = String(v.comments_count);
  }
}

function onNotification(e) {
  const n = JSON.parse(e.data);
  bell?.put(n);
  if (!n.read) toast(describe(n));
}

async function connect() {
  const videos = visibleVideos();
  const loggedIn = session.loggedIn;
  showBell(loggedIn);
  const next = `${loggedIn ? session.user?.id ?? "me" : "anon"}|${videos.join(",")}`;
  if (next === key && source && source.readyState !== EventSource.CLOSED) return;
  source?.close();
  source = null;
  key = next;
  if (!loggedIn && videos.length === 0) return;
  const params = new URLSearchParams();
  if (videos.length) params.set("videos", videos.join(","));
  try {
    if (loggedIn) params.set("ticket", (await api("/api/events/ticket", { method: "POST" })).ticket);
  } catch { key = ""; return; }
  const es = new EventSource(`/api/events?${params}`);
  source = es;
  es.addEventListener("open", () => { retry = 1000; if (bell && !bell.root.querySelector("[data-testid=bell-panel]").hidden) bell.load(); });
  es.addEventListener("video", onVideo);
  es.addEventListener("notification", onNotification);
  es.addEventListener("unread_count", e => bell?.setCount(JSON.parse(e.data).count));
  // A ticket is single use: instead of EventSource's own retry (same URL), start over with a new ticket.
  es.addEventListener("error", () => {
    if (source !== es) return;
    es.close();
    key = "";
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 30000);
  });
}

/** Starts following: call once; it re-subscribes when the videos on screen or the session change. */
export function startLive() {
  if (typeof EventSource === "undefined") return;
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    setTimeout(() => { pending = false; connect(); }, 300);
  };
  new MutationObserver(schedule).observe(document.getElementById("main") ?? document.body, { childList: true, subtree: true });
  session.onChange(schedule);
  schedule();
}
