#!/usr/bin/env python3
"""Prints a SQL constant of the service with parameters replaced, for the bench/discovery scripts (pgbench_*.sql,
explain.sql are copies of the constants: this makes the copy). Usage:
  bench/discovery/sql_from_cs.py SearchVideosSql.FullTextFirst Words=:words Prefix=:prefix ...
Evaluates `const string X = <raw literal> + Y + "text";` concatenations of Features/**/*.cs (raw string literals,
plain string literals with \\n, and references to other constants, qualified or not); then each @Name becomes the given
replacement (unreplaced parameters are an error). A leading PlanCacheMode prefix (the DO line that sets plan_cache_mode
for the batch) is left out, so the output is the statement alone; --batch keeps it (two statements, for a pgbench
pipeline). Env SRC: another source tree (e.g. an export of main)."""
import re, sys, pathlib

import os
ROOT = pathlib.Path(os.environ.get('SRC') or pathlib.Path(__file__).resolve().parents[2])
consts = {}  # "Class.Name" -> expression text

def raw_literal(src, i):
    j = i
    while src[j] == '"': j += 1
    quotes = j - i
    end = src.index('"' * quotes, j)
    body = src[j:end]
    lines = body.split('\n')
    if len(lines) > 1:
        indent = lines[-1]
        content = [l[len(indent):] if l.startswith(indent) else l.lstrip() for l in lines[1:-1]]
        text = '\n'.join(content)
    else:
        text = body
    return text, end + quotes

for path in (ROOT / 'Features').rglob('*.cs'):
    src = path.read_text()
    cls = None
    for m in re.finditer(r'(?:class\s+(\w+))|(?:const\s+string\s+(\w+)\s*=)', src):
        if m.group(1): cls = m.group(1); continue
        name = m.group(2); i = m.end(); parts = []
        try:
          while True:
            while src[i].isspace(): i += 1
            if src.startswith('"""', i):
                t, i = raw_literal(src, i); parts.append(('s', t))
            elif src[i] == '"':
                j = i + 1; buf = ''
                while src[j] != '"':
                    if src[j] == '\\': buf += {'n': '\n', '"': '"', '\\': '\\', 't': '\t'}[src[j + 1]]; j += 2
                    else: buf += src[j]; j += 1
                parts.append(('s', buf)); i = j + 1
            else:
                m2 = re.match(r'[A-Za-z_][\w.]*', src[i:]); parts.append(('r', m2.group(0))); i += m2.end()
            while src[i].isspace(): i += 1
            if src[i] == '+': i += 1; continue
            break
        except (AttributeError, KeyError, ValueError, IndexError):
          continue  # not a plain concatenation of literals and constants
        consts[f'{cls}.{name}'] = (cls, parts)

def value(key, cls=None):
    if key not in consts:
        cands = [k for k in consts if k.endswith('.' + key)]
        key = f'{cls}.{key}' if f'{cls}.{key}' in consts else (cands[0] if len(cands) == 1 else key)
    c, parts = consts[key]
    return ''.join(t if kind == 's' else value(t, c) for kind, t in parts)

args = sys.argv[1:]
batch = '--batch' in args
args = [a for a in args if a != '--batch']
sql = value(args[0])
if not batch: sql = re.sub(r"\ADO \$\$BEGIN PERFORM set_config\('plan_cache_mode'.*?END\$\$;\n", '', sql)
for arg in args[1:]:
    k, v = arg.split('=', 1)
    sql = re.sub(r'@' + k + r'\b', lambda _: v, sql)
left = set(re.findall(r'@(\w+)', sql))
if left: sys.exit(f'unreplaced parameters: {sorted(left)}')
print(sql.rstrip() + ';')
