#!/usr/bin/env python3
"""Build a labelled 脱敏 development set: real paragraphs from the corpus with
sentences inserted that name persons, places, organisations and synthetic
identifiers in the contexts 公文 use, each recorded as a truth span.
Deterministic (fixed seed).

    make_mask_set.py DOCS_DIR DIVISIONS_TSV OUT_DIR [--n 200] [--seed 11]

Only the inserted sentences are labelled, so the file's `judged` list gives
the spans whose characters count for precision (score_mask.py reads it);
the real paragraph around them counts for recall of nothing and precision
of nothing. Identifiers are fake: valid check digits, example.com mail.
"""
import json
import os
import random
import sys

SUR = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉鹏飞宇浩然欣怡晨阳思雨佳琪婷雪梅海波宁凯峰斌林俊晓东丹亮成龙春燕"
TITLES_BEFORE = ["市委书记", "副市长", "局长", "主任", "党组书记", "总经理", "教授", "联系人：", "负责人", "当事人",
                 "理事长", "院长", "村党支部书记", "副组长", "记者", "董事长"]
TITLES_AFTER = ["同志", "表示", "指出", "强调", "主持会议", "介绍说", "出席会议", "主任", "书记"]
ORG_SUFFIX = ["有限公司", "股份有限公司", "集团", "科技有限公司", "医院", "中学", "小学", "大学", "学院", "协会",
              "商会", "研究院", "基金会", "合作社", "事务所"]
PROPER = "华星瑞宏达鑫源盛泰恒信诚远航新锐博通金宇海天龙凤嘉禾安康锦绣中联天成永兴"


def name(rng):
    return rng.choice(SUR) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


def idcard(rng):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    area = rng.choice(["110101", "310104", "440305", "510104", "430102", "320106"])
    y, m, d = rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)
    body = f"{area}{y}{m:02d}{d:02d}{rng.randint(0, 999):03d}"
    s = sum(int(c) * k for c, k in zip(body, w))
    return body + "10X98765432"[s % 11]


def bankcard(rng):
    digits = [6, 2, 2] + [rng.randint(0, 9) for _ in range(15)]
    s = 0
    for i, x in enumerate(reversed(digits)):
        y = x * 2 if i % 2 == 0 else x
        s += y - 9 if y > 9 else y
    return "".join(map(str, digits)) + str((10 - s % 10) % 10)


def phone(rng):
    if rng.random() < 0.7:
        return rng.choice(["13", "15", "17", "18", "19"]) + "".join(str(rng.randint(0, 9)) for _ in range(9))
    return rng.choice(["010-", "0731-", "021-", "0755-"]) + "".join(str(rng.randint(0, 9)) for _ in range(8))


def plate(rng):
    p = rng.choice("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    tail = "".join(rng.choice(letters + "0123456789") for _ in range(5))
    return p + rng.choice(letters) + rng.choice(["·", ""]) + tail


def main(argv):
    args = argv[1:]
    n, seed = 200, 11
    pos = []
    while args:
        a = args.pop(0)
        if a == "--n":
            n = int(args.pop(0))
        elif a == "--seed":
            seed = int(args.pop(0))
        else:
            pos.append(a)
    docs, divfile, out = pos
    rng = random.Random(seed)
    div = {"p": [], "c": [], "a": [], "s": [], "v": [], "P": [], "C": [], "A": []}
    for line in open(divfile, encoding="utf-8"):
        nm, lv = line.rstrip("\n").split("\t")
        div[lv].append(nm)
    names = sorted(f for f in os.listdir(docs) if f.endswith(".txt"))
    rng.shuffle(names)
    os.makedirs(out, exist_ok=True)
    truth = open(os.path.join(out, "truth.jsonl"), "w", encoding="utf-8")
    made = 0
    for fn in names:
        if made >= n:
            break
        paras = [p for p in open(os.path.join(docs, fn), encoding="utf-8").read().split("\n")[1:]
                 if len(p) > 60]
        if not paras:
            continue
        base = rng.choice(paras)[:300]
        parts, spans, judged = [base], [], []

        def emit(pieces):
            # pieces: list of (text, kind or None)
            start = sum(len(p) for p in parts)
            s0 = start
            for txt, kind in pieces:
                if kind:
                    spans.append({"start": start, "end": start + len(txt), "kind": kind, "text": txt})
                parts.append(txt)
                start += len(txt)
            judged.append({"start": s0, "end": start})

        for _ in range(rng.randint(2, 4)):
            t = rng.randrange(8)
            if t == 0:
                emit([(rng.choice(TITLES_BEFORE), None), (name(rng), "person"), ("参加会议。", None)])
            elif t == 1:
                emit([(name(rng), "person"), (rng.choice(TITLES_AFTER), None), ("，要抓好落实。", None)])
            elif t == 2:
                ms = [name(rng) for _ in range(rng.randint(3, 5))]
                pieces = [("领导小组成员：组长", None), (ms[0], "person"), ("，成员", None)]
                for k, m in enumerate(ms[1:]):
                    if k:
                        pieces.append(("、", None))
                    pieces.append((m, "person"))
                pieces.append(("。", None))
                emit(pieces)
            elif t == 3:
                pr = rng.choice(div["p"])
                ci = rng.choice(div["c"])
                co = rng.choice(div["a"])
                emit([("调研组先后到", None), (pr, "place"), ("、", None), (ci, "place"), (co, "place"),
                      ("等地调研。", None)])
            elif t == 4:
                tw = rng.choice(div["s"])
                vi = rng.choice(div["v"])
                emit([("在", None), (tw, "place"), (vi, "place"), ("，村民收入持续增长。", None)])
            elif t == 5:
                pl = rng.choice(div["c"] + div["C"])
                org = pl + "".join(rng.choice(PROPER) for _ in range(rng.randint(2, 3))) + rng.choice(ORG_SUFFIX)
                emit([("会议邀请", None), (org, "org"), ("参加。", None)])
            elif t == 6:
                sh = rng.choice(div["P"] + div["C"])
                emit([("今年以来，", None), (sh, "place"), ("经济运行总体平稳。", None)])
            else:
                k = rng.randrange(5)
                if k == 0:
                    emit([("联系电话：", None), (phone(rng), "phone"), ("。", None)])
                elif k == 1:
                    emit([("公民身份号码", None), (idcard(rng), "idcard"), ("。", None)])
                elif k == 2:
                    user = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6))
                    emit([("邮箱", None), (f"{user}{rng.randint(1, 999)}@example.com", "email"), ("。", None)])
                elif k == 3:
                    emit([("车牌号", None), (plate(rng), "plate"), ("。", None)])
                else:
                    emit([("开户账号", None), (bankcard(rng), "bankcard"), ("。", None)])
        text = "".join(parts) + "\n"
        made += 1
        f = f"mask_{made:03d}.txt"
        open(os.path.join(out, f), "w", encoding="utf-8").write(text)
        truth.write(json.dumps({"file": f, "source": "shared:" + fn, "spans": spans, "neutral": [],
                                "judged": judged}, ensure_ascii=False) + "\n")
    truth.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
