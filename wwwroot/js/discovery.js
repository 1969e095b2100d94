// Discovery views: search (videos and people), a tag's videos, trending videos and tags.
// Routes: #/search/<query>, #/tag/<tag>, #/trending. The shell's helpers (h, videoCard, …) are passed in, so this
// module does not import app.js back. API text is inserted with textContent/attributes only, never as HTML.
import { api, ApiError } from "./api.js";

export function discovery({ h, videoCard }) {
  /** A paged list of videos from `path` (a URL without cursor); "More" loads the next page. */
  function videoList(path, empty, testid) {
    const list = h("div.feed", { "data-testid": testid });
    const status = h("p.muted.center", { "aria-live": "polite", "data-testid": `${testid}-status` }, "Loading…");
    const more = h("button", { type: "button", hidden: true, "data-testid": `${testid}-more` }, "More");
    let cursor = null;
    const load = async () => {
      more.disabled = true;
      try {
        const page = await api(path + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
        page.items.forEach(v => list.append(videoCard(v)));
        cursor = page.next_cursor;
        more.hidden = !cursor;
        status.textContent = list.children.length ? "" : empty;
      } catch (e) {
        status.textContent = e instanceof ApiError ? e.message : "Could not load videos.";
      } finally { more.disabled = false; }
    };
    more.addEventListener("click", load);
    load();
    return [list, status, more];
  }

  function searchForm(value) {
    const input = h("input", { type: "search", name: "q", value, maxlength: 200, required: true, autocomplete: "off",
      placeholder: "Search videos and people", "aria-label": "Search", "data-testid": "search-input" });
    const form = h("form.search", { role: "search", "data-testid": "search-form" }, input,
      h("button.primary", { type: "submit", "data-testid": "search-submit" }, "Search"));
    form.addEventListener("submit", e => {
      e.preventDefault();
      const q = input.value.trim();
      if (q) location.hash = `#/search/${encodeURIComponent(q)}`;
    });
    return form;
  }

  async function people(q) {
    const box = h("ul.people", { "data-testid": "people-results", "aria-label": "People" });
    try {
      const page = await api(`/api/users/search?limit=5&q=${encodeURIComponent(q)}`);
      page.items.forEach(p => box.append(h("li", {}, h("a", { href: `#/u/${encodeURIComponent(p.username)}`, "data-testid": "person-link" },
        p.display_name ? `${p.display_name} ` : "", h("span.muted", {}, `@${p.username}`)))));
    } catch { /* people are a bonus next to the videos */ }
    return box;
  }

  async function searchPage(arg) {
    const q = decodeURIComponent(arg ?? "").trim();
    if (!q) return [h("h1", {}, "Search"), searchForm("")];
    return [h("h1", {}, "Search"), searchForm(q), await people(q),
      ...videoList(`/api/videos/search?limit=10&q=${encodeURIComponent(q)}`, "No videos match.", "search-results")];
  }

  function tagPage(arg) {
    const tag = decodeURIComponent(arg ?? "").toLowerCase();
    return [h("h1", { "data-testid": "tag-title" }, `#${tag}`),
      ...videoList(`/api/tags/${encodeURIComponent(tag)}/videos?limit=10`, "No live videos with this tag.", "tag-videos")];
  }

  async function trendingPage() {
    const tags = h("p.tags", { "data-testid": "trending-tags" });
    try {
      const r = await api("/api/tags/trending?limit=15");
      r.items.forEach(t => tags.append(h("a.tag", { href: `#/tag/${encodeURIComponent(t.tag)}`, title: `${t.videos_count} videos today` }, `#${t.tag}`), " "));
    } catch { /* the videos below still load */ }
    return [h("h1", {}, "Trending"), tags, ...videoList("/api/videos/trending?limit=10", "Nothing is trending yet.", "trending-videos")];
  }

  /** A tag as a link to its page (video cards use it). */
  const tagLink = t => h("a.tag", { href: `#/tag/${encodeURIComponent(t)}`, "data-testid": "tag-link" }, `#${t}`);

  return { searchPage, tagPage, trendingPage, tagLink };
}
