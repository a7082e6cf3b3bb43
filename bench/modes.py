#!/usr/bin/env python3
"""modes.py SUCAI LIBRARY [REPEAT] - the figures the anchors' query set does
not cover: one frequent character in document mode and frequent terms in
paragraph mode (engine-internal took_ms, median of REPEAT runs, top-20 with
snippets, with the exact total of each).

Prints one line per query: mode, query, total, median ms, min ms.
"""
import json, statistics, subprocess, sys

QUERIES = [
    ('doc', '的'), ('doc', '工'), ('doc', '工作 发展 建设'), ('doc', '工作 发展'),
    ('para', '的'), ('para', '工'), ('para', '工作 发展 建设'), ('para', '工作'),
    ('para', '推进 落实'),
]


def main():
    sucai, lib = sys.argv[1:3]
    rep = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    procs = {}
    for mode in ('doc', 'para'):
        cmd = [sucai, '-L', lib, 'search', '--batch', '--json', '--limit', '20']
        if mode == 'para':
            cmd.append('--para')
        procs[mode] = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       text=True, encoding='utf-8', bufsize=1)
    for mode, q in QUERIES:
        p = procs[mode]
        ts, total = [], None
        for _ in range(rep):
            p.stdin.write(q + '\n')
            p.stdin.flush()
            r = json.loads(p.stdout.readline())
            if 'error' in r:
                sys.exit('%s: %s' % (q, r['error']))
            ts.append(r['took_ms'])
            total = r['total']
        print('%-4s  %-16s total %8d  median %8.2f ms  min %8.2f ms' %
              (mode, q, total, statistics.median(ts), min(ts)))
    for p in procs.values():
        p.stdin.close()
        p.wait()


if __name__ == '__main__':
    main()
