// IgLive web client: hash routes (#/feed, #/following, #/login, #/signup, #/upload, #/me, #/u/<username>, #/moderation,
// #/search/<q>, #/tag/<tag>, #/trending).
// Everything the API returns is inserted with textContent/attributes, never as HTML.
import { api, uploadVideo, signUp, logIn, logOut, refresh, session, ApiError } from "./api.js";
import { initModeration, isModerator, moderationPage, reportButton } from "./moderation.js";
import { attachStream, rememberUpload, freshUploadCards } from "./media.js";
import { initGraph, profileActions, profileVideos, followingPage } from "./graph.js";
import { discovery } from "./discovery.js";
import { startLive } from "./live.js";

const main = document.getElementById("main");
const toastEl = document.getElementById("toast");
let me = null; // Profile of the logged-in user (for "delete own comment")

/** h("button.primary", { type: "submit", "data-testid": "x" }, "text", child) */
function h(tag, attrs = {}, ...children) {
  const [name, ...classes] = tag.split(".");
  const el = document.createElement(name);
  if (classes.length) el.className = classes.join(" ");
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

function toast(message, kind = "info") {
  toastEl.textContent = message;
  toastEl.dataset.kind = kind;
  toastEl.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { toastEl.hidden = true; }, 6000);
}
const fail = e => toast(e instanceof ApiError ? e.message : "Something went wrong.", "error");
initModeration({ h, toast, fail });
initGraph({ h, toast, fail, videoCard });
const notMine = authorId => session.loggedIn && me?.id !== authorId; // reports are for other people's content

const fmtCount = n => new Intl.NumberFormat(undefined, { notation: "compact" }).format(n ?? 0);
function fmtWhen(iso) {
  const s = Math.round((new Date(iso) - Date.now()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, secs] of [["day", 86400], ["hour", 3600], ["minute", 60]]) {
    if (Math.abs(s) >= secs) return rtf.format(Math.round(s / secs), unit);
  }
  return rtf.format(s, "second");
}

// ---- forms: one field + its error slot; server errors (snake_case keys) land next to the field ----
function field(form, name, label, input, hint) {
  const id = `${form}-${name}`;
  input.id = id;
  input.name = name;
  input.setAttribute("aria-describedby", `${id}-error${hint ? ` ${id}-hint` : ""}`);
  if (!input.dataset.testid) input.dataset.testid = `${form}-${name.replaceAll("_", "-")}`;
  return h("div.field", {},
    h("label", { for: id }, label), input,
    hint ? h("small.hint", { id: `${id}-hint` }, hint) : null,
    h("p.field-error", { id: `${id}-error`, "data-testid": `error-${name}`, "aria-live": "polite" }));
}

function clearErrors(form) {
  form.querySelectorAll(".field-error, .form-error").forEach(e => { e.textContent = ""; });
  form.querySelectorAll("[aria-invalid]").forEach(e => e.removeAttribute("aria-invalid"));
}

function showErrors(form, err) {
  const general = form.querySelector(".form-error");
  if (!(err instanceof ApiError)) { general.textContent = "Something went wrong."; return; }
  const leftovers = [];
  for (const [key, messages] of Object.entries(err.errors)) {
    const slot = form.querySelector(`[data-testid="error-${key}"]`);
    if (slot) {
      slot.textContent = messages.join(" ");
      form.elements[key]?.setAttribute("aria-invalid", "true");
    } else leftovers.push(...messages);
  }
  general.textContent = [Object.keys(err.errors).length ? "Please fix the highlighted fields." : err.message, ...leftovers]
    .filter(Boolean).join(" ");
  form.querySelector("[aria-invalid]")?.focus();
}

function formError() { return h("p.form-error", { role: "alert", "data-testid": "form-error" }); }

