// Reports and moderation: "Report" actions on videos, comments and profiles, and the moderators' page (#/moderation):
// the queue of open cases, resolved cases, the audit log, lifting a suspension.
// app.js hands over its DOM helper and toasts with initModeration(); everything is inserted as text, never as HTML.
import { api, session, ApiError } from "./api.js";

let h, toast, fail;
let moderator = null; // null: not asked yet; true/false once the queue answered

export function initModeration(ui) { ({ h, toast, fail } = ui); }

const REASONS = ["spam", "harassment", "hate", "violence", "nudity", "copyright", "other"];
const label = s => s.replaceAll("_", " ").replace(/^./, c => c.toUpperCase());

/** Whether the caller may use the moderation routes (asked once per session). */
export async function isModerator() {
  if (!session.loggedIn) return (moderator = false);
  if (moderator !== null) return moderator;
  try { await api("/api/moderation/cases?limit=1"); moderator = true; } catch { moderator = false; }
  return moderator;
}
session.onChange(() => { moderator = null; });

/** A "Report" button that opens a small form (reason, note) under it; `target_id` is an id or, for users, a username. */
export function reportButton(targetType, targetId) {
  const wrap = h("div.report", { "data-testid": `report-${targetType}` });
  const button = h("button.link", { type: "button", "data-testid": "report-button", "aria-expanded": "false" }, "Report");
  const id = `report-${targetType}-${targetId}`;
  const form = h("form.report-form", { "data-testid": "report-form", hidden: true },
    h("label", { for: `${id}-reason` }, `Why are you reporting this ${targetType}?`),
    h("select", { id: `${id}-reason`, name: "reason", "data-testid": "report-reason" },
      REASONS.map(r => h("option", { value: r }, label(r)))),
    h("label", { for: `${id}-note` }, "Details for the moderators (optional)"),
    h("textarea", { id: `${id}-note`, name: "note", rows: 2, maxlength: 1000, "data-testid": "report-note" }),
    h("p.form-error", { role: "alert", "data-testid": "report-error" }),
    h("button.primary", { type: "submit", "data-testid": "report-submit" }, "Send report"));
  button.addEventListener("click", () => {
    if (!session.loggedIn) { location.hash = "#/login"; return; }
    form.hidden = !form.hidden;
    button.setAttribute("aria-expanded", String(!form.hidden));
  });
  form.addEventListener("submit", async e => {
    e.preventDefault();
    const error = form.querySelector(".form-error");
    error.textContent = "";
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    try {
      const note = form.elements.note.value.trim();
      const r = await api("/api/reports", { method: "POST",
        body: { target_type: targetType, target_id: String(targetId), reason: form.elements.reason.value, note: note || null } });
      form.hidden = true;
      button.setAttribute("aria-expanded", "false");
      button.textContent = "Reported";
      button.disabled = true;
      toast(r.status === "open" ? "Thanks. A moderator will look at it." : "Thanks. A moderator has already looked at this.");
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : "Could not send the report.";
    } finally { submit.disabled = false; }
  });
  wrap.append(button, form);
  return wrap;
}

// ---- the moderators' page ----
function caseTarget(c) {
  const t = c.target ?? {};
  const what = c.target_type === "video" ? h("span", {}, `“${t.title ?? ""}”`)
    : c.target_type === "comment" ? h("q.comment-text", {}, t.text ?? "")
    : h("span", {}, t.display_name ?? "");
  return h("p", { "data-testid": "case-target" },
    h("strong", {}, `${label(c.target_type)} `), what, " by ",
    h("a", { href: `#/u/${encodeURIComponent(t.username ?? "")}`, "data-testid": "case-author" }, `@${t.username}`));
}

