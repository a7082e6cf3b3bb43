#!/usr/bin/env python3
"""Score `sucai proof --json` on a labelled set (the format of
../shared/corpus/writers/proof: FILE.txt + truth.jsonl), or count findings on
untouched documents.

    score_proof.py SET_DIR [SUCAI]           per-kind precision / recall
    score_proof.py --clean DOCS_DIR [SUCAI] [--list FILE] [--sample N]
                                             findings per 10,000 characters

Matching (as the set's README): a finding matches a truth item when the
kinds are equal and the spans overlap (an empty span [s,s) counts as
[s,s+1)); a finding that matches no truth item but overlaps a `neutral`
span is left out of precision.
"""
import json
import os
import subprocess
import sys
from collections import defaultdict

KINDS = ["numbering_gap", "numbering_dup", "numbering_order", "doubled_char", "placeholder",
         "filter_artefact", "punct_width", "bracket_unbalanced", "quote_unbalanced",
         "doc_number", "date_format", "confusable"]


def span(s, e):
    return (s, e if e > s else s + 1)


def overlap(a, b):
    return a[0] < b[1] and b[0] < a[1]


def run(sucai, path):
    out = subprocess.run([sucai, "proof", "--json", path], capture_output=True, check=True)
    return json.loads(out.stdout)["findings"]


def score(setdir, sucai):
    tp_f = defaultdict(int)   # findings that match
    n_f = defaultdict(int)    # findings judged
    tp_t = defaultdict(int)   # truth items found
    n_t = defaultdict(int)
    misses, falses = [], []
    for line in open(os.path.join(setdir, "truth.jsonl"), encoding="utf-8"):
        t = json.loads(line)
        text = open(os.path.join(setdir, t["file"]), encoding="utf-8").read()
        found = run(sucai, os.path.join(setdir, t["file"]))
        truth = [(f["kind"], span(f["start"], f["end"])) for f in t["findings"]]
        neutral = [span(n["start"], n["end"]) for n in t.get("neutral", [])]
        for k, sp in truth:
            n_t[k] += 1
            if any(f["kind"] == k and overlap(span(f["start"], f["end"]), sp) for f in found):
                tp_t[k] += 1
            else:
                misses.append((t["file"], k, text[max(0, sp[0] - 8):sp[1] + 8]))
        for f in found:
            sp = span(f["start"], f["end"])
            ok = any(k == f["kind"] and overlap(sp, tsp) for k, tsp in truth)
            if not ok and any(overlap(sp, n) for n in neutral):
                continue
            n_f[f["kind"]] += 1
            if ok:
                tp_f[f["kind"]] += 1
            else:
                falses.append((t["file"], f["kind"], text[max(0, sp[0] - 8):sp[1] + 8]))
    print(f"{'kind':20} {'prec':>7} {'recall':>7} {'found':>6} {'truth':>6}")
    ps, rs = [], []
    for k in KINDS:
        p = tp_f[k] / n_f[k] if n_f[k] else None
        r = tp_t[k] / n_t[k] if n_t[k] else None
        if p is not None:
            ps.append(p)
        if r is not None:
            rs.append(r)
        fmt = lambda v: f"{v:7.3f}" if v is not None else "      -"
        print(f"{k:20} {fmt(p)} {fmt(r)} {n_f[k]:6} {n_t[k]:6}")
    P = sum(tp_f.values()) / max(1, sum(n_f.values()))
    R = sum(tp_t.values()) / max(1, sum(n_t.values()))
    print(f"{'micro':20} {P:7.3f} {R:7.3f} {sum(n_f.values()):6} {sum(n_t.values()):6}")
    print(f"{'macro':20} {sum(ps)/max(1,len(ps)):7.3f} {sum(rs)/max(1,len(rs)):7.3f}")
    for m in misses[:40]:
        print("MISS", m[0], m[1], repr(m[2]))
    for m in falses[:40]:
        print("FALSE", m[0], m[1], repr(m[2]))


def clean(docs, sucai, only=None, sample=30):
    names = sorted(f for f in os.listdir(docs) if f.endswith(".txt"))
    if only:
        keep = set(x.strip() for x in open(only, encoding="utf-8") if x.strip())
        names = [n for n in names if n in keep]
    chars = 0
    per = defaultdict(int)
    ex = defaultdict(list)
    for n in names:
        p = os.path.join(docs, n)
        text = open(p, encoding="utf-8").read()
        chars += len(text)
        for f in run(sucai, p):
            per[f["kind"]] += 1
            ex[f["kind"]].append((n, text[max(0, f["start"] - 10):f["end"] + 10]))
    total = sum(per.values())
    print(f"{len(names)} documents, {chars} characters, {total} findings, "
          f"{total * 10000 / max(1, chars):.3f} per 10,000 characters")
    for k in KINDS:
        print(f"  {k:20} {per[k]:6}  {per[k] * 10000 / max(1, chars):.3f}")
    for k in KINDS:
        for n, s in ex[k][:sample]:
            print("  ", k, n, repr(s))


def main(argv):
    if len(argv) >= 3 and argv[1] == "--clean":
        docs = argv[2]
        rest = argv[3:]
        sucai = "build/sucai"
        only, sample = None, 10
        while rest:
            a = rest.pop(0)
            if a == "--list":
                only = rest.pop(0)
            elif a == "--sample":
                sample = int(rest.pop(0))
            else:
                sucai = a
        clean(docs, sucai, only, sample)
        return 0
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    score(argv[1], argv[2] if len(argv) > 2 else "build/sucai")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
