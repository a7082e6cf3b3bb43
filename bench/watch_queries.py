#!/usr/bin/env python3
"""Saved searches for the matching benchmark, drawn from a corpus.

Usage: watch_queries.py CORPUS_DIR N [--seed S] [--worst] > queries.txt

Terms are runs of 2-6 ideographs taken from the corpus's paragraphs, so
every query can match. The mix is what members save: a topic (35 %), a
topic within a 文种 (20 %), two terms (15 %), either of two (10 %), a term
without another (10 %), a topic in a range of years (5 %), a topic in the
存在的问题 sections (5 %). --worst draws every term as 2-5 ideographs
anywhere in the text with no filters: most match hundreds of documents.
One query per line, no duplicates. Standard library only.
"""
import os
import random
import re
import sys

GENRES = ['工作总结', '工作计划', '讲话', '实施方案', '调研报告', '述职报告', '通知',
          '工作要点', '心得体会', '情况汇报', '自查报告', '整改方案', '政府工作报告']
CJK = re.compile(r'[\u4e00-\u9fff]{2,}')


def load(corpus, limit=3000):
    paras = []
    for root, _, files in sorted(os.walk(corpus)):
        for f in sorted(files):
            if not f.endswith('.txt'):
                continue
            with open(os.path.join(root, f), encoding='utf-8') as fh:
                paras.extend(line.strip() for line in fh if len(line.strip()) > 8)
            if len(paras) > limit * 40:
                return paras
    return paras


def term(rng, paras, lo, hi):
    while True:
        runs = CJK.findall(rng.choice(paras))
        runs = [r for r in runs if len(r) >= lo]
        if not runs:
            continue
        r = rng.choice(runs)
        n = rng.randint(lo, min(hi, len(r)))
        at = rng.randrange(len(r) - n + 1)
        return r[at:at + n]


def main():
    args = sys.argv[1:]
    seed, worst = 11, False
    if '--seed' in args:
        i = args.index('--seed')
        seed = int(args[i + 1])
        del args[i:i + 2]
    if '--worst' in args:
        worst = True
        args.remove('--worst')
    corpus, n = args[0], int(args[1])
    rng = random.Random(seed)
    paras = load(corpus)
    out, seen = [], set()
    while len(out) < n:
        if worst:
            shape = rng.randrange(6)
            a, b, c = (term(rng, paras, 2, 5) for _ in range(3))
            q = [a, '%s %s' % (a, b), '%s | %s' % (a, b), '%s -%s' % (a, b),
                 '%s %s %s' % (a, b, c), '(%s | %s) %s' % (a, b, c)][shape]
        else:
            r = rng.random()
            a, b = term(rng, paras, 3, 6), term(rng, paras, 2, 5)
            if r < 0.35:
                q = a
            elif r < 0.55:
                q = '%s genre:%s' % (a, rng.choice(GENRES))
            elif r < 0.70:
                q = '%s %s' % (a, b)
            elif r < 0.80:
                q = '%s | %s' % (a, term(rng, paras, 3, 6))
            elif r < 0.90:
                q = '%s -%s' % (a, b)
            elif r < 0.95:
                y = rng.randint(2015, 2023)
                q = '%s year:%d-%d' % (a, y, y + 2)
            else:
                q = 'section:问题 %s' % a
        if q not in seen:
            seen.add(q)
            out.append(q)
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
