// The social graph: follow / unfollow and block on profile pages, follower counts, a profile's videos, and the
// following feed (#/following). app.js hands over its DOM helper, toasts and video card with initGraph();
// everything is inserted as text, never as HTML.
import { api, session, ApiError } from "./api.js";

let h, toast, fail, videoCard;

export function initGraph(ui) { ({ h, toast, fail, videoCard } = ui); }

const fmt = n => new Intl.NumberFormat(undefined, { notation: "compact" }).format(n ?? 0);
const userPath = username => `/api/users/${encodeURIComponent(username)}`;

/** Counts, and for another signed-in user the follow and block buttons, under a profile card. */
export function profileActions(p, isOther) {
  const followers = h("span", { "data-testid": "profile-followers-count" }, fmt(p.followers_count));
  const counts = h("p.muted", { "data-testid": "profile-counts" }, followers, " followers · ",
    h("span", { "data-testid": "profile-following-count" }, fmt(p.following_count)), " following");
  if (!isOther) return h("div.graph-actions", {}, counts);

  let following = !!p.followed_by_me;
  const follow = h("button.primary", { type: "button", "data-testid": "follow-button", "aria-pressed": String(following) });
  const show = () => { follow.textContent = following ? "Following" : "Follow"; follow.setAttribute("aria-pressed", String(following)); };
  show();
  follow.addEventListener("click", async () => {
    if (!session.loggedIn) { location.hash = "#/login"; return; }
    follow.disabled = true;
    try {
      const r = await api(`${userPath(p.username)}/follow`, { method: following ? "DELETE" : "PUT" });
      following = r.following;
      followers.textContent = fmt(r.followers_count);
      show();
    } catch (e) { fail(e); } finally { follow.disabled = false; }
  });

  const block = h("button.link", { type: "button", "data-testid": "block-button" }, "Block");
  block.addEventListener("click", async () => {
    if (!confirm(`Block @${p.username}? Neither of you will see the other, and follows between you are removed.`)) return;
    try {
      await api(`${userPath(p.username)}/block`, { method: "PUT" });
      toast(`@${p.username} is blocked.`);
      location.hash = "#/feed";
    } catch (e) { fail(e); }
  });
  return h("div.graph-actions", {}, counts, session.loggedIn ? [follow, " ", block] : null);
}

/** A newest-first list of videos from `path` with a "More" button; `empty` is shown when there are none. */
export function videoList(path, empty, testId) {
  const list = h("div.feed", { "data-testid": testId });
  const status = h("p.muted.center", { "aria-live": "polite", "data-testid": `${testId}-status` }, "Loading…");
  const more = h("button.link", { type: "button", hidden: true, "data-testid": `${testId}-more` }, "More");
  let cursor = null;
  const load = async () => {
    more.hidden = true;
    try {
      const q = new URLSearchParams({ limit: "10" });
      if (cursor) q.set("cursor", cursor);
      const page = await api(`${path}?${q}`);
      page.items.forEach(v => list.append(videoCard(v)));
      cursor = page.next_cursor;
      more.hidden = !cursor;
      status.textContent = list.children.length ? "" : empty;
    } catch (e) { status.textContent = e instanceof ApiError ? e.message : "Could not load the videos."; }
  };
  more.addEventListener("click", load);
  load();
  return h("section", {}, list, status, more);
}

/** A profile's videos (its owner also sees processing and failed ones). */
export const profileVideos = username => videoList(`${userPath(username)}/videos`, "No videos yet.", "profile-videos");

/** #/following: the videos of the people the caller follows. */
export function followingPage() {
  if (!session.loggedIn) {
    return h("p.card", { "data-testid": "login-required" }, h("a", { href: "#/login" }, "Log in"), " to see the people you follow.");
  }
  return [h("h1", {}, "Following"),
    videoList("/api/videos/following", "Nothing here yet: follow people from their profile pages.", "following-feed")];
}
