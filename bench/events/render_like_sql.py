#!/usr/bin/env python3
"""Renders LikeVideoSql.Toggle (as composed from its C# const strings) into a pgbench script like bench/feed/pgbench_like.sql:
lock + toggle in one pipelined transaction, random viewer 1..2000 and video among the 20,000 newest. Usage: render_like_sql.py SERVICE_DLL EVENTSBENCH [no-notify] > file
no-notify: every pg_notify(...) call replaced by NULL, to split the statement's cost from NOTIFY's (docs/benchmarks.md)."""
import subprocess, sys
# The statements exactly as the build holds them (const strings, read by reflection): no C# parsing here.
dll, client = sys.argv[1], sys.argv[2]
def const(name):
    return subprocess.run([client, "sql", dll, "IgLive.Service.Features.Social.LikeVideo.LikeVideoSql", name],
                          check=True, capture_output=True, text=True).stdout
video = "('00000000-0000-4000-8000-' || lpad(to_hex((:n)::int), 12, '0'))::uuid"
user = "('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid"
def bind(sql, lock=False):
    # LockVideo's positional parameters are ($1 video, $2 now); the operations' are ($1 video, $2 viewer, $3 now).
    pairs = (('$1', video), ('$2', 'now()')) if lock else (('$1', video), ('$2', user), ('$3', 'now()'))
    for k, v in pairs + (('@VideoId', video), ('@Viewer', user), ('@Now', 'now()')):
        sql = sql.replace(k, v)
    if len(sys.argv) > 3 and sys.argv[3] == 'no-notify':
        sql = strip_notify(sql)
    return ' '.join(sql.split())
def strip_notify(sql):
    out, i = '', 0
    while (j := sql.find("pg_notify(", i)) >= 0:
        out += sql[i:j]; k = j + len("pg_notify("); depth = 1
        while depth:
            depth += {'(': 1, ')': -1}.get(sql[k], 0); k += 1
        out += "NULL::text"; i = k
    return out + sql[i:]
print("\\set n random(1, 20000)\n\\set u random(1, 2000)\n\\startpipeline\nBEGIN;")
print(bind(const('LockVideo'), lock=True) + ";")
print(bind(const('Toggle')) + ";")
print("COMMIT;\n\\endpipeline")