// ---- auth pages ----
function authPage(kind) {
  const signup = kind === "signup";
  const form = h("form.card", { "data-testid": `${kind}-form`, novalidate: true },
    h("h1", {}, signup ? "Create your account" : "Log in"),
    field(kind, "email", "Email", h("input", { type: "email", autocomplete: "email", required: true })),
    signup ? field(kind, "username", "Username", h("input", { autocomplete: "username", required: true, pattern: "[a-z0-9_.]{3,30}" }),
      "3–30 characters: a–z, 0–9, _ and .") : null,
    field(kind, "password", "Password", h("input", { type: "password", required: true,
      autocomplete: signup ? "new-password" : "current-password", minlength: signup ? 8 : undefined }),
      signup ? "At least 8 characters." : null),
    formError(),
    h("button.primary", { type: "submit", "data-testid": `${kind}-submit` }, signup ? "Sign up" : "Log in"),
    h("p.muted", {}, signup ? "Already have an account? " : "New here? ",
      h("a", { href: signup ? "#/login" : "#/signup" }, signup ? "Log in" : "Sign up")));
  form.addEventListener("submit", async e => {
    e.preventDefault();
    clearErrors(form);
    const v = Object.fromEntries(new FormData(form));
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      if (signup) {
        const s = await signUp(v.email.trim(), v.password, v.username.trim());
        if (s?.confirmation_required) { toast("Check your email to confirm your account, then log in."); location.hash = "#/login"; return; }
      } else {
        await logIn(v.email.trim(), v.password);
      }
      location.hash = "#/feed";
    } catch (err) { showErrors(form, err); } finally { button.disabled = false; }
  });
  return form;
}

// ---- feed ----
function authorLine(author, when) {
  return h("p.author", {},
    h("a", { href: `#/u/${encodeURIComponent(author?.username ?? "")}`, "data-testid": "author-link" },
      author?.display_name || `@${author?.username ?? "unknown"}`),
    h("span.muted", {}, ` · ${fmtWhen(when)}`));
}

function videoCard(v) {
  const player = h("video", { controls: true, preload: "metadata", playsinline: true,
    poster: v.thumbnail_url ?? undefined, "data-testid": "video-player", "aria-label": v.title });
  attachStream(player, v);
  let viewed = false;
  player.addEventListener("play", () => {
    if (viewed) return;
    viewed = true;
    api(`/api/videos/${v.id}/views`, { method: "POST" }).catch(() => { /* a lost view is not worth a toast */ });
  });

  let liked = v.liked_by_me === true;
  const likeCount = h("span", { "data-testid": "like-count" }, fmtCount(v.likes_count));
  const likeButton = h("button.like", { type: "button", "data-testid": "like-button", "aria-pressed": String(liked),
    "aria-label": "Like" }, h("span", { "aria-hidden": "true" }, "♥"), " ", likeCount);
  likeButton.addEventListener("click", async () => {
    if (!session.loggedIn) { location.hash = "#/login"; return; }
    likeButton.disabled = true;
    try {
      const r = await api(`/api/videos/${v.id}/like`, { method: liked ? "DELETE" : "PUT" });
      liked = r.liked;
      likeButton.setAttribute("aria-pressed", String(liked));
      likeCount.textContent = fmtCount(r.likes_count);
    } catch (e) { fail(e); } finally { likeButton.disabled = false; }
  });

  const commentsPanel = h("section.comments", { hidden: true, "aria-label": "Comments" });
  const commentsButton = h("button", { type: "button", "data-testid": "comments-toggle", "aria-expanded": "false" },
    `Comments ${fmtCount(v.comments_count)}`);
  const countComments = delta => {
    v.comments_count = Math.max(0, (v.comments_count ?? 0) + delta);
    commentsButton.textContent = `Comments ${fmtCount(v.comments_count)}`;
  };
  commentsButton.addEventListener("click", () => {
    const open = commentsPanel.hidden;
    commentsPanel.hidden = !open;
    commentsButton.setAttribute("aria-expanded", String(open));
    if (open && !commentsPanel.dataset.loaded) { commentsPanel.dataset.loaded = "1"; comments(commentsPanel, v, countComments); }
  });

  return h("article.video-card", { "data-testid": "feed-item", "data-video-id": v.id },
    player,
    h("div.video-meta", {},
      h("h2", { "data-testid": "video-title" }, v.title),
      authorLine(v.author, v.created_at),
      v.description ? h("p.description", {}, v.description) : null,
      v.tags?.length ? h("p.tags", {}, v.tags.map(t => [disc.tagLink(t), " "])) : null,
      h("div.actions", {}, likeButton, commentsButton,
        h("span.muted", { "data-testid": "views-count" }, `${fmtCount(v.views_count)} views`),
        h("span.muted", {}, `expires ${fmtWhen(v.expires_at)}`),
        notMine(v.author?.id) ? reportButton("video", v.id) : null)),
    commentsPanel);
}

