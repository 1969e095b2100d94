// A client generated from the service's own OpenAPI document (openapi-typescript → generated/api.d.ts, written by
// OpenApiClientTests from the running service) drives sign-up, upload, feed and like. tsc type-checks this file against
// the generated types first, so a document that misdescribes a route, a body or a response fails the build.
// Usage: node generated/dist/client-flow.js <base url> <video file>. Prints one JSON line per step.
import { openAsBlob } from "node:fs";
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/api.js";

type Video = components["schemas"]["VideoDto"];

const [baseUrl, videoFile] = process.argv.slice(2);
const client = createClient<paths>({ baseUrl });
const report = (step: string, facts: Record<string, unknown>) => console.log(JSON.stringify({ step, ...facts }));

const suffix = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
const signUp = await client.POST("/api/auth/signup", {
  body: { email: `gen${suffix}@example.com`, password: "correct horse battery", username: `gen${suffix}` },
});
// 201 is a session, 202 (Supabase mode, e-mail confirmation) is not: the generated type is the union of both.
if (!signUp.data || !("access_token" in signUp.data)) throw new Error(`sign-up: ${signUp.response.status} ${JSON.stringify(signUp.error)}`);
const session: components["schemas"]["SessionDto"] = signUp.data;
report("sign_up", { status: signUp.response.status, user_id: session.user.id, username: `gen${suffix}` });

const authorization = { Authorization: `Bearer ${session.access_token}` };

// The multipart form as the document describes it: the fields first, then `file`; `file` (a binary string in the
// schema) is given as the path of the file to send, which the serializer turns into the part.
const form: components["schemas"]["UploadVideoForm"] = { title: "Generated client upload", tags: "generated,openapi", file: videoFile };
const part = await openAsBlob(form.file, { type: "video/mp4" });
const upload = await client.POST("/api/videos", {
  headers: authorization,
  body: form,
  bodySerializer: () => {
    const data = new FormData();
    data.append("title", form.title);
    if (form.tags) data.append("tags", form.tags);
    data.append("file", part, "clip.mp4");
    return data;
  },
});
if (!upload.data) throw new Error(`upload: ${upload.response.status} ${JSON.stringify(upload.error)}`);
const video: Video = upload.data;
report("upload", { status: upload.response.status, id: video.id, title: video.title, tags: video.tags, author: video.author.username });

// Processed in the background (thumbnail, HLS); the feed shows ready videos only. The owner sees the status meanwhile.
let status = video.status;
for (let i = 0; i < 600 && status !== "ready"; i++) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  const own = await client.GET("/api/videos/{id}", { params: { path: { id: video.id } }, headers: authorization });
  status = own.data?.status ?? `http ${own.response.status}`;
  if (status === "failed") break;
}
report("processed", { status });

// No query at all: `limit` has a default, so the generated type must not require it.
const feed = await client.GET("/api/videos/feed", { headers: authorization });
if (!feed.data) throw new Error(`feed: ${feed.response.status} ${JSON.stringify(feed.error)}`);
const listed: Video | undefined = feed.data.items.find((v) => v.id === video.id);
report("feed", { status: feed.response.status, found: listed !== undefined, liked_by_me: listed?.liked_by_me ?? null });

const like = await client.PUT("/api/videos/{id}/like", { params: { path: { id: video.id } }, headers: authorization });
if (!like.data) throw new Error(`like: ${like.response.status} ${JSON.stringify(like.error)}`);
report("like", { status: like.response.status, liked: like.data.liked, likes_count: like.data.likes_count });

const after = await client.GET("/api/videos/{id}", { params: { path: { id: video.id } }, headers: authorization });
if (!after.data) throw new Error(`get video: ${after.response.status} ${JSON.stringify(after.error)}`);
report("get_video", { status: after.response.status, likes_count: after.data.likes_count, liked_by_me: after.data.liked_by_me });

// A refusal comes back typed as the document's problem+json.
const missing = await client.GET("/api/videos/{id}", { params: { path: { id: "00000000-0000-0000-0000-000000000000" } } });
const problem: components["schemas"]["ProblemDetails"] | undefined = missing.error;
report("not_found", { status: missing.response.status, problem_status: problem?.status ?? null, has_trace_id: typeof problem?.trace_id === "string" });