function caseCard(c, onResolved) {
  const reasons = Object.entries(c.reasons ?? {}).sort((a, b) => b[1] - a[1]).map(([r, n]) => `${label(r)} ${n}`).join(" · ");
  const note = h("input", { name: "note", maxlength: 1000, placeholder: "Note for the audit log (optional)",
    "aria-label": "Note", "data-testid": "case-note" });
  const resolve = action => async e => {
    const buttons = card.querySelectorAll("button");
    buttons.forEach(b => { b.disabled = true; });
    try {
      const resolved = await api(`/api/moderation/cases/${c.id}/resolve`, { method: "POST",
        body: { action, note: note.value.trim() || null } });
      toast(`Case resolved: ${label(action)}.`);
      onResolved(resolved, card);
    } catch (err) { fail(err); buttons.forEach(b => { b.disabled = false; }); }
    e.preventDefault();
  };
  const card = h("article.card.case", { "data-testid": "case-item", "data-case-id": c.id, "data-target-id": c.target_id },
    caseTarget(c),
    h("p.muted", {}, h("span", { "data-testid": "case-reports" }, `${c.reports_count} report${c.reports_count === 1 ? "" : "s"}`),
      ` · ${reasons}`),
    c.resolution
      ? h("p", { "data-testid": "case-resolution" }, `${label(c.resolution.action)} by ${c.resolution.moderator}`,
          c.resolution.note ? ` — ${c.resolution.note}` : "")
      : h("div.actions", {}, note,
          h("button", { type: "button", "data-testid": "case-dismiss", onclick: resolve("dismiss") }, "Dismiss"),
          c.target_type !== "user"
            ? h("button.danger", { type: "button", "data-testid": "case-remove", onclick: resolve("remove") }, `Remove ${c.target_type}`) : null,
          h("button.danger", { type: "button", "data-testid": "case-suspend", onclick: resolve("suspend_author") }, "Suspend author")));
  return card;
}

function pagedList(testid, load, render) {
  const list = h("div", { "data-testid": testid });
  const more = h("button.link", { type: "button", hidden: true }, "More");
  const empty = h("p.muted", { hidden: true }, "Nothing here.");
  let cursor = null;
  const next = async () => {
    more.disabled = true;
    try {
      const page = await load(cursor);
      page.items.forEach(i => list.append(render(i)));
      cursor = page.next_cursor;
      more.hidden = !cursor;
      empty.hidden = list.children.length > 0;
    } catch (e) { fail(e); } finally { more.disabled = false; }
  };
  more.addEventListener("click", next);
  next();
  return [list, empty, more];
}

function actionItem(a) {
  return h("li", { "data-testid": "action-item" },
    h("strong", {}, label(a.action)), ` ${a.target_type} `, h("code", {}, a.target_id), ` by ${a.moderator} · `,
    h("time", { datetime: a.created_at }, new Date(a.created_at).toLocaleString()), a.note ? ` — ${a.note}` : "");
}

/** #/moderation (open cases) or #/moderation/resolved. */
export async function moderationPage(tab) {
  if (!(await isModerator())) {
    return h("p.card", { role: "alert", "data-testid": "page-error" }, "Only moderators can see this page.");
  }
  const status = tab === "resolved" ? "resolved" : "open";
  const query = (base, cursor) => `${base}${base.includes("?") ? "&" : "?"}limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
  const log = h("ul.comment-list", { "data-testid": "action-list" });
  const reloadLog = async () => {
    try { log.replaceChildren(...(await api(query("/api/moderation/actions"))).items.map(actionItem)); } catch (e) { fail(e); }
  };
  const cases = pagedList("case-list", c => api(query(`/api/moderation/cases?status=${status}`, c)),
    c => caseCard(c, (_, card) => { card.remove(); reloadLog(); }));

  const lift = h("form.comment-form", { "data-testid": "lift-form" },
    h("label", { for: "lift-username" }, "Lift a suspension"),
    h("input", { id: "lift-username", name: "username", placeholder: "username", required: true, "data-testid": "lift-username" }),
    h("button", { type: "submit", "data-testid": "lift-submit" }, "Lift"));
  lift.addEventListener("submit", async e => {
    e.preventDefault();
    const username = lift.elements.username.value.trim().replace(/^@/, "");
    try {
      await api(`/api/moderation/suspensions/${encodeURIComponent(username)}`, { method: "DELETE" });
      toast(`@${username} may write again.`);
      lift.reset();
      reloadLog();
    } catch (err) { fail(err); }
  });
  reloadLog();

  return [
    h("h1", {}, "Moderation"),
    h("nav.actions", { "aria-label": "Cases" },
      h("a", { href: "#/moderation", "aria-current": status === "open" ? "page" : undefined, "data-testid": "cases-open" }, "Open cases"),
      h("a", { href: "#/moderation/resolved", "aria-current": status === "resolved" ? "page" : undefined,
        "data-testid": "cases-resolved" }, "Resolved")),
    ...cases,
    h("section.card", {}, lift, h("h2", {}, "Audit log"), log),
  ];
}
