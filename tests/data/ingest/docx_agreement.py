#!/usr/bin/env python3
"""How closely sucai's .docx text agrees with an independent reading of w:t.

    tests/data/ingest/docx_agreement.py [--sucai build/sucai] [--verbose] FILE|DIR...

The independent reading uses Python's zipfile and ElementTree, nothing of
sucai: the w:t text of every w:p of the main document (named by
_rels/.rels), then of the footnotes and endnotes parts, each note once, in
the order the document refers to them (their separator notes left out).
Deleted text (w:del, w:moveFrom) is not w:t and is left out. Of an
mc:AlternateContent the first mc:Choice is read whose Requires names only
namespaces this reader reads w:t from (WordprocessingML, DrawingML shapes,
VML, the Word 2010/2013 extensions, math), else the mc:Fallback, as the
markup-compatibility rules say. Ruby readings (w:rt) are left out: sucai
keeps the base text only (docs/internals/ingest.md says why). A package
with two entries of one name is ambiguous and gives no text.

Both texts are compared as sequences of characters without white space,
so paragraph breaks, tabs and list-label separators do not count, nor do
the heads (脚注, 尾注) and [n] labels sucai writes before its notes. The
figure per file is difflib's ratio, 2·matches / (len a + len b); the
summary line gives the mean and how many files are identical. A file sucai
refuses counts 0 unless the independent reading finds no text either.
"""
import argparse
import difflib
import io
import os
import re
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


READ_NS = {
    W, WS,
    '{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}',
    '{http://schemas.microsoft.com/office/word/2010/wordprocessingGroup}',
    '{http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas}',
    '{http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing}',
    '{http://schemas.microsoft.com/office/word/2010/wordml}',
    '{http://schemas.microsoft.com/office/word/2012/wordml}',
    '{http://schemas.openxmlformats.org/drawingml/2006/main}',
    '{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}',
    '{http://schemas.openxmlformats.org/drawingml/2006/picture}',
    '{http://schemas.microsoft.com/office/drawing/2010/main}',
    '{http://schemas.openxmlformats.org/officeDocument/2006/math}',
    '{urn:schemas-microsoft-com:vml}',
}


def choice_ok(el, prefixes):
    req = el.get('Requires', '')
    return all(('{%s}' % prefixes.get(p, '')) in READ_NS for p in req.split())


def collect(el, out, prefixes, refs=None):
    tag, n = local(el.tag), ns(el.tag)
    if n in (W, WS) and tag in ('del', 'moveFrom', 'rt', 'instrText', 'delText'):
        return
    if n in (W, WS) and tag in ('footnoteReference', 'endnoteReference') and refs is not None:
        refs.append((tag[0], el.get(W + 'id')))
    if n == MC and tag == 'AlternateContent':
        kids = list(el)
        pick = next((k for k in kids if local(k.tag) == 'Choice' and choice_ok(k, prefixes)), None)
        if pick is None:
            pick = next((k for k in kids if local(k.tag) == 'Fallback'), None)
        if pick is not None:
            collect(pick, out, prefixes, refs)
        return
    if n in (W, WS) and tag == 't':
        out.append(el.text or '')
    for k in el:
        collect(k, out, prefixes, refs)


def parse(data):
    """The root element and its namespace prefixes (first declaration wins)."""
    prefixes = {}
    for ev, item in ET.iterparse(io.BytesIO(data), events=('start-ns',)):
        prefixes.setdefault(item[0], item[1])
    return ET.fromstring(data), prefixes


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
        names = [i.filename.lower() for i in z.infolist()]
        if len(names) != len(set(names)):
            return ''  # ambiguous: which copy is the part?
        main = rels_of(z, '').get('officeDocument', 'word/document.xml')
        try:
            root, prefixes = parse(z.read(main))
        except (KeyError, ET.ParseError):
            return ''
        out, refs = [], []
        collect(root, out, prefixes, refs)
        rels = rels_of(z, main)
        for t in ('footnotes', 'endnotes'):
            if t not in rels:
                continue
            try:
                nroot, nprefixes = parse(z.read(rels[t]))
            except (KeyError, ET.ParseError):
                continue
            notes = {}
            for note in nroot:
                if note.get(W + 'type') in ('separator', 'continuationSeparator',
                                            'continuationNotice'):
                    continue
                text = []
                collect(note, text, nprefixes)
                notes[note.get(W + 'id')] = ''.join(text)
            order = [i for k, i in refs if k == t[0]] + list(notes)
            seen = set()
            for i in order:
                if i in notes and i not in seen:
                    seen.add(i)
                    out.append(notes[i])
        return ''.join(out)


NOTE_HEAD = re.compile(r'^(脚注|尾注)$')
NOTE_LABEL = re.compile(r'^\[\d+\]')


def squeeze(s, notes=False):
    """Without white space; with notes, without sucai's notes heads and labels."""
    if notes:
        lines = s.split('\n')
        cut = len(lines)
        for i in range(len(lines) - 1, -1, -1):
            t = lines[i].strip()
            if NOTE_HEAD.match(t):
                cut = i
            elif t and not NOTE_LABEL.match(t):
                break
        lines = lines[:cut] + [NOTE_LABEL.sub('', l.strip()) for l in lines[cut:]
                               if not NOTE_HEAD.match(l.strip())]
        s = '\n'.join(lines)
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
            got = squeeze(got, notes=True)
            r = 1.0 if got == want else difflib.SequenceMatcher(None, got, want, autojunk=False).ratio()
        same += r == 1.0
        ratios.append(r)
        if args.verbose or r < 1.0:
            print('%.4f %s%s' % (r, os.path.basename(f), ('  (' + err + ')') if err else ''))
    if ratios:
        print('# %d files: mean %.4f, %d identical' % (len(ratios), sum(ratios) / len(ratios), same))


if __name__ == '__main__':
    sys.exit(main())
