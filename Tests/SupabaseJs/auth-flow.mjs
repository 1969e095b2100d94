// Drives a Supabase Auth server with the official client (@supabase/supabase-js, as an app would: createClient(url, key))
// and prints one JSON line per step: {step, error: {name, code, status} | null, facts}. The NUnit test SupabaseJsTests
// runs it against IgLive.Service and against the WireMock GoTrue fake and compares the lines.
// Usage: node auth-flow.mjs <project url, e.g. http://127.0.0.1:8080> <anon key>
// When it needs the server's clock moved past the refresh-token reuse interval it prints {"advance_clock": 11} and
// waits for a line on stdin.
import { createClient } from '@supabase/supabase-js';
import { createInterface } from 'node:readline';
import WebSocket from 'ws'; // Node 20 has no native WebSocket, which supabase-js's realtime client needs at construction

const [url, anonKey] = process.argv.slice(2);
if (!url || !anonKey) { console.error('usage: node auth-flow.mjs <auth url> <anon key>'); process.exit(2); }

const stdin = createInterface({ input: process.stdin });
const lines = stdin[Symbol.asyncIterator]();
let clients = 0;
// One client per simulated device; each keeps its session in memory.
const client = () => createClient(url, anonKey, {
  auth: { storageKey: `sb-test-${++clients}`, autoRefreshToken: false, persistSession: false, detectSessionInUrl: false },
  realtime: { transport: WebSocket },
}).auth;

const emit = (step, error, facts = {}) => {
  const e = error ? { name: error.name, code: error.code ?? null, status: error.status ?? null } : null;
  console.log(JSON.stringify({ step, error: e, facts }));
};

const id = Math.random().toString(36).slice(2, 10);
const email = `js-${id}@example.test`;
const password = 'first-password-1';
const newPassword = 'second-password-2';
const username = `js_${id}`;

console.log(JSON.stringify({ email }));
const a = client();
let r = await a.signUp({ email, password, options: { data: { username } } });
const userId = r.data.user?.id;
emit('sign_up', r.error, {
  session: !!r.data.session, email_matches: r.data.user?.email === email, username_kept: r.data.user?.user_metadata?.username === username,
  token_type: r.data.session?.token_type, refresh_token_opaque: !!r.data.session && !r.data.session.refresh_token.includes('.'),
});

r = await client().signUp({ email, password });
emit('sign_up_taken_email', r.error);

r = await client().signUp({ email: `short-${id}@example.test`, password: 'abc' });
emit('sign_up_weak_password', r.error, { reasons: r.error?.reasons ?? null });

r = await client().signInWithPassword({ email, password: 'not-the-password' });
emit('sign_in_wrong_password', r.error, { session: !!r.data.session });

r = await a.signInWithPassword({ email, password });
emit('sign_in', r.error, { session: !!r.data.session, same_user: r.data.user?.id === userId });

r = await a.getUser();
emit('get_user', r.error, { same_user: r.data.user?.id === userId, email_matches: r.data.user?.email === email, provider: r.data.user?.app_metadata?.provider });

r = await a.getClaims();
emit('get_claims', r.error, {
  sub_is_user: r.data?.claims?.sub === userId, role: r.data?.claims?.role, aud: r.data?.claims?.aud, alg: r.data?.header?.alg,
  has_kid: !!r.data?.header?.kid,
});

r = await a.updateUser({ data: { bio: 'hello' } });
emit('update_user_metadata', r.error, { bio: r.data.user?.user_metadata?.bio, username_kept: r.data.user?.user_metadata?.username === username });

r = await a.updateUser({ password });
emit('update_user_same_password', r.error);

r = await a.updateUser({ password: newPassword });
emit('update_user_password', r.error, { same_user: r.data.user?.id === userId });

r = await client().signInWithPassword({ email, password });
emit('sign_in_old_password', r.error);

const b = client();
r = await b.signInWithPassword({ email, password: newPassword });
emit('sign_in_new_password', r.error, { session: !!r.data.session });

// Rotation: the first token is used, the second is the parent of the active one, the third is active.
const first = (await b.getSession()).data.session.refresh_token;
r = await b.refreshSession();
const second = r.data.session?.refresh_token;
emit('refresh_session', r.error, { rotated: !!second && second !== first, same_user: r.data.user?.id === userId });
r = await b.refreshSession();
const third = r.data.session?.refresh_token;
emit('refresh_session_again', r.error, { rotated: !!third && third !== second });

console.log(JSON.stringify({ advance_clock: 11 })); // past GoTrue's 10 s reuse interval
await lines.next();
r = await client().refreshSession({ refresh_token: first });
emit('refresh_with_used_token', r.error, { session: !!r.data.session });

r = await client().refreshSession({ refresh_token: 'no-such-token-' + id });
emit('refresh_with_unknown_token', r.error);

// Sign-out scopes over the sessions of one user.
const sessions = [];
for (let i = 0; i < 2; i++) {
  const c = client();
  await c.signInWithPassword({ email, password: newPassword });
  sessions.push({ c, token: (await c.getSession()).data.session.access_token, refresh: (await c.getSession()).data.session.refresh_token });
}
const [s1, s2] = sessions;
r = await s1.c.signOut({ scope: 'others' });
emit('sign_out_others', r.error, {
  own_session_kept: !(await s1.c.getUser()).error,
  other_session_ended: (await client().getUser(s2.token)).error?.name ?? null,
  other_refresh: (await client().refreshSession({ refresh_token: s2.refresh })).error?.code ?? null,
});

const s5 = client();
await s5.signInWithPassword({ email, password: newPassword });
r = await s1.c.signOut({ scope: 'local' });
emit('sign_out_local', r.error, {
  local_session_removed: !(await s1.c.getSession()).data.session,
  own_token_refused: (await client().getUser(s1.token)).error?.name ?? null,
  other_session_kept: !(await s5.getUser()).error,
});

const s6 = client();
await s6.signInWithPassword({ email, password: newPassword });
r = await s5.signOut();
emit('sign_out_global', r.error, {
  local_session_removed: !(await s5.getSession()).data.session,
  other_session_ended: (await s6.getUser()).error?.name ?? null,
});

r = await client().getUser('not-a-jwt');
emit('get_user_bad_jwt', r.error);

stdin.close();
