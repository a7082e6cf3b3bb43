#!/usr/bin/env python3
"""How closely sucai's .docx text agrees with an independent reading of w:t.

    tests/data/ingest/docx_agreement.py [--sucai build/sucai] [--verbose] FILE|DIR...

The independent reading uses Python's zipfile and ElementTree, nothing of
sucai: the w:t text of every w:p of the main document (named by
_rels/.rels), then of the footnotes and endnotes parts (their separator
notes left out). Deleted text (w:del, w:moveFrom) is not w:t and is left
out; of an mc:AlternateContent the first mc:Choice holding any w:t is read,
else the mc:Fallback. Ruby readings (w:rt) are left out: sucai keeps the
base text only (docs/internals/ingest.md says why).

Both texts are compared as sequences of characters without white space,
so paragraph breaks, tabs and list-label separators do not count. The
figure per file is difflib's ratio, 2·matches / (len a + len b); the
summary line gives the mean and how many files are identical. A file sucai
refuses counts 0 unless the independent reading finds no text either.
"""
import argparse
import difflib
import os
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'
WS = '{http://purl.oclc.org/ooxml/wordprocessingml/main}'
MC = '{http://schemas.openxmlformats.org/markup-compatibility/2006}'
REL = '{http://schemas.openxmlformats.org/package/2006/relationships}'
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..', '..'))


def local(tag):
    return tag.rsplit('}', 1)[-1]


def ns(tag):
    return tag[:tag.index('}') + 1] if tag.startswith('{') else ''


def has_wt(el):
    return any(local(e.tag) == 't' and ns(e.tag) in (W, WS) for e in el.iter())


def collect(el, out):
    tag, n = local(el.tag), ns(el.tag)
    if n in (W, WS) and tag in ('del', 'moveFrom', 'rt', 'instrText', 'delText'):
        return
    if n == MC and tag == 'AlternateContent':
        kids = list(el)
        pick = next((k for k in kids if local(k.tag) == 'Choice' and has_wt(k)), None)
        if pick is None:
            pick = next((k for k in kids if local(k.tag) == 'Fallback'), None)
        if pick is not None:
            collect(pick, out)
        return
    if n in (W, WS) and tag == 't':
        out.append(el.text or '')
    for k in el:
        collect(k, out)


def rels_of(z, part):
    folder, name = os.path.split(part)
    path = os.path.join(folder, '_rels', name + '.rels')
    try:
        root = ET.fromstring(z.read(path))
    except (KeyError, ET.ParseError):
        return {}
    got = {}
    for r in root.iter(REL + 'Relationship'):
        t = r.get('Type', '').rsplit('/', 1)[-1]
        target = r.get('Target', '')
        if r.get('TargetMode') == 'External':
            continue
        full = target[1:] if target.startswith('/') else os.path.normpath(os.path.join(folder, target))
        got.setdefault(t, full)
    return got


def independent(path):
    with zipfile.ZipFile(path) as z:
        main = rels_of(z, '').get('officeDocument', 'word/document.xml')
        parts = [main]
        rels = rels_of(z, main)
        for t in ('footnotes', 'endnotes'):
            if t in rels:
                parts.append(rels[t])
        out = []
        for p in parts:
            try:
                root = ET.fromstring(z.read(p))
            except (KeyError, ET.ParseError):
                continue
            if p == main:
                collect(root, out)
                continue
            for note in root:
                if note.get(W + 'type') in ('separator', 'continuationSeparator',
                                            'continuationNotice'):
                    continue
                collect(note, out)
        return ''.join(out)


def squeeze(s):
    return ''.join(s.split())


def sucai_text(sucai, path):
    r = subprocess.run([sucai, 'debug', 'decode', path], capture_output=True)
    if r.returncode != 0:
        return None, r.stderr.decode('utf-8', 'replace').strip()
    text = r.stdout.decode('utf-8').split('\n', 1)
    return (text[1] if len(text) > 1 else ''), None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--sucai', default=os.path.join(REPO, 'build', 'sucai'))
    ap.add_argument('--verbose', action='store_true')
    ap.add_argument('paths', nargs='+')
    args = ap.parse_args()
    files = []
    for p in args.paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith('.docx'))
        else:
            files.append(p)
    ratios, same = [], 0
    for f in files:
        try:
            want = squeeze(independent(f))
        except zipfile.BadZipFile:
            want = ''
        got, err = sucai_text(args.sucai, f)
        if got is None:
            r = 1.0 if not want else 0.0
        else:
            got = squeeze(got)
            r = 1.0 if got == want else difflib.SequenceMatcher(None, got, want, autojunk=False).ratio()
        same += r == 1.0
        ratios.append(r)
        if args.verbose or r < 1.0:
            print('%.4f %s%s' % (r, os.path.basename(f), ('  (' + err + ')') if err else ''))
    if ratios:
        print('# %d files: mean %.4f, %d identical' % (len(ratios), sum(ratios) / len(ratios), same))


if __name__ == '__main__':
    sys.exit(main())
