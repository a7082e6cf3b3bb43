#!/usr/bin/env python3
"""check_score.py [--sucai BIN] [--set DIR] [--lib DIR] [--keep]

Scores `sucai check --json` on a labelled 查重 set in the format of
shared/corpus/writers/check/ (README there): library.txt (file names under
DIR/../../docs/), draft_*.txt, truth.jsonl. Builds the library from the
listed files (init, then import each), checks every draft with one
`sucai -L LIB check --json FILE` process each, and prints:

  recall       truth characters inside a reported span / truth characters
  precision    reported characters that are truth characters / reported characters
  attribution  truth spans for which some overlapping reported span names a
               true source document (by the id import gave the file, or by title)
  overlap err  mean over drafts of |reported overlap - true overlap|
  time         per draft, wall clock of the process (median, maximum) and the
               engine's own took_ms (median, maximum)

All over all drafts together, as the README defines them. Exit status 1 if
recall or precision is below 0.99 (so a script can gate on it).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def cover(spans):
    s = set()
    for a, b in spans:
        s.update(range(a, b))
    return s


def score(truth, results, id_of=None, verbose=False):
    """truth, results: lists of dicts in draft order (truth.jsonl lines and
    `sucai check --json` answers). id_of maps a truth source's "file" to a
    document id (sources that carry "id" need none). Returns a dict of the
    figures."""
    tp = tchars = rchars = 0
    attributed = nspans = 0
    oerr = []
    for t, r in zip(truth, results):
        truth_c = cover((s['start'], s['end']) for s in t['spans'])
        rep_c = cover((s['start'], s['end']) for s in r['spans'])
        tp += len(truth_c & rep_c)
        tchars += len(truth_c)
        rchars += len(rep_c)
        for s in t['spans']:
            nspans += 1
            ids = {src['id'] if 'id' in src else (id_of or {}).get(src.get('file'))
                   for src in s['sources']}
            titles = {src['title'] for src in s['sources'] if 'title' in src}
            ok = any(rs['start'] < s['end'] and s['start'] < rs['end'] and
                     any(src.get('id') in ids or src.get('title') in titles
                         for src in rs['sources'])
                     for rs in r['spans'])
            attributed += ok
            if not ok and verbose:
                print('  unattributed %s [%d,%d)' % (t['file'], s['start'], s['end']))
        oerr.append(abs(r['overlap'] - t['overlap']))
        if verbose:
            print('%s: truth %d reported %d overlap %.4f / %.4f' % (
                t['file'], len(truth_c), len(rep_c), r['overlap'], t['overlap']))
    return {'drafts': len(truth), 'spans': nspans, 'chars': tchars,
            'recall': tp / tchars if tchars else 1.0,
            'precision': tp / rchars if rchars else 1.0,
            'attribution': attributed / nspans if nspans else 1.0,
            'overlap_err': statistics.mean(oerr) if oerr else 0.0}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument('--sucai', default=os.path.join(here, '..', 'build', 'sucai'))
    ap.add_argument('--set', default=os.path.join(here, '..', '..', 'shared', 'corpus', 'writers',
                                                  'check'))
    ap.add_argument('--lib', default=None, help='library folder (default: a temporary one)')
    ap.add_argument('--keep', action='store_true', help='keep the library')
    ap.add_argument('--verbose', '-v', action='store_true')
    a = ap.parse_args()
    sdir = os.path.abspath(a.set)
    if not os.path.isfile(os.path.join(sdir, 'truth.jsonl')):
        print('check_score: no labelled set at %s' % sdir)
        return 2
    docs = os.path.join(sdir, '..', '..', 'docs')
    lib = a.lib or tempfile.mkdtemp(prefix='sucai-check-score-')
    if os.path.exists(lib) and not os.path.exists(os.path.join(lib, 'library.db')):
        shutil.rmtree(lib)
    if not os.path.exists(os.path.join(lib, 'library.db')):
        subprocess.run([a.sucai, '-L', lib, 'init'], check=True, stdout=subprocess.DEVNULL)
        files = [os.path.join(docs, l.strip()) for l in open(os.path.join(sdir, 'library.txt'),
                                                             encoding='utf-8') if l.strip()]
        subprocess.run([a.sucai, '-L', lib, 'import', '--quiet'] + files, check=True,
                       stdout=subprocess.DEVNULL)
    listing = json.loads(subprocess.run([a.sucai, '-L', lib, 'list', '--json'], check=True,
                                        capture_output=True, text=True).stdout)
    id_of = {os.path.basename(d.get('source') or ''): d['id'] for d in listing}

    truth = [json.loads(l) for l in open(os.path.join(sdir, 'truth.jsonl'), encoding='utf-8')]
    results, walls, tooks = [], [], []
    for t in truth:
        path = os.path.join(sdir, t['file'])
        t0 = time.monotonic()
        p = subprocess.run([a.sucai, '-L', lib, 'check', '--json', path], capture_output=True,
                           text=True)
        walls.append((time.monotonic() - t0) * 1000)
        if p.returncode != 0:
            print('check_score: %s: %s' % (t['file'], p.stderr.strip()))
            return 2
        results.append(json.loads(p.stdout))
        tooks.append(results[-1].get('took_ms', 0.0))
    f = score(truth, results, id_of, a.verbose)
    print('drafts       %d (%d truth spans, %d truth characters)' % (f['drafts'], f['spans'],
                                                                     f['chars']))
    print('recall       %.4f' % f['recall'])
    print('precision    %.4f' % f['precision'])
    print('attribution  %.4f' % f['attribution'])
    print('overlap err  %.5f' % f['overlap_err'])
    print('time         %.1f ms median, %.1f ms max per draft (process); engine %.1f / %.1f ms'
          % (statistics.median(walls), max(walls), statistics.median(tooks), max(tooks)))
    recall, precision = f['recall'], f['precision']
    if not a.lib and not a.keep:
        shutil.rmtree(lib, ignore_errors=True)
    return 0 if recall >= 0.99 and precision >= 0.99 else 1


if __name__ == '__main__':
    sys.exit(main())
