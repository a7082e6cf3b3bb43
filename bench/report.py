#!/usr/bin/env python3
"""report.py RESULTS_DIR - the benchmark table from bench.py result files.

Per class p50/p95 of the engine-internal time (ms) of each engine, the ratio
sucai/anchor, and the queries whose count disagrees with the brute-force scan.
Engine-internal time: sucai engine_us; FTS5 rank_us+snip_us+count_us; Groonga
rank_us+snip_us; scan scan_us (it has no ranking or snippets).
"""
import os, statistics, sys

KEYS = {'sucai': ['engine_us'], 'fts5': ['rank_us', 'snip_us', 'count_us'],
        'groonga': ['rank_us', 'snip_us'], 'scan': ['scan_us']}


def load(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        next(f)
        for line in f:
            p = line.rstrip('\n').split('\t')
            extra = dict(kv.split('=', 1) for kv in (p[7] if len(p) > 7 else '').split() if '=' in kv)
            rows.append({'class': p[0], 'query': p[1], 'count': p[2], 'rt': float(p[3]), 'extra': extra})
    return rows


def internal(name, r):
    ks = KEYS.get(name, [])
    v = [float(r['extra'][k]) for k in ks if k in r['extra']]
    return sum(v) / 1000.0 if v else r['rt']


def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, max(0, int(round(q * (len(v) - 1)))))]


def main():
    d = sys.argv[1]
    engines = [e for e in ['sucai', 'scan', 'fts5', 'groonga'] if os.path.exists(os.path.join(d, e + '.tsv'))]
    data = {e: load(os.path.join(d, e + '.tsv')) for e in engines}
    if 'sucai' not in data:
        sys.exit('no sucai results')
    classes = []
    for r in data['sucai']:
        if r['class'] not in classes:
            classes.append(r['class'])
    hdr = '| class | n |' + ''.join(' %s p50 | %s p95 |' % (e, e) for e in engines)
    hdr += ''.join(' sucai/%s p50 | sucai/%s p95 |' % (e, e) for e in engines if e != 'sucai')
    print('Engine-internal time, ms (median of repeats per query; then p50/p95 over the class)\n')
    print(hdr)
    print('|' + '---|' * (hdr.count('|') - 1))
    for c in classes + ['ALL']:
        cells = []
        stats = {}
        n = 0
        for e in engines:
            rs = [r for r in data[e] if c == 'ALL' or r['class'] == c]
            v = [internal(e, r) for r in rs]
            n = max(n, len(v))
            stats[e] = (statistics.median(v), pct(v, 0.95)) if v else (float('nan'), float('nan'))
            cells.append('%.2f | %.2f' % stats[e])
        ratios = []
        for e in engines:
            if e == 'sucai':
                continue
            a, b = stats['sucai'], stats[e]
            ratios.append('%.2f | %.2f' % (a[0] / b[0] if b[0] else float('nan'), a[1] / b[1] if b[1] else float('nan')))
        print('| %s | %d | %s |%s' % (c, n, ' | '.join(cells), (' ' + ' | '.join(ratios) + ' |') if ratios else ''))
    print('\nRound trip through the harness, ms p50/p95 (ALL):', ', '.join(
        '%s %.2f/%.2f' % (e, statistics.median([r['rt'] for r in data[e]]), pct([r['rt'] for r in data[e]], 0.95))
        for e in engines))
    if 'scan' in data:
        ref = {(r['class'], r['query']): r['count'] for r in data['scan']}
        for e in engines:
            if e == 'scan':
                continue
            mism = [r for r in data[e] if (r['class'], r['query']) in ref and r['count'] != ref[(r['class'], r['query'])]]
            text = [r for r in mism if 'year:' not in r['query']]
            year = [r for r in mism if 'year:' in r['query']]
            print('%s: %d count disagreements with the brute-force scan on text%s' % (
                e, len(text), (': ' + '; '.join('%s %s vs %s' % (r['query'], r['count'], ref[(r['class'], r['query'])]) for r in text[:12])) if text else ''))
            if year:
                # the scan's year is the first 20xx of the title (manifest.tsv); a
                # library's year: filter uses the document's own year metadata
                print('%s: %d year-filter queries count differently (year metadata, not text): %s' % (
                    e, len(year), '; '.join('%s %s vs %s' % (r['query'], r['count'], ref[(r['class'], r['query'])]) for r in year[:12])))


if __name__ == '__main__':
    main()