function comments(panel, video, onCount) {
  const list = h("ul.comment-list", { "data-testid": "comment-list", "aria-live": "polite" });
  const more = h("button.link", { type: "button", "data-testid": "comments-more", hidden: true }, "Older comments");
  let cursor = null;

  const item = c => {
    const mayDelete = me && (c.author?.id === me.id || video.author?.id === me.id);
    const li = h("li", { "data-testid": "comment-item", "data-comment-id": c.id },
      h("p", {}, h("strong", {}, c.author?.display_name || `@${c.author?.username}`), h("span.muted", {}, ` · ${fmtWhen(c.created_at)}`)),
      h("p.comment-text", { "data-testid": "comment-text" }, c.text),
      mayDelete ? h("button.link.danger", { type: "button", "data-testid": "comment-delete", onclick: async () => {
        try { await api(`/api/videos/${video.id}/comments/${c.id}`, { method: "DELETE" }); li.remove(); onCount(-1); }
        catch (e) { fail(e); }
      } }, "Delete") : null,
      notMine(c.author?.id) ? reportButton("comment", c.id) : null);
    return li;
  };

  const load = async () => {
    more.disabled = true;
    try {
      const q = new URLSearchParams({ limit: "20" });
      if (cursor) q.set("cursor", cursor);
      const page = await api(`/api/videos/${video.id}/comments?${q}`);
      page.items.forEach(c => list.append(item(c)));
      cursor = page.next_cursor;
      more.hidden = !cursor;
    } catch (e) { fail(e); } finally { more.disabled = false; }
  };
  more.addEventListener("click", load);

  const form = h("form.comment-form", { "data-testid": "comment-form" },
    h("label.visually-hidden", { for: `c-${video.id}` }, "Add a comment"),
    h("textarea", { id: `c-${video.id}`, name: "text", rows: 2, maxlength: 1000, required: true,
      placeholder: "Add a comment…", "data-testid": "comment-input", "aria-describedby": `c-${video.id}-error` }),
    h("p.field-error", { id: `c-${video.id}-error`, "data-testid": "error-text" }),
    formError(),
    h("button.primary", { type: "submit", "data-testid": "comment-submit" }, "Post"));
  form.addEventListener("submit", async e => {
    e.preventDefault();
    clearErrors(form);
    try {
      const c = await api(`/api/videos/${video.id}/comments`, { method: "POST", body: { text: form.elements.text.value } });
      list.prepend(item(c));
      onCount(1);
      form.reset();
    } catch (err) { showErrors(form, err); }
  });

  panel.append(session.loggedIn ? form : h("p.muted", {}, h("a", { href: "#/login" }, "Log in"), " to comment."), list, more);
  load();
}

function feedPage() {
  const list = h("div.feed", { "data-testid": "feed" });
  const status = h("p.muted.center", { "data-testid": "feed-status", "aria-live": "polite" }, "Loading…");
  const sentinel = h("div", { "data-testid": "feed-sentinel", "aria-hidden": "true" });
  let cursor = null, loading = false, done = false;

  const loadMore = async () => {
    if (loading || done) return;
    loading = true;
    try {
      const q = new URLSearchParams({ limit: "10" });
      if (cursor) q.set("cursor", cursor);
      const page = await api(`/api/videos/feed?${q}`);
      page.items.forEach(v => list.append(videoCard(v)));
      cursor = page.next_cursor;
      done = !cursor;
      status.textContent = done ? (list.children.length ? "You're all caught up." : "No videos yet. Be the first to upload!") : "";
    } catch (e) {
      status.textContent = e instanceof ApiError ? e.message : "Could not load the feed.";
      done = true;
    } finally { loading = false; }
    // Keep filling while the sentinel is still on screen (tall screens, short pages).
    if (!done && sentinel.getBoundingClientRect().top < innerHeight + 400) loadMore();
  };
  const io = new IntersectionObserver(es => { if (es.some(e => e.isIntersecting)) loadMore(); }, { rootMargin: "400px" });
  io.observe(sentinel);
  cleanup = () => io.disconnect();
  list.append(...freshUploadCards(videoCard, h));
  return [h("h1.visually-hidden", {}, "Feed"), list, status, sentinel];
}

