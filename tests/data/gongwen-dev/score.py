#!/usr/bin/env python3
"""Score the 公文 parser against the hand-labelled development set.

    tests/data/gongwen-dev/score.py [--sucai build/sucai] [--shared ../shared]
                                    [--verbose] [--check FLOORS]

Each labels/*.tsv names a source file (corpus:PATH under ../shared/corpus,
repo:PATH in the repository), its articles and, by source line, every
heading (level, section kind) and the numbered lines that are list items,
not headings. The script decodes and parses each source with
`sucai debug decode` / `sucai debug parse`, maps the parser's sections to
source lines and prints precision / recall / level / kind / unit figures,
per group of documents and in all. README.md says how the labels were made.

--check FLOORS reads lines "metric group minimum" and prints one TAP line
per floor ("ok - ..." / "not ok - ..."); the exit status is 1 if any is
below its floor. Sources under ../shared are skipped when it is absent.
"""
import argparse
import bisect
import difflib
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..', '..'))
NUMBERED = re.compile(r'^\s*(第[一二三四五六七八九十百零〇两\d]+[编章节条]|第[一二三四五六七八九十]+部分|'
                      r'[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百\d]+[)）]|'
                      r'\d+(\.\d+)*[\s　.．、]|[①-⑳])')
GROUPS = ['report', 'directive', 'law', 'summary', 'news']
SETS = ['dev', 'held-out']  # held-out: labelled after the rules were written


def read_labels(path):
    doc = {'file': os.path.basename(path), 'articles': [], 'group': None, 'source': None,
           'set': 'dev'}
    art = None
    with open(path, encoding='utf-8') as f:
        for raw in f:
            line = raw.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            c = line.split('\t')
            if c[0] == 'source':
                doc['source'] = c[1]
            elif c[0] == 'group':
                doc['group'] = c[1]
            elif c[0] == 'set':
                doc['set'] = c[1]
            elif c[0] == 'article':
                art = {'n': int(c[1]), 'title': c[2], 'unit': '?', 'genre': '?', 'year': '?',
                       'h': {}, 'li': {}}
                doc['articles'].append(art)
            elif c[0] in ('unit', 'genre', 'year'):
                art[c[0]] = c[1]
            elif c[0] == 'h':
                art['h'][int(c[1])] = {'level': int(c[2]), 'kind': c[3], 'text': c[4]}
            elif c[0] == 'li':
                art['li'][int(c[1])] = {'law': c[2] == 'law', 'text': c[4]}
            else:
                raise SystemExit('%s: unknown row %r' % (path, c[0]))
    return doc


def resolve(source, shared):
    kind, rel = source.split(':', 1)
    if kind == 'repo':
        return os.path.join(REPO, rel)
    return os.path.join(shared, 'corpus', rel)


def run(sucai, *args):
    r = subprocess.run([sucai, 'debug'] + list(args), capture_output=True)
    if r.returncode != 0:
        raise SystemExit('sucai debug %s failed: %s' % (' '.join(args), r.stderr.decode()))
    return r.stdout.decode('utf-8')


MARKER = re.compile(r'##paid(begin|end)##', re.I)


def norm(s):
    """A source line as the parser keeps it: paywall markers cut, trimmed."""
    return MARKER.sub('', s).strip(' \t\r\u3000\u00a0\ufeff\u200b\u200c\u200d')


def map_lines(article, src_lines):
    """Paragraph index of the article text -> 1-based source line (or None).

    The article's paragraphs are the source's non-blank lines, trimmed, in
    order, with some left out (boilerplate, a 目录, other articles) and a
    few moved (版头 lines after the title): an alignment of the two
    sequences, not a search, so that a 目录 line equal to a heading does
    not capture it."""
    paras = article['text'].split('\n')
    keys = [norm(p) for p in paras]
    src = [(ln, norm(t)) for ln, t in enumerate(src_lines, 1) if norm(t)]
    sm = difflib.SequenceMatcher(None, keys, [t for _, t in src], autojunk=False)
    out = [None] * len(paras)
    used = set()
    for a, b, n in sm.get_matching_blocks():
        for k in range(n):
            out[a + k] = src[b + k][0]
            used.add(src[b + k][0])
    for i, key in enumerate(keys):  # moved lines: the first unused equal one
        if out[i] is None:
            for ln, t in src:
                if t == key and ln not in used:
                    out[i] = ln
                    used.add(ln)
                    break
    return paras, out


def parsed_headings(article, src_lines):
    paras, lines = map_lines(article, src_lines)
    starts, cp = [], 0
    for p in paras:
        starts.append(cp)
        cp += len(p) + 1
    got = {}
    for s in article['sections']:
        i = bisect.bisect_right(starts, s['start']) - 1
        ln = lines[i] if 0 <= i < len(lines) else None
        if ln is not None:
            got[ln] = s
    return got


class Tally:
    def __init__(self):
        self.c = {}

    def add(self, key, ok, n=1):
        a = self.c.setdefault(key, [0, 0])
        a[0] += n if ok else 0
        a[1] += n

    def get(self, key):
        return self.c.get(key, [0, 0])


