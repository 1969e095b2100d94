// Video playback and processing state: HLS through the browser's own player where it has one (Safari, iOS) or
// hls.js (vendored in /vendor/hls.js), the uploaded file otherwise; "processing…" for the owner's fresh uploads,
// polled until the worker has made them ready. Kept apart from app.js, which calls these three functions.
import { api } from "./api.js";

let hlsModule = null;
const loadHls = () => (hlsModule ??= import("../vendor/hls.js/hls.light.min.mjs").then(m => m.default).catch(() => null));
const FRESH_KEY = "iglive.fresh_uploads";

/** Points a <video> at the video's stream: HLS when it has one, else its file. */
export async function attachStream(player, v) {
  if (!v.stream_url) { player.dataset.stream = "file"; player.src = v.video_url; return; }
  if (player.canPlayType("application/vnd.apple.mpegurl")) { player.dataset.stream = "native"; player.src = v.stream_url; return; }
  const Hls = await loadHls();
  if (Hls?.isSupported()) {
    const hls = new Hls({ capLevelToPlayerSize: true });
    hls.loadSource(v.stream_url);
    hls.attachMedia(player);
    player.dataset.stream = "hls.js";
    return;
  }
  player.dataset.stream = "file";
  player.src = v.video_url;
}

/** Remembers the owner's upload (this tab only) so the feed can show it while it is processing. */
export function rememberUpload(v) {
  if (v?.status === "ready") return;
  const fresh = JSON.parse(sessionStorage.getItem(FRESH_KEY) ?? "[]").filter(x => x.id !== v.id);
  sessionStorage.setItem(FRESH_KEY, JSON.stringify([v, ...fresh].slice(0, 5)));
}

/**
 * Cards for the owner's uploads still processing (or failed), newest first. Each polls its video and, once it is
 * ready, replaces itself with `readyCard(video)`; a failed one shows the reason until dismissed.
 */
export function freshUploadCards(readyCard, h) {
  const fresh = JSON.parse(sessionStorage.getItem(FRESH_KEY) ?? "[]");
  const forget = id => sessionStorage.setItem(FRESH_KEY,
    JSON.stringify(JSON.parse(sessionStorage.getItem(FRESH_KEY) ?? "[]").filter(x => x.id !== id)));
  return fresh.map(v => {
    const state = h("p.processing", { "data-testid": "video-status", role: "status" },
      v.status === "failed" ? `Processing failed: ${v.failure_reason ?? "unknown error"}` : "processing…");
    const card = h("article.video-card.pending", { "data-testid": "feed-item", "data-video-id": v.id, "data-status": v.status },
      h("div.video-placeholder", { "aria-hidden": "true" }),
      h("div.video-meta", {}, h("h2", { "data-testid": "video-title" }, v.title), state));
    let delay = 1000;
    const poll = async () => {
      if (!card.isConnected) return; // the page was left
      try {
        const now = await api(`/api/videos/${v.id}`);
        if (now.status === "ready") {
          forget(v.id);
          // The feed may have loaded it meanwhile: keep one card per video.
          if (document.querySelector(`.video-card:not(.pending)[data-video-id="${CSS.escape(v.id)}"]`)) card.remove();
          else card.replaceWith(readyCard(now));
          return;
        }
        if (now.status === "failed") {
          card.dataset.status = "failed";
          state.textContent = `Processing failed: ${now.failure_reason ?? "unknown error"}`;
          forget(v.id);
          return;
        }
      } catch { forget(v.id); card.remove(); return; } // deleted or expired meanwhile
      delay = Math.min(delay * 1.5, 10000);
      setTimeout(poll, delay);
    };
    if (v.status !== "failed") setTimeout(poll, delay);
    return card;
  });
}
