#!/usr/bin/env python3
"""Build a labelled 校对 development set from real documents: take the start of
a document (title plus paragraphs, 1-3 pages), inject errors at recorded
places, keep everything else untouched. Deterministic (fixed seed).

    inject_proof.py DOCS_DIR OUT_DIR [--n 200] [--seed 7] [--skip FILE...]

Writes OUT_DIR/proof_NNN.txt and OUT_DIR/truth.jsonl in the format of
../shared/corpus/writers/proof (offsets in code points, end exclusive).
`neutral` marks places that are arguable in the source (half-width marks,
brackets and quotes it already leaves unpaired, heading numbers it already
gets wrong); `traps` are inserted look-alikes that must not be flagged.
"""
import json
import os
import random
import re
import sys

CN = "一二三四五六七八九"


def cn_num(v):
    if v < 10:
        return CN[v - 1]
    if v < 20:
        return "十" + (CN[v - 11] if v > 10 else "")
    return CN[v // 10 - 1] + "十" + (CN[v % 10 - 1] if v % 10 else "")


def cn_val(s):
    if s == "十":
        return 10
    if len(s) == 1:
        return CN.index(s) + 1
    if s[0] == "十":
        return 10 + CN.index(s[1]) + 1
    v = (CN.index(s[0]) + 1) * 10
    if len(s) == 3:
        v += CN.index(s[2]) + 1
    return v


MARK = re.compile(r"^(?:(?P<l1>[一二三四五六七八九十]{1,3})、|[（(](?P<l2>[一二三四五六七八九十]{1,3})[）)]"
                  r"|(?P<l3>\d{1,2})[.．、](?!\d)|[（(](?P<l4>\d{1,2})[）)])")


def marker(line):
    m = MARK.match(line)
    if not m:
        return None
    for lv in (1, 2, 3, 4):
        g = m.group(f"l{lv}")
        if g:
            try:
                v = cn_val(g) if lv <= 2 else int(g)
            except ValueError:
                return None
            return lv, v, m.end()
    return None


def fmt_marker(lv, v, like):
    if lv == 1:
        return cn_num(v) + "、"
    if lv == 2:
        return ("(" if like.startswith("(") else "（") + cn_num(v) + (")" if like.startswith("(") else "）")
    if lv == 3:
        return f"{v}{like[-1]}"
    return ("(" if like.startswith("(") else "（") + str(v) + (")" if like.startswith("(") else "）")


def is_han(c):
    return "\u4e00" <= c <= "\u9fff"


SENTS = ["加强组织领导，明确责任分工。", "完善制度体系，规范工作流程。", "深化改革创新，激发内生动力。",
         "强化宣传引导，营造良好氛围。", "严格考核评估，注重结果运用。", "统筹推进落实，形成工作合力。"]
TRAPS = ["同志们要时时处处严格要求自己，事事带头、人人有责。", "申报截止时间为每月20日，截止日期前须提交材料。",
         "编制《国土空间总体规划（2021—2035年）》。", "依据《通知》（中办发〔2019〕8号）执行。",
         "一九四九年十月一日，中华人民共和国成立。", "推广B超、K线分析和3D建模等技术，创建AAA级景区。",
         "比例尺为1:500，总投资3,500万元，工期12:00前确认。", "帮助困难群众渡过难关，度过一个祥和的春节。",
         "储备生活必需品、帐篷和其他救灾物资。", "会议作出了重要部署，各地要认真研究研究落实办法。",
         "补充维生素D的摄入，关注世界杯D组赛事。"]
CONF = [("截至", "截止", r"截至(?=\d|目前|今年|当前|本月|上月|年底|月底)"), ("其他", "其它", r"其他"),
        ("作出", "做出", r"作出(?=(?:了|重要|重大|新的)*(?:决定|决策|部署|规定|安排|批示|指示|贡献|承诺))"),
        ("部署", "布署", r"部署"), ("必须", "必需", r"必须(?=加强|坚持|高度|严格|认真|按照|依法|做到|落实|确保)"),
        ("账户", "帐户", r"账户"), ("账号", "帐号", r"账号"), ("一如既往", "一如继往", r"一如既往"),
        ("再接再厉", "再接再励", r"再接再厉")]
CONF_INSERT = ["截止目前，已完成全年任务的八成。", "其它事项另行通知。", "会议做出了重要决定。",
               "各单位必需高度重视，认真抓好落实。", "要一如继往地支持改革。", "希望大家再接再励，再创佳绩。",
               "认真做好各项工作布署。", "请于截止10月底前报送。"]


class Doc:
    def __init__(self, text):
        self.t = text
        self.items = []  # (start, end, kind, text)
        self.traps = []

    def replace(self, s, e, new):
        """Replace t[s:e] by new; shift recorded spans after it."""
        d = len(new) - (e - s)
        self.t = self.t[:s] + new + self.t[e:]
        for lst in (self.items, self.traps):
            for k, it in enumerate(lst):
                if it[0] >= e:
                    lst[k] = (it[0] + d, it[1] + d) + tuple(it[2:])
                elif it[1] > s:
                    lst[k] = (it[0], it[1] + d) + tuple(it[2:])
        return d

    def busy(self, s, e):
        return any(a < e + 2 and s < b + 2 for a, b, *_ in self.items)


def lines_with_offsets(t):
    out, pos = [], 0
    for ln in t.split("\n"):
        out.append((pos, ln))
        pos += len(ln) + 1
    return out


def lists(t):
    """Runs of sibling markers (same level, consecutive values) -> [[(off, lv, v, mlen, line)]]"""
    runs, cur = [], {}
    for off, ln in lines_with_offsets(t):
        m = marker(ln)
        if re.match(r"^第[一二三四五六七八九十百零〇\d]+[条章节]", ln):
            cur = {}
            continue
        if not m:
            continue
        lv, v, ml = m
        for k in list(cur):
            if k > lv:
                del cur[k]
        run = cur.get(lv)
        if run and v == run[-1][2] + 1:
            run.append((off, lv, v, ml, ln))
        else:
            run = [(off, lv, v, ml, ln)]
            runs.append(run)
            cur[lv] = run
        cur[lv] = run
    return runs


def inj_gap(D, rng):
    runs = [r for r in lists(D.t) if len(r) >= 3 and r[0][2] == 1]
    if not runs:
        return False
    r = rng.choice(runs)
    off, lv, v, ml, ln = r[-1]
    if D.busy(off, off + ml):
        return False
    new = fmt_marker(lv, v + 1, ln[:ml])
    D.replace(off, off + ml, new)
    D.items.append((off, off + len(new), "numbering_gap", new))
    return True


def inj_dup(D, rng):
    runs = [r for r in lists(D.t) if len(r) >= 2 and r[0][2] == 1]
    if not runs:
        return False
    r = rng.choice(runs)
    off, lv, v, ml, ln = r[-1]
    if D.busy(off, off + ml):
        return False
    new = fmt_marker(lv, v - 1, ln[:ml])
    D.replace(off, off + ml, new)
    D.items.append((off, off + len(new), "numbering_dup", new))
    return True


def inj_order(D, rng):
    runs = [r for r in lists(D.t) if r[0][2] == 1 and r[0][1] <= 3 and len(r) >= 2]
    if not runs:
        return False
    r = rng.choice(runs)
    off, lv, v, ml, ln = r[0]
    if D.busy(off, off + ml):
        return False
    deeper = fmt_marker(lv + 1, 1, "（" if lv + 1 in (2, 4) else "1.")
    line = deeper + rng.choice(SENTS) + "\n"
    D.replace(off, off, line)
    D.items.append((off, off + len(line) + ml, "numbering_order", line + ln[:ml]))
    return True


def body_positions(D, pred):
    t = D.t
    first_nl = t.find("\n") + 1
    return [i for i in range(first_nl, len(t) - 1) if pred(t, i) and not D.busy(i, i + 1)]


def inj_doubled(D, rng):
    ps = body_positions(D, lambda t, i: is_han(t[i]) and t[i - 1] != t[i] and t[i + 1] != t[i]
                        and is_han(t[i - 1]) and is_han(t[i + 1]))
    if not ps:
        return False
    i = rng.choice(ps)
    D.replace(i, i, D.t[i])
    D.items.append((i, i + 2, "doubled_char", D.t[i:i + 2]))
    return True


def inj_placeholder(D, rng):
    cands = [m for m in re.finditer(r"(?<![\d.])\d{1,4}(?=[亿万千百个人元名家项次])", D.t)
             if not D.busy(m.start(), m.end())]
    form = rng.choice(["XX", "XXX", "X", "××", "×××", "ＸＸ", "某某"])
    if cands and form != "某某":
        m = rng.choice(cands)
        D.replace(m.start(), m.end(), form)
        D.items.append((m.start(), m.start() + len(form), "placeholder", form))
        return True
    ends = body_positions(D, lambda t, i: t[i] == "。" and t[i + 1] == "\n")
    if not ends:
        return False
    i = rng.choice(ends) + 1
    s = rng.choice(["联系人：%s同志。", "由%s负责组织实施。", "请于%s前报送。"])
    ph = rng.choice(["XX", "某某", "×××", "ＸＸ"])
    ins = s.replace("%s", ph)
    D.replace(i, i, ins)
    k = ins.index(ph)
    D.items.append((i + k, i + k + len(ph), "placeholder", ph))
    return True


def inj_artefact(D, rng):
    cands = [m.start() for m in re.finditer(r"党(?=[组员委建的支中政风性内校史章])", D.t)
             if not D.busy(m.start(), m.start() + 1) and m.start() > D.t.find("\n")]
    if cands:
        i = rng.choice(cands)
        D.replace(i, i + 1, "D")
        D.items.append((i, i + 1, "filter_artefact", "D"))
        return True
    ends = body_positions(D, lambda t, i: t[i] == "。" and is_han(t[i - 1]))
    if not ends:
        return False
    i = rng.choice(ends) + 1
    ins = rng.choice(["各级D组织要发挥战斗堡垒作用。", "全体D员要带头落实。", "加强D建工作。"])
    D.replace(i, i, ins)
    k = ins.index("D")
    D.items.append((i + k, i + k + 1, "filter_artefact", "D"))
    return True


def inj_width(D, rng):
    if rng.random() < 0.35:
        cands = [m for m in re.finditer(r"（([\u4e00-\u9fff、]{1,8})）", D.t)
                 if not D.busy(m.start(), m.end()) and is_han(D.t[m.start() - 1])]
        if cands:
            m = rng.choice(cands)
            s, e = m.start(), m.end() - 1
            D.replace(s, s + 1, "(")
            D.replace(e, e + 1, ")")
            D.items.append((s, s + 1, "punct_width", "("))
            D.items.append((e, e + 1, "punct_width", ")"))
            return True
    mk = rng.choice(["，", "，", "；", "："])
    half = {"，": ",", "；": ";", "：": ":"}[mk]
    ps = body_positions(D, lambda t, i: t[i] == mk and is_han(t[i - 1]) and is_han(t[i + 1]))
    if not ps:
        return False
    i = rng.choice(ps)
    D.replace(i, i + 1, half)
    D.items.append((i, i + 1, "punct_width", half))
    return True


def inj_bracket(D, rng):
    cands = [m for m in re.finditer(r"（[^（）\n]{1,20}）|《[^《》\n]{1,30}》", D.t)
             if not D.busy(m.start(), m.end())]
    if not cands:
        return False
    m = rng.choice(cands)
    if rng.random() < 0.5:
        D.replace(m.end() - 1, m.end(), "")
        D.items.append((m.start(), m.start() + 1, "bracket_unbalanced", D.t[m.start()]))
    else:
        D.replace(m.start(), m.start() + 1, "")
        e = m.end() - 2
        D.items.append((e, e + 1, "bracket_unbalanced", D.t[e]))
    return True


def inj_quote(D, rng):
    cands = [m for m in re.finditer(r"“[^“”\n]{1,20}”", D.t) if not D.busy(m.start(), m.end())]
    if not cands:
        return False
    m = rng.choice(cands)
    if rng.random() < 0.5:
        D.replace(m.end() - 1, m.end(), "")
        D.items.append((m.start(), m.start() + 1, "quote_unbalanced", "“"))
    else:
        D.replace(m.start(), m.start() + 1, "")
        e = m.end() - 2
        D.items.append((e, e + 1, "quote_unbalanced", "”"))
    return True


def inj_docno(D, rng):
    o, c = rng.choice([("[", "]"), ("【", "】"), ("（", "）")])
    cands = [m for m in re.finditer(r"〔(\d{4})〕(\d+)号", D.t) if not D.busy(m.start(), m.end())]
    if cands:
        m = rng.choice(cands)
        new = f"{o}{m.group(1)}{c}{m.group(2)}号"
        D.replace(m.start(), m.end(), new)
        D.items.append((m.start(), m.start() + len(new), "doc_number", new))
        return True
    ends = body_positions(D, lambda t, i: t[i] == "。" and t[i + 1] == "\n")
    if not ends:
        return False
    i = rng.choice(ends) + 1
    ag = rng.choice(["湘政办发", "粤府函", "京财预", "鲁环发", "国办发", "浙人社发"])
    yr, no = rng.randint(2010, 2024), rng.randint(1, 300)
    num = f"{o}{yr}{c}{no}号"
    ins = f"按照《关于进一步加强有关工作的通知》（{ag}{num}）要求执行。"
    D.replace(i, i, ins)
    k = ins.index(num)
    D.items.append((i + k, i + k + len(num), "doc_number", num))
    return True


def cn_date(y, m, d):
    digits = "〇一二三四五六七八九"
    return "".join(digits[int(c)] for c in str(y)) + "年" + cn_num(m) + "月" + cn_num(d) + "日"


def inj_date(D, rng):
    y, m, d = rng.randint(2005, 2024), rng.randint(1, 12), rng.randint(1, 28)
    form = rng.choice(["cn", "zero", "dot"])
    if form == "zero" and m >= 10 and d >= 10:
        m = rng.randint(1, 9)
    date = cn_date(y, m, d) if form == "cn" else f"{y}年{m:02d}月{d:02d}日" if form == "zero" \
        else f"{y}.{m}.{d}"
    t = D.t.rstrip("\n")
    unit = rng.choice(["市人民政府办公室", "县发展和改革局", "区教育局", "市财政局"])
    D.t = t + "\n" + unit + "\n"
    s = len(D.t)
    D.t += date + "\n"
    D.items.append((s, s + len(date), "date_format", date))
    return True


def inj_confusable(D, rng):
    if rng.random() < 0.6:
        rng.shuffle(CONF)
        for right, wrong, pat in CONF:
            cands = [m for m in re.finditer(pat, D.t) if not D.busy(m.start(), m.end())]
            if cands:
                m = rng.choice(cands)
                D.replace(m.start(), m.start() + len(right), wrong)
                D.items.append((m.start(), m.start() + len(wrong), "confusable", wrong))
                return True
    ends = body_positions(D, lambda t, i: t[i] == "。" and t[i + 1] == "\n")
    if not ends:
        return False
    i = rng.choice(ends) + 1
    ins = rng.choice(CONF_INSERT)
    D.replace(i, i, ins)
    for w in ("截止", "其它", "做出", "必需", "一如继往", "再接再励", "布署"):
        k = ins.find(w)
        if k >= 0:
            D.items.append((i + k, i + k + len(w), "confusable", w))
            break
    return True


INJ = {"numbering_gap": inj_gap, "numbering_dup": inj_dup, "numbering_order": inj_order,
       "doubled_char": inj_doubled, "placeholder": inj_placeholder, "filter_artefact": inj_artefact,
       "punct_width": inj_width, "bracket_unbalanced": inj_bracket, "quote_unbalanced": inj_quote,
       "doc_number": inj_docno, "date_format": inj_date, "confusable": inj_confusable}


def neutral(t):
    """Places arguable in the source: half-width marks by Chinese text, brackets
    and quotes unpaired within their line, heading numbers out of sequence."""
    out = []
    for i, c in enumerate(t):
        if c in ",;:?!()":
            p, n = t[i - 1] if i else "", t[i + 1] if i + 1 < len(t) else ""
            if is_han(p) or is_han(n) or p in "（）“”" or n in "（）“”":
                out.append((i, i + 1))
    for off, ln in lines_with_offsets(t):
        for o, c in ("（）", "《》", "“”", "〈〉", "【】", "()", "〔〕"):
            stack = []
            for k, ch in enumerate(ln):
                if ch == o:
                    stack.append(k)
                elif ch == c:
                    if stack:
                        stack.pop()
                    else:
                        out.append((off + k, off + k + 1))
            out.extend((off + k, off + k + 1) for k in stack)
    for r in lists(t):
        if r[0][2] != 1:
            off, lv, v, ml, ln = r[0]
            out.append((off, off + ml))
    # the 落款 lines of the source
    ls = lines_with_offsets(t.rstrip("\n"))
    for off, ln in ls[-3:]:
        out.append((off, off + len(ln)))
    return out


def passage(text, rng):
    lines = text.split("\n")
    want = rng.randint(1500, 6500)
    out, n = [], 0
    for ln in lines:
        out.append(ln)
        n += len(ln) + 1
        if n >= want:
            break
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv):
    args = argv[1:]
    n, seed, skip = 200, 7, set()
    pos = []
    while args:
        a = args.pop(0)
        if a == "--n":
            n = int(args.pop(0))
        elif a == "--seed":
            seed = int(args.pop(0))
        elif a == "--skip":
            skip.update(x.strip() for x in open(args.pop(0)) if x.strip())
        else:
            pos.append(a)
    if len(pos) != 2:
        sys.stderr.write(__doc__)
        return 2
    docs, out = pos
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)
    names = sorted(f for f in os.listdir(docs) if f.endswith(".txt") and f not in skip)
    rng.shuffle(names)
    truth = open(os.path.join(out, "truth.jsonl"), "w", encoding="utf-8")
    made = 0
    for name in names:
        if made >= n:
            break
        text = open(os.path.join(docs, name), encoding="utf-8").read()
        if len(text) < 1500 or sum(is_han(c) for c in text[:2000]) < 800:
            continue
        D = Doc(passage(text, rng))
        clean = rng.random() < 0.12
        neu = neutral(D.t)
        if not clean:
            kinds = rng.sample(sorted(INJ), rng.randint(3, 6))
            nums = [k for k in kinds if k.startswith("numbering")]
            kinds = [k for k in kinds if not k.startswith("numbering")] + nums[:1]
            for k in kinds:
                if k == "date_format" and any(it[2] == "date_format" for it in D.items):
                    continue
                INJ[k](D, rng)
        # a couple of look-alikes
        for tr in rng.sample(TRAPS, 2):
            ends = [i for i in range(D.t.find("\n") + 1, len(D.t) - 1)
                    if D.t[i] == "。" and D.t[i + 1] == "\n" and not D.busy(i, i + 1)]
            if ends:
                i = rng.choice(ends) + 1
                D.replace(i, i, tr)
                D.traps.append((i, i + len(tr), tr))
                # shift neutral spans too
                neu = [(a + len(tr), b + len(tr)) if a >= i else (a, b) for a, b in neu]
        # neutral spans shift with the injections: recompute on the final text by content
        made += 1
        fn = f"proof_{made:03d}.txt"
        open(os.path.join(out, fn), "w", encoding="utf-8").write(D.t)
        truth.write(json.dumps({
            "file": fn, "source": "shared:" + name, "clean": clean,
            "findings": [{"start": s, "end": e, "kind": k, "text": x} for s, e, k, x in sorted(D.items)],
            "neutral": [{"start": s, "end": e} for s, e in neutral_final(D, neutral(D.t))],
            "traps": [{"start": s, "end": e, "text": x} for s, e, x in D.traps],
        }, ensure_ascii=False) + "\n")
    truth.close()
    return 0


def neutral_final(D, neu):
    """Neutral spans of the final text that no injection explains."""
    return [(s, e) for s, e in neu if not any(a <= s < b or s <= a < e for a, b, *_ in D.items)]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
