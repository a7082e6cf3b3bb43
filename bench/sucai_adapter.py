#!/usr/bin/env python3
"""sucai_adapter.py SUCAI LIBRARY IDMAP [RSS_OUT]

Speaks the anchors' harness line protocol (shared/anchors/README.md) on
stdin/stdout around one long-running `sucai search --batch --json` process:

  in : one query per line (terms separated by a space are ANDed; year:NNNN filters)
  out: COUNT <TAB> top-20 ids (the corpus manifest's ids) <TAB> engine_us=N

IDMAP is a TSV "sucai_id<TAB>corpus_id" (bench/run writes it after the import).
At the end the resident memory of the sucai process is written to RSS_OUT.
"""
import json, subprocess, sys


def main():
    sucai, lib, idmap = sys.argv[1:4]
    rss_out = sys.argv[4] if len(sys.argv) > 4 else None
    ids = {}
    with open(idmap, encoding='utf-8') as f:
        for line in f:
            a, b = line.rstrip('\n').split('\t')
            ids[int(a)] = b
    p = subprocess.Popen([sucai, '-L', lib, 'search', '--batch', '--json', '--limit', '20'],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                         encoding='utf-8', bufsize=1)
    for line in sys.stdin:
        q = line.rstrip('\n')
        p.stdin.write(q + '\n')
        p.stdin.flush()
        ans = p.stdout.readline()
        if not ans:
            sys.exit('sucai died on %r' % q)
        r = json.loads(ans)
        if 'error' in r:
            sys.stdout.write('ERR\t\terror=1\n')
        else:
            top = ','.join(ids.get(h['id'], '?%d' % h['id']) for h in r['hits'])
            sys.stdout.write('%d\t%s\tengine_us=%.0f\n' % (r['total'], top, r['took_ms'] * 1000))
        sys.stdout.flush()
    if rss_out:
        try:
            with open('/proc/%d/status' % p.pid) as f:
                for l in f:
                    if l.startswith('VmRSS') or l.startswith('VmHWM'):
                        open(rss_out, 'a').write(l)
        except OSError:
            pass
    p.stdin.close()
    p.wait()


if __name__ == '__main__':
    main()
