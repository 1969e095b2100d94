#!/usr/bin/env python3
"""Renders LikeVideoSql.Toggle (as composed from its C# const strings) into a pgbench script like bench/feed/pgbench_like.sql:
lock + toggle in one pipelined transaction, random viewer 1..2000 and video among the 20,000 newest. Usage: render_like_sql.py SERVICE_DLL EVENTSBENCH > file"""
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
    return ' '.join(sql.split())
print("\\set n random(1, 20000)\n\\set u random(1, 2000)\n\\startpipeline\nBEGIN;")
print(bind(const('LockVideo'), lock=True) + ";")
print(bind(const('Toggle')) + ";")
print("COMMIT;\n\\endpipeline")
