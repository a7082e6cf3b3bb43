#!/usr/bin/env python3
"""Leave-one-out quality of 提纲 (GET /api/v1/outline-stats), per 文种.

Usage: outline_quality.py SUCAI LIBRARY [--per-genre N] [--min-docs M]

For each 文种 with at least M documents (default 20), for up to N of its
documents (default 200, spread over the genre): ask the server for the
genre's headings with that document left out (exclude=ID) and with its own
level-1 heading keys (doc=ID); the ten headings recommended (the most used
clusters) are compared with the document's own (numbering stripped,
clusters merged: the same keys the server computes):

    precision@10 = |recommended ∩ own| / |recommended|
    recall@10    = |recommended ∩ own| / |own|

averaged over the documents that have level-1 headings. Also the answer
time: p50/p95 of the server's took_ms and of the request as the client
sees it. Run under the bench lock (bench/outline_quality.sh).
"""
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    p = s.getsockname()[1]
    s.close()
    return p


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))] if v else 0.0


def main():
    args = sys.argv[1:]
    per, mind = 200, 20
    if '--per-genre' in args:
        i = args.index('--per-genre')
        per = int(args[i + 1])
        del args[i:i + 2]
    if '--min-docs' in args:
        i = args.index('--min-docs')
        mind = int(args[i + 1])
        del args[i:i + 2]
    sucai, lib = args[0], args[1]
    db = sqlite3.connect('file:%s/library.db?mode=ro' % lib, uri=True)
    genres = [(g, n) for g, n in db.execute(
        'SELECT genre, count(*) FROM documents WHERE genre IS NOT NULL GROUP BY genre '
        'ORDER BY 2 DESC') if n >= mind]
    port = free_port()
    srv = subprocess.Popen([sucai, '-L', lib, 'serve', '--listen', '127.0.0.1:%d' % port],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = 'http://127.0.0.1:%d' % port
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + '/healthz', timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        print('%-14s %6s %6s %8s %8s %8s' % ('文种', 'docs', 'asked', 'P@10', 'R@10', 'outlined'))
        all_took, all_wall, rows = [], [], []
        for g, n in genres:
            ids = [r[0] for r in db.execute('SELECT id FROM documents WHERE genre = ? ORDER BY id', (g,))]
            step = max(1, len(ids) // per)
            ps, rs, asked = [], [], 0
            for did in ids[::step][:per]:
                q = urllib.parse.urlencode({'genre': g, 'exclude': did, 'doc': did, 'headings': 10})
                t0 = time.perf_counter()
                r = json.loads(urllib.request.urlopen(base + '/api/v1/outline-stats?' + q).read())
                all_wall.append((time.perf_counter() - t0) * 1000)
                all_took.append(r['took_ms'])
                asked += 1
                own = set(r['doc']['keys'])
                if not own:
                    continue
                rec = [h['key'] for h in r['headings'][:10]]
                hit = len(own.intersection(rec))
                ps.append(hit / len(rec) if rec else 0.0)
                rs.append(hit / len(own))
            if ps:
                rows.append((g, statistics.mean(ps), statistics.mean(rs)))
            print('%-14s %6d %6d %8.3f %8.3f %8d' % (g, n, asked, statistics.mean(ps) if ps else 0,
                                                     statistics.mean(rs) if rs else 0, len(ps)))
        if rows:
            print('%-14s %6s %6s %8.3f %8.3f' % ('mean', '', '', statistics.mean(r[1] for r in rows),
                                                 statistics.mean(r[2] for r in rows)))
        print('answer time: server p50 %.1f ms p95 %.1f ms; client p50 %.1f ms p95 %.1f ms '
              '(%d requests; goal p95 <= 100 ms)' % (pct(all_took, .5), pct(all_took, .95),
                                                      pct(all_wall, .5), pct(all_wall, .95),
                                                      len(all_took)))
    finally:
        srv.terminate()
        srv.wait()


if __name__ == '__main__':
    main()