// ---- upload ----
function uploadPage() {
  if (!session.loggedIn) return needLogin();
  const progress = h("progress", { max: 100, value: 0, "data-testid": "upload-progress", "aria-label": "Upload progress", hidden: true });
  const progressText = h("span.muted", { "data-testid": "upload-progress-text", "aria-live": "polite" });
  const form = h("form.card", { "data-testid": "upload-form", novalidate: true },
    h("h1", {}, "Upload a video"),
    field("upload", "title", "Title", h("input", { required: true, maxlength: 150 })),
    field("upload", "description", "Description", h("textarea", { rows: 3, maxlength: 2000 })),
    field("upload", "tags", "Tags", h("input", { placeholder: "travel, food" }), "Comma-separated, up to 10: a–z, 0–9 and _."),
    field("upload", "file", "Video file", h("input", { type: "file", accept: "video/mp4,video/quicktime,video/webm", required: true }),
      "MP4, MOV or WebM."),
    h("div.progress", {}, progress, progressText),
    formError(),
    h("button.primary", { type: "submit", "data-testid": "upload-submit" }, "Upload"));
  form.addEventListener("submit", async e => {
    e.preventDefault();
    clearErrors(form);
    const file = form.elements.file.files[0];
    if (!file) { showErrors(form, new ApiError(400, { errors: { file: ["Choose a video file."] } })); return; }
    // Text fields first, the file LAST: the server streams the file and needs the metadata before it.
    const fd = new FormData();
    fd.append("title", form.elements.title.value.trim());
    fd.append("description", form.elements.description.value.trim());
    fd.append("tags", form.elements.tags.value.split(",").map(t => t.trim()).filter(Boolean).join(","));
    fd.append("file", file, file.name);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    progress.hidden = false;
    const onProgress = f => {
      progress.value = Math.round(f * 100);
      progressText.textContent = f < 1 ? `${Math.round(f * 100)} %` : "Processing…";
    };
    onProgress(0);
    try {
      rememberUpload(await uploadVideo(fd, onProgress));
      progressText.textContent = "Uploaded.";
      toast("Video uploaded.");
      location.hash = "#/feed";
    } catch (err) {
      progress.hidden = true;
      progressText.textContent = "";
      showErrors(form, err);
    } finally { button.disabled = false; }
  });
  return form;
}

// ---- profiles ----
function profileCard(p) {
  return h("section.card.profile", { "data-testid": "profile-view" },
    p.avatar_url ? h("img.avatar", { src: p.avatar_url, alt: "", width: 72, height: 72 }) : null,
    h("h1", { "data-testid": "profile-display-name" }, p.display_name || p.username),
    h("p.muted", { "data-testid": "profile-username" }, `@${p.username}`),
    p.bio ? h("p", { "data-testid": "profile-bio" }, p.bio) : null,
    h("p.muted", {}, h("span", { "data-testid": "profile-videos-count" }, fmtCount(p.videos_count)), " live videos · joined ",
      new Date(p.created_at).toLocaleDateString()));
}

async function userPage(username) {
  try {
    const p = await api(`/api/users/${encodeURIComponent(username)}`);
    return [profileCard(p), profileActions(p, notMine(p.id)), notMine(p.id) ? reportButton("user", p.username) : null,
      profileVideos(p.username)].filter(Boolean);
  }
  catch (e) { return h("p.card", { role: "alert", "data-testid": "page-error" }, e instanceof ApiError ? e.message : "Could not load the profile."); }
}