def score(args):
    label_dir = os.path.join(HERE, 'labels')
    docs = [read_labels(os.path.join(label_dir, f)) for f in sorted(os.listdir(label_dir))
            if f.endswith('.tsv')]
    tallies = {g: Tally() for g in GROUPS + SETS + ['all']}
    skipped = []
    details = []
    for doc in docs:
        path = resolve(doc['source'], args.shared)
        if not os.path.exists(path):
            skipped.append(doc['file'])
            continue
        dec = run(args.sucai, 'decode', path).split('\n')[1:]
        parsed = json.loads(run(args.sucai, 'parse', path))
        arts = parsed['articles']
        group = doc['group']
        for la in doc['articles']:
            if la['n'] > len(arts):
                details.append('%s: article %d missing' % (doc['file'], la['n']))
                continue
            pa = arts[la['n'] - 1]
            got = parsed_headings(pa, dec)
            # lines of this article: from its first labelled line to the next
            # article's; headings outside the labelled article are not judged
            tset = set(la['h'])
            for t in (tallies[group], tallies[doc['set']], tallies['all']):
                t.add('art', True)
            for ln, h in la['h'].items():
                s = got.get(ln)
                for t in (tallies[group], tallies[doc['set']], tallies['all']):
                    t.add('recall', s is not None)
                    if not NUMBERED.match(dec[ln - 1]):
                        t.add('unnumbered', s is not None)
                    if s is not None:
                        t.add('level', s['level'] == h['level'])
                        if h['kind'] != '-' and h['level'] <= 2:
                            t.add('kind%d' % h['level'], s['kind'] == h['kind'])
                if s is None:
                    details.append('%s:%d missed heading L%d %s' % (doc['file'], ln, h['level'],
                                                                     h['text'][:30]))
                elif s['level'] != h['level']:
                    details.append('%s:%d level %d, want %d: %s' % (doc['file'], ln, s['level'],
                                                                  h['level'], h['text'][:30]))
                elif h['kind'] != '-' and h['level'] <= 2 and s['kind'] != h['kind']:
                    details.append('%s:%d kind %s, want %s: %s' % (doc['file'], ln, s['kind'],
                                                                 h['kind'], h['text'][:30]))
            for ln, s in got.items():
                ok = ln in tset
                for t in (tallies[group], tallies[doc['set']], tallies['all']):
                    t.add('precision', ok)
                if not ok:
                    what = 'list item' if ln in la['li'] else 'not a heading'
                    details.append('%s:%d false heading (%s) L%d %s%s' %
                                   (doc['file'], ln, what, s['level'], s['label'], s['heading'][:30]))
            for ln, li in la['li'].items():
                ok = ln not in got
                for t in (tallies[group], tallies[doc['set']], tallies['all']):
                    t.add('list', ok)
                    if li['law']:
                        t.add('list_law', ok)
            if la['unit'] != '?':
                want = la['unit'].split('|')
                have = pa.get('unit') or '-'
                for t in (tallies[group], tallies[doc['set']], tallies['all']):
                    t.add('unit', have in want)
                if have not in want:
                    details.append('%s: unit %s, want %s' % (doc['file'], have, la['unit']))
            if la['genre'] != '?':
                for t in (tallies[group], tallies[doc['set']], tallies['all']):
                    t.add('genre', (pa.get('genre') or '-') == la['genre'])
            if la['year'] != '?':
                for t in (tallies[group], tallies[doc['set']], tallies['all']):
                    t.add('year', pa.get('year', 0) == int(la['year']))
    return docs, tallies, skipped, details


ROWS = [
    ('unit', 'issuing unit'),
    ('recall', 'heading recall'),
    ('precision', 'heading precision'),
    ('level', 'heading level (of those found)'),
    ('unnumbered', 'top-level headings without a number'),
    ('kind1', 'section kind, level 1'),
    ('kind2', 'section kind, level 2'),
    ('list', 'list items kept out of the outline'),
    ('list_law', '… of them under a 第X条'),
    ('genre', '文种'),
    ('year', 'year'),
]


def fmt(a):
    if a[1] == 0:
        return '—'
    return '%d/%d (%.3f)' % (a[0], a[1], a[0] / a[1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--sucai', default=os.path.join(REPO, 'build', 'sucai'))
    ap.add_argument('--shared', default=os.path.join(REPO, '..', 'shared'))
    ap.add_argument('--verbose', action='store_true', help='list every miss')
    ap.add_argument('--check', metavar='FLOORS', help='compare with minimum figures (TAP output)')
    args = ap.parse_args()
    docs, tallies, skipped, details = score(args)
    groups = [g for g in SETS + GROUPS if tallies[g].get('art')[1]]
    print('# gongwen dev set: %d label files, %d articles scored%s' % (
        len(docs) - len(skipped), tallies['all'].get('art')[1],
        ', %d skipped (no ../shared)' % len(skipped) if skipped else ''))
    print('| what | all | ' + ' | '.join(groups) + ' |')
    print('|---|---|' + '---|' * len(groups))
    for key, name in ROWS:
        print('| %s | %s | %s |' % (name, fmt(tallies['all'].get(key)),
                                    ' | '.join(fmt(tallies[g].get(key)) for g in groups)))
    if args.verbose:
        for d in details:
            print('# ' + d)
    if args.check:
        bad = 0
        with open(args.check, encoding='utf-8') as f:
            for raw in f:
                line = raw.split('#', 1)[0].strip()
                if not line:
                    continue
                key, group, floor = line.split()
                a = tallies[group].get(key)
                if a[1] == 0:
                    print('ok - %s %s: nothing to score # SKIP' % (group, key))
                    continue
                v = a[0] / a[1]
                ok = v >= float(floor)
                bad += not ok
                print('%s - %s %s %.3f (floor %s)' % ('ok' if ok else 'not ok', group, key, v, floor))
        sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
