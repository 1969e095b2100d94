#!/usr/bin/env python3
"""Renders AddCommentSql.Insert (as composed from the build's C# const strings, read by reflection) into a pgbench script:
one comment by a random viewer 1..2000 on one of the 20,000 newest videos, its own transaction.
Usage: render_comment_sql.py SERVICE_DLL EVENTSBENCH > file. A build whose statement calls pg_notify keeps those calls."""
import subprocess, sys
dll, client = sys.argv[1], sys.argv[2]
sql = subprocess.run([client, "sql", dll, "IgLive.Service.Features.Social.AddComment.AddCommentSql", "Insert"],
                     check=True, capture_output=True, text=True).stdout
for k, v in (("@VideoId", "('00000000-0000-4000-8000-' || lpad(to_hex((:n)::int), 12, '0'))::uuid"),
             ("@Viewer", "('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid"),
             # A random id (48 bits: a collision in 10^5 inserts is ~2e-5 likely); the statement uses it twice.
             ("@Id", "('00000000-0000-4000-a000-' || lpad(to_hex((:id)::bigint), 12, '0'))::uuid"),
             ("@Text", "'pgbench says hi'"), ("@Now", "now()")):
    sql = sql.replace(k, v)
print("\\set n random(1, 20000)\n\\set u random(1, 2000)\n\\set id random(1, 281474976710655)")
print(" ".join(sql.split()) + ";")