async function mePage() {
  if (!session.loggedIn) return needLogin();
  let p;
  try { p = me = await api("/api/me"); } catch (e) { return h("p.card", { role: "alert", "data-testid": "page-error" }, e.message); }
  const view = h("div", {}, profileCard(p));
  const form = h("form.card", { "data-testid": "profile-form", novalidate: true },
    h("h2", {}, "Edit profile"),
    field("profile", "username", "Username", h("input", { value: p.username, required: true })),
    field("profile", "display_name", "Display name", h("input", { value: p.display_name ?? "", maxlength: 100 })),
    field("profile", "bio", "Bio", h("textarea", { rows: 3, maxlength: 500 }, p.bio ?? "")),
    field("profile", "avatar_url", "Avatar URL", h("input", { type: "url", value: p.avatar_url ?? "" })),
    formError(),
    h("button.primary", { type: "submit", "data-testid": "profile-submit" }, "Save"));
  form.addEventListener("submit", async e => {
    e.preventDefault();
    clearErrors(form);
    // PATCH only what changed; an emptied optional field is sent as null (cleared).
    const patch = {};
    for (const k of ["username", "display_name", "bio", "avatar_url"]) {
      const v = form.elements[k].value.trim();
      if (v !== (p[k] ?? "")) patch[k] = v === "" && k !== "username" ? null : v;
    }
    if (!Object.keys(patch).length) { toast("Nothing to save."); return; }
    try {
      p = me = await api("/api/me", { method: "PATCH", body: patch });
      view.replaceChildren(profileCard(p));
      toast("Profile saved.");
    } catch (err) { showErrors(form, err); }
  });
  return [view, profileActions(p, false), form, profileVideos(p.username)];
}

function needLogin() {
  return h("p.card", { "data-testid": "login-required" }, h("a", { href: "#/login" }, "Log in"), " or ",
    h("a", { href: "#/signup" }, "sign up"), " first.");
}

// ---- shell ----
let cleanup = () => {};
const disc = discovery({ h, videoCard });

function renderNav() {
  const nav = document.getElementById("nav");
  nav.replaceChildren(
    h("a", { href: "#/feed", "data-testid": "nav-feed" }, "Feed"),
    h("a", { href: "#/trending", "data-testid": "nav-trending" }, "Trending"),
    h("a", { href: "#/search", "data-testid": "nav-search" }, "Search"),
    ...(session.loggedIn
      ? [h("a", { href: "#/following", "data-testid": "nav-following" }, "Following"),
         h("a", { href: "#/upload", "data-testid": "nav-upload" }, "Upload"),
         moderationLink(),
         h("a", { href: "#/me", "data-testid": "nav-profile" }, h("span", { "data-testid": "current-user" }, me ? `@${me.username}` : "Profile")),
         h("button.link", { type: "button", "data-testid": "logout-button", onclick: async () => {
           await logOut(); me = null; location.hash = "#/feed"; route();
         } }, "Log out")]
      : [h("a", { href: "#/login", "data-testid": "nav-login" }, "Log in"),
         h("a.button", { href: "#/signup", "data-testid": "nav-signup" }, "Sign up")]));
}

// Shown once the moderation queue answers this user (moderators and the service role only).
function moderationLink() {
  const link = h("a", { href: "#/moderation", "data-testid": "nav-moderation", hidden: true }, "Moderation");
  isModerator().then(ok => { link.hidden = !ok; });
  return link;
}

async function route() {
  cleanup(); cleanup = () => {};
  const [, page = "feed", arg] = location.hash.replace(/^#\/?/, "/").split("/");
  const content = await ({
    feed: feedPage, following: followingPage, login: () => authPage("login"), signup: () => authPage("signup"),
    upload: uploadPage, me: mePage, u: () => userPage(decodeURIComponent(arg ?? "")), moderation: () => moderationPage(arg),
    search: () => disc.searchPage(arg), tag: () => disc.tagPage(arg), trending: disc.trendingPage,
  }[page] ?? feedPage)();
  main.replaceChildren(...[content].flat());
  main.focus({ preventScroll: true });
  document.querySelectorAll("#nav a").forEach(a => a.toggleAttribute("aria-current", a.getAttribute("href") === `#/${page}`));
}

session.onChange(async () => {
  if (session.loggedIn && !me) { try { me = await api("/api/me"); } catch { me = null; } }
  if (!session.loggedIn) me = null;
  renderNav();
});

addEventListener("hashchange", route);
renderNav();
// The access token lives in memory only: a reload restores the session from the refresh token.
if (session.hasRefreshToken()) await refresh();
route();
startLive(); // live counters, notification bell and toasts (live.js)
