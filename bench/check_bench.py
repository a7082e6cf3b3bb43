#!/usr/bin/env python3
"""check_bench.py: the 查重 benchmark (a step of bench/run, or on its own).

  check_bench.py --sucai BIN --lib LIB --corpus CORPUS --results DIR
                 [--anchors DIR] [--fts5 DB] [--drafts 200] [--repeat 3]

1. Drafts: bench/check_drafts.py makes --drafts drafts of ~5,000 characters
   from the corpus (copied, perturbed and novel sentences; cached in
   DIR/check-drafts).
2. Truth: bench/check_oracle.c (compiled here against build/libsucai.a) looks
   every 13-character window of every draft up in every paragraph of the
   library's store, exhaustively; cached in DIR/check-truth.jsonl while the
   store and the drafts are unchanged.
3. sucai: one `sucai -L LIB check --batch --json` process checks every draft
   once (warm-up), then --repeat times; per draft the median of the
   engine-internal took_ms (sources, section paths and sections included).
   Character recall/precision of spans against the truth, source
   attribution, overlap error; the process's peak RSS beside the index size.
4. Anchors, in the same run: the scan floor (shared/anchors/scan.c: memmem of
   each 13-gram over the whole text) and SQLite FTS5 with the bigram
   tokenizer (one phrase query per 13-gram, its count query timed), on a
   sample of each of a few drafts' 13-grams; per draft = the median per
   13-gram times the drafts' mean number of 13-grams. Ratios to sucai's p50.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from check_score import score  # noqa: E402

PY = '/usr/bin/python3' if os.path.exists('/usr/bin/python3') else sys.executable


def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, max(0, int(round(q * (len(v) - 1)))))]


def log(*a):
    print(*a, flush=True)


def drafts(corpus, out, n):
    idx = os.path.join(out, 'drafts.tsv')
    if not os.path.exists(idx) or sum(1 for _ in open(idx)) != n + 1:
        log('== check: %d drafts from %s' % (n, corpus))
        subprocess.run([PY, os.path.join(HERE, 'check_drafts.py'), corpus, out, '--n', str(n)],
                       check=True)
    return [os.path.join(out, 'draft_%03d.txt' % i) for i in range(1, n + 1)]


def oracle(res, lib, files):
    exe = os.path.join(res, 'check_oracle')
    src = os.path.join(HERE, 'check_oracle.c')
    libsucai = os.path.join(REPO, 'build', 'libsucai.a')
    if not os.path.exists(exe) or os.path.getmtime(exe) < max(os.path.getmtime(src),
                                                              os.path.getmtime(libsucai)):
        libs = subprocess.run(['pkg-config', '--libs', 'sqlite3', 'libzip', 'expat', 'uchardet',
                               'libmicrohttpd', 'libsodium', 'libzstd', 'libcrypto'],
                              check=True, capture_output=True, text=True).stdout.split()
        subprocess.run(['gcc', '-O2', '-std=c17', '-D_GNU_SOURCE', '-I' + os.path.join(REPO, 'include'),
                        '-o', exe, src, libsucai] + libs + ['-lz', '-lm', '-lpthread'], check=True)
    db = os.path.join(lib, 'library.db')
    truth = os.path.join(res, 'check-truth.jsonl')
    stamp = '%s %d %d %d' % (db, os.path.getsize(db), int(os.path.getmtime(db)), len(files))
    if not (os.path.exists(truth) and os.path.exists(truth + '.stamp') and
            open(truth + '.stamp').read() == stamp):
        log('== check: brute-force truth (every 13-gram of every draft over every paragraph)')
        t0 = time.monotonic()
        with open(truth + '.tmp', 'w') as f:
            subprocess.run([exe, db, '13'] + files, check=True, stdout=f)
        os.rename(truth + '.tmp', truth)
        open(truth + '.stamp', 'w').write(stamp)
        log('   %.0f s' % (time.monotonic() - t0))
    return [json.loads(l) for l in open(truth, encoding='utf-8')]


def run_sucai(sucai, lib, files, repeat):
    p = subprocess.Popen([sucai, '-L', lib, 'check', '--batch', '--json', '--entitled'], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True, encoding='utf-8', bufsize=1)

    def ask(path):
        p.stdin.write(path + '\n')
        p.stdin.flush()
        line = p.stdout.readline()
        if not line:
            sys.exit('check_bench: sucai died on %s' % path)
        r = json.loads(line)
        if 'error' in r:
            sys.exit('check_bench: %s: %s' % (path, r['error']))
        return r

    first = [ask(f) for f in files]  # warm-up; also the answers scored
    times = [[] for _ in files]
    walls = [[] for _ in files]
    for _ in range(repeat):
        for i, f in enumerate(files):
            t0 = time.perf_counter()
            r = ask(f)
            walls[i].append((time.perf_counter() - t0) * 1000)
            times[i].append(r['took_ms'])
    rss = {}
    try:
        for l in open('/proc/%d/status' % p.pid):
            if l.startswith(('VmRSS', 'VmHWM', 'RssAnon', 'RssFile')):
                k, v = l.split(':')
                rss[k] = int(v.split()[0]) // 1024
    except OSError:
        pass
    p.stdin.close()
    p.wait()
    return first, [statistics.median(t) for t in times], [statistics.median(w) for w in walls], rss


def grams(path, k, rng):
    """k 13-character stretches of a draft, inside lines, no spaces."""
    text = open(path, encoding='utf-8').read()
    all_ = []
    for line in text.split('\n'):
        for i in range(0, len(line) - 12):
            g = line[i:i + 13]
            if ' ' not in g and '\u3000' not in g and '\t' not in g:
                all_.append(g)
    return all_, rng.sample(all_, min(k, len(all_)))


def anchor(cmd, cwd, queries, keys):
    p = subprocess.Popen(cmd, cwd=cwd, shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, encoding='utf-8', bufsize=1)
    us = []
    for q in queries:
        p.stdin.write(q + '\n')
        p.stdin.flush()
        ans = p.stdout.readline().rstrip('\n').split('\t')
        kv = dict(x.split('=', 1) for x in (ans[2] if len(ans) > 2 else '').split() if '=' in x)
        us.append(sum(float(kv[k]) for k in keys if k in kv))
    p.stdin.close()
    p.wait()
    return us


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sucai', default=os.path.join(REPO, 'build', 'sucai'))
    ap.add_argument('--lib', required=True)
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--results', required=True)
    ap.add_argument('--anchors', default=None, help='folder with the built scan and fts5_bigram.so')
    ap.add_argument('--fts5', default=None, help='the FTS5 bigram database of the corpus')
    ap.add_argument('--drafts', type=int, default=200)
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--sample', type=int, default=60, help='13-grams per draft for the anchors')
    ap.add_argument('--sample-drafts', type=int, default=3)
    a = ap.parse_args()
    os.makedirs(a.results, exist_ok=True)
    files = drafts(a.corpus, os.path.join(a.results, 'check-drafts'), a.drafts)
    truth = oracle(a.results, a.lib, files)
    log('== check: sucai, %d drafts, warm-up + %d passes' % (len(files), a.repeat))
    first, took, walls, rss = run_sucai(a.sucai, a.lib, files, a.repeat)
    f = score(truth, first)
    chars = [t['chars'] for t in truth]
    p50, p95 = pct(took, 0.5), pct(took, 0.95)
    idx = sum(os.path.getsize(os.path.join(a.lib, 'index', x))
              for x in os.listdir(os.path.join(a.lib, 'index')) if x.endswith('.sx'))
    st = [r.get('stats', {}) for r in first]

    def med(k):
        return statistics.median(s.get(k, 0) for s in st)

    log('')
    log('check: %d drafts, %d-%d characters (median %d), against %d documents' % (
        len(files), min(chars), max(chars), statistics.median(chars), first[0].get('library_docs', 0)))
    log('  sucai check           p50 %.1f ms  p95 %.1f ms  max %.1f ms (engine, median of %d; '
        'round trip p50 %.1f ms)' % (p50, p95, max(took), a.repeat, pct(walls, 0.5)))
    # the truth's overlap counts every span (shared/corpus/writers/check
    # README); the 总重复率 leaves 常用表述 out: both are shown
    allspan = statistics.mean(abs((r['copied'] + r['common']) / r['chars'] - t['overlap'])
                              for t, r in zip(truth, first))
    log('  spans vs brute force  recall %.4f  precision %.4f  attribution %.4f  overlap error %.5f '
        '(every span) / %.5f (总重复率, 常用表述 left out)'
        % (f['recall'], f['precision'], f['attribution'], allspan, f['overlap_err']))
    log('  常用表述               %.1f%% of the drafts\' characters in spans found in >= %d documents'
        % (100.0 * sum(r['common'] for r in first) / sum(r['chars'] for r in first),
           first[0].get('common_docs', 50)))
    log('  per draft (median)    %d windows, %d anchors run of %d, %.1f MB of postings, '
        '%d candidates, %d extended, %d matches' % (
            med('windows'), med('anchors_run'), med('anchors'), med('list_bytes') / 1e6,
            med('candidates'), med('extended'), med('matches')))
    log('  memory                peak RSS %s MB of the checking process: %s MB its own (heap), '
        '%s MB mapped index pages (index files %.0f MB)'
        % (rss.get('VmHWM', '?'), rss.get('RssAnon', '?'), rss.get('RssFile', '?'), idx / 1e6))

    # the anchors, on a sample of 13-grams
    rng = random.Random(7)
    sample_files = files[:a.sample_drafts]
    queries, per_draft = [], []
    for path in sample_files:
        all_, s = grams(path, a.sample, rng)
        per_draft.append(len(all_))
        queries += s
    n13 = statistics.mean(len(grams(p, 0, rng)[0]) for p in files[:20])
    A = a.anchors
    rows = []
    if A and os.path.exists(os.path.join(A, 'scan')):
        us = anchor('%s %s 1' % (os.path.join(A, 'scan'), a.corpus), A, queries, ['scan_us'])
        rows.append(('scan floor (memmem)', statistics.median(us)))
    else:
        log('  (scan floor skipped: no %s/scan)' % A)
    if A and a.fts5 and os.path.exists(a.fts5) and os.path.exists(os.path.join(A, 'fts5_bigram.so')):
        us = anchor('%s sqlite_fts.py serve --db %s --tok bigram' % (PY, a.fts5), A, queries,
                    ['count_us'])
        rows.append(('SQLite FTS5 bigram', statistics.median(us)))
    else:
        log('  (FTS5 skipped: no database or tokenizer)')
    for name, us in rows:
        per = us * n13 / 1000.0
        log('  %-21s %.2f ms per 13-gram (median of %d) x %.0f 13-grams = %.0f ms per draft: '
            '%.0fx sucai p50' % (name, us / 1000.0, len(queries), n13, per, per / p50))
    ok = f['recall'] >= 0.99 and f['precision'] >= 0.99
    log('  goal: p50 <= 100 ms, p95 <= 300 ms, recall and precision >= 0.99: %s' %
        ('met' if ok and p50 <= 100 and p95 <= 300 else 'NOT met'))


if __name__ == '__main__':
    main()
