#!/usr/bin/env python3
"""Renders LikeVideoSql.Toggle (as composed from its C# const strings) into a pgbench script like bench/feed/pgbench_like.sql:
lock + toggle in one pipelined transaction, random viewer 1..2000 and video among the 20,000 newest. Usage: render_like_sql.py > file"""
import re, sys
import os; os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
srcs = {'NotificationWriterSql': open('Features/Notifications/Writer/NotificationWriterSql.cs').read(),
        'LikeVideoSql': open('Features/Social/LikeVideo/LikeVideoSql.cs').read()}
def tokens(expr):
    i = 0; out = []
    while i < len(expr):
        if expr.startswith('"""', i):
            j = expr.index('"""', i + 3)
            raw = expr[i+3:j]
            lines = raw.split('\n')
            indent = len(lines[-1])
            body = [l[indent:] for l in lines[1:-1]]
            out.append(('s', '\n'.join(body))); i = j + 3
        elif expr[i] == '"':
            j = expr.index('"', i + 1)
            out.append(('s', expr[i+1:j].encode().decode('unicode_escape'))); i = j + 1
        elif expr[i].isalpha():
            m = re.match(r'[\w.]+', expr[i:]); out.append(('n', m.group(0))); i += len(m.group(0))
        else: i += 1
    return out
def const(cls, name):
    s = srcs[cls]
    m = re.search(r'const string ' + name + r' = (.*?);\n', s, re.S)
    val = ''
    for kind, t in tokens(m.group(1)):
        if kind == 's': val += t
        else:
            c, _, n = t.rpartition('.')
            val += const(c or cls, n)
    return val
video = "('00000000-0000-4000-8000-' || lpad(to_hex((:n)::int), 12, '0'))::uuid"
user = "('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid"
def bind(sql, lock=False):
    # LockVideo's positional parameters are ($1 video, $2 now); the operations' are ($1 video, $2 viewer, $3 now).
    pairs = (('$1', video), ('$2', 'now()')) if lock else (('$1', video), ('$2', user), ('$3', 'now()'))
    for k, v in pairs + (('@VideoId', video), ('@Viewer', user), ('@Now', 'now()')):
        sql = sql.replace(k, v)
    return ' '.join(sql.split())
print("\\set n random(1, 20000)\n\\set u random(1, 2000)\n\\startpipeline\nBEGIN;")
print(bind(const('LikeVideoSql', 'LockVideo'), lock=True) + ";")
print(bind(const('LikeVideoSql', 'Toggle')) + ";")
print("COMMIT;\n\\endpipeline")
