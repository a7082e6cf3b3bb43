#!/usr/bin/env python3
"""check_drafts.py CORPUS OUT [--n 200] [--chars 5000] [--seed 1]

Drafts for the 查重 benchmark (bench/check_bench). Each draft is built from
the bench corpus (CORPUS/docs, CORPUS/manifest.tsv) the way a writer builds a
材料 from what they have at hand:

  * copied: one to four consecutive sentences of a library paragraph, verbatim;
  * perturbed: a copied sentence with light edits (about one character in
    twenty replaced, ，<->、, full-width <-> half-width digits/Latin/punctuation,
    Latin case, a space or a zero-width space between two ideographs);
  * novel: sentences from an order-3 character Markov chain trained on a
    sample of the corpus (plausible 公文-like text that is in no document,
    though it may share short stretches with many);
  * short common phrases (6-12 characters of a library sentence) inside novel
    sentences;
  * a 一、 / （一） outline now and then, so that per-section rates have
    something to show.

Writes OUT/draft_NNN.txt (one paragraph per line) and OUT/drafts.tsv
(file, characters, and what went in). Deterministic for a given seed.
Standard library only.
"""
import argparse
import os
import random
import re
import sys

SENT = re.compile(r'[^。！？；]*[。！？；]?')
CN = '一二三四五六七八九十'


def load_manifest(corpus):
    rows = []
    with open(os.path.join(corpus, 'manifest.tsv'), encoding='utf-8') as f:
        for line in f:
            p = line.rstrip('\n').split('\t')
            if len(p) >= 2 and p[0].isdigit():
                rows.append(p[1])
    return rows


def sentences(par):
    return [s for s in SENT.findall(par) if len(s) >= 4]


def is_han(c):
    return '\u4e00' <= c <= '\u9fff'


def perturb(s, rng, alphabet):
    out = list(s)
    kind = rng.choice(['chars', 'chars', 'punct', 'width', 'space'])
    if kind == 'chars':
        for i, c in enumerate(out):
            if is_han(c) and rng.random() < 0.05:
                out[i] = rng.choice(alphabet)
    elif kind == 'punct':
        for i, c in enumerate(out):
            if c == '，' and rng.random() < 0.5:
                out[i] = '、'
            elif c == '、':
                out[i] = '，'
    elif kind == 'width':
        for i, c in enumerate(out):
            o = ord(c)
            if 0x21 <= o <= 0x7e and rng.random() < 0.7:
                out[i] = chr(o + 0xfee0)
            elif 0xff01 <= o <= 0xff5e and rng.random() < 0.3:
                out[i] = chr(o - 0xfee0)
            elif 'a' <= c <= 'z' and rng.random() < 0.5:
                out[i] = c.upper()
    else:
        idx = [i for i in range(1, len(out)) if is_han(out[i - 1]) and is_han(out[i])]
        for i in sorted(rng.sample(idx, min(len(idx), 3)), reverse=True):
            out.insert(i, rng.choice([' ', '\u200b', '\u3000']))
    return ''.join(out), kind


class Markov:
    def __init__(self, texts, order=3):
        self.order = order
        self.next = {}
        for t in texts:
            t = '\x02' * order + t + '\x03'
            for i in range(order, len(t)):
                self.next.setdefault(t[i - order:i], []).append(t[i])

    def sentence(self, rng, lo, hi):
        ctx = '\x02' * self.order
        out = []
        while len(out) < hi:
            c = rng.choice(self.next.get(ctx) or ['。'])
            if c == '\x03':
                if len(out) >= lo:
                    break
                ctx = '\x02' * self.order
                continue
            out.append(c)
            ctx = ctx[1:] + c
        s = ''.join(out)
        if not s.endswith(('。', '！', '？', '；')):
            s += '。'
        return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('corpus')
    ap.add_argument('out')
    ap.add_argument('--n', type=int, default=200)
    ap.add_argument('--chars', type=int, default=5000)
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    files = load_manifest(a.corpus)
    if not files:
        sys.exit('check_drafts: no documents in %s/manifest.tsv' % a.corpus)
    os.makedirs(a.out, exist_ok=True)

    def doc_pars(path):
        with open(os.path.join(a.corpus, path), encoding='utf-8') as f:
            return [l for l in f.read().split('\n')[1:] if len(l) >= 20]

    train = []
    alphabet = []
    for path in rng.sample(files, min(200, len(files))):
        for p in doc_pars(path):
            train.extend(sentences(p))
            alphabet.extend(c for c in p if is_han(c))
    mk = Markov(train[:20000], order=2)
    index = open(os.path.join(a.out, 'drafts.tsv'), 'w', encoding='utf-8')
    index.write('file\tchars\tcopied\tperturbed\tnovel\tphrases\n')
    for n in range(1, a.n + 1):
        lines, total = [], 0
        counts = {'copied': 0, 'perturbed': 0, 'novel': 0, 'phrases': 0}
        sec, sub = 0, 0
        lines.append(mk.sentence(rng, 10, 24).rstrip('。') )
        while total < a.chars:
            r = rng.random()
            if r < 0.08 and sec < 9:
                sec += 1
                sub = 0
                lines.append(CN[sec - 1] + '、' + mk.sentence(rng, 4, 12).rstrip('。'))
                continue
            if r < 0.14 and sec:
                sub += 1
                lines.append('（' + CN[min(sub, 10) - 1] + '）' + mk.sentence(rng, 4, 14).rstrip('。'))
                continue
            par = []
            for _ in range(rng.randint(2, 6)):
                k = rng.random()
                if k < 0.35:
                    pars = doc_pars(rng.choice(files))
                    if not pars:
                        continue
                    ss = sentences(rng.choice(pars))
                    if not ss:
                        continue
                    i = rng.randrange(len(ss))
                    par.append(''.join(ss[i:i + rng.randint(1, 4)]))
                    counts['copied'] += 1
                elif k < 0.55:
                    pars = doc_pars(rng.choice(files))
                    ss = sentences(rng.choice(pars)) if pars else []
                    if not ss:
                        continue
                    s, _ = perturb(rng.choice(ss), rng, alphabet)
                    par.append(s)
                    counts['perturbed'] += 1
                elif k < 0.9:
                    par.append(mk.sentence(rng, 15, 60))
                    counts['novel'] += 1
                else:
                    pars = doc_pars(rng.choice(files))
                    ss = sentences(rng.choice(pars)) if pars else []
                    if not ss:
                        continue
                    s = rng.choice(ss)
                    ln = rng.randint(6, 12)
                    st = rng.randrange(max(1, len(s) - ln))
                    nov = mk.sentence(rng, 10, 30)
                    cut = rng.randrange(len(nov))
                    par.append(nov[:cut] + s[st:st + ln] + nov[cut:])
                    counts['phrases'] += 1
            if par:
                lines.append(''.join(par))
                total += len(lines[-1])
        name = 'draft_%03d.txt' % n
        text = '\n'.join(lines) + '\n'
        with open(os.path.join(a.out, name), 'w', encoding='utf-8') as f:
            f.write(text)
        index.write('%s\t%d\t%d\t%d\t%d\t%d\n' % (name, len(text), counts['copied'],
                                                  counts['perturbed'], counts['novel'],
                                                  counts['phrases']))
    index.close()


if __name__ == '__main__':
    main()
