#!/usr/bin/env python3
"""Score `sucai mask --json` on a labelled set (the format of
../shared/corpus/writers/mask: FILE.txt + truth.jsonl), as its README
measures: per kind, character coverage recall (truth characters of kind K
inside a returned span of kind K) and precision (returned characters of kind
K that are truth characters of kind K; characters inside neutral spans left
out); the same without regard to kind; and whether the masked text equals
the input outside the spans and each span's original is the input there.
A development set (make_mask_set.py) lists `judged` spans: only characters
inside them count for precision.

    score_mask.py SET_DIR [SUCAI] [--kinds LIST] [--show]
"""
import json
import subprocess
import sys
from collections import defaultdict

KINDS = ["person", "place", "org", "number", "phone", "idcard", "email", "plate", "bankcard"]


def main(argv):
    args = argv[1:]
    show = "--show" in args
    args = [a for a in args if a != "--show"]
    kinds = None
    if "--kinds" in args:
        i = args.index("--kinds")
        kinds = args[i + 1]
        del args[i:i + 2]
    setdir = args[0]
    sucai = args[1] if len(args) > 1 else "build/sucai"
    tp_r = defaultdict(int); n_r = defaultdict(int); tp_p = defaultdict(int); n_p = defaultdict(int)
    intact = 0; files = 0
    misses = []; falses = []
    for line in open(f"{setdir}/truth.jsonl", encoding="utf-8"):
        t = json.loads(line)
        path = f"{setdir}/{t['file']}"
        text = open(path, encoding="utf-8").read()
        cmd = [sucai, "mask", "--json", path] + (["--kinds", kinds] if kinds else [])
        out = json.loads(subprocess.run(cmd, capture_output=True, check=True).stdout)
        files += 1
        truth = {}
        for s in t["spans"]:
            for i in range(s["start"], s["end"]):
                truth[i] = s["kind"]
        neutral = set()
        for s in t.get("neutral", []):
            neutral.update(range(s["start"], s["end"]))
        if "judged" in t:  # a development set: only these characters count for precision
            judged = set()
            for s in t["judged"]:
                judged.update(range(s["start"], s["end"]))
            neutral.update(i for i in range(len(text)) if i not in judged)
        got = {}
        ok = True
        rebuilt, at = [], 0
        for s in out["spans"]:
            if text[s["start"]:s["end"]] != s["original"]:
                ok = False
            rebuilt.append(text[at:s["start"]]); rebuilt.append(s["replacement"]); at = s["end"]
            for i in range(s["start"], s["end"]):
                got[i] = s["kind"]
        rebuilt.append(text[at:])
        if "".join(rebuilt) != out["text"]:
            ok = False
        intact += ok
        for i, k in truth.items():
            n_r[k] += 1; n_r["all"] += 1
            if got.get(i) == k:
                tp_r[k] += 1
            if i in got:
                tp_r["all"] += 1
        for i, k in got.items():
            if i in neutral:
                continue
            n_p[k] += 1; n_p["all"] += 1
            if truth.get(i) == k:
                tp_p[k] += 1
            if i in truth:
                tp_p["all"] += 1
        for s in t["spans"]:
            if not all(got.get(i) == s["kind"] for i in range(s["start"], s["end"])):
                misses.append((t["file"], s["kind"], s["text"]))
        for s in out["spans"]:
            bad = [i for i in range(s["start"], s["end"]) if i not in neutral and truth.get(i) != s["kind"]]
            if bad:
                falses.append((t["file"], s["kind"], s["original"]))
    print(f"{'kind':10} {'recall':>7} {'prec':>7} {'truth':>6} {'returned':>8}")
    for k in KINDS + ["all"]:
        r = tp_r[k] / n_r[k] if n_r[k] else None
        p = tp_p[k] / n_p[k] if n_p[k] else None
        f = lambda v: f"{v:7.3f}" if v is not None else "      -"
        print(f"{k:10} {f(r)} {f(p)} {n_r[k]:6} {n_p[k]:8}")
    print(f"text intact outside spans: {intact}/{files}")
    if show:
        for m in misses:
            print("MISS", *m)
        for m in falses:
            print("FALSE", *m)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
