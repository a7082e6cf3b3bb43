#!/usr/bin/env python3
"""Write the hand-made .docx fixtures of tests/unit/ingest/test_docx.c.

    tests/data/ingest/make_docx_fixtures.py     (rewrites tests/data/ingest/docx-*.docx)

Each fixture is a minimal WordprocessingML package written here from the
XML below, one feature each; the files are committed, so the tests need no
Python. The text is made up for the tests.
"""
import os
import warnings
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PKG = 'http://schemas.openxmlformats.org/package/2006/relationships'

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                 '</Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Relationships xmlns="%s"><Relationship Id="rId1" '
             'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
             'Target="%s"/></Relationships>')


def document(body, extra_ns=''):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:document xmlns:w="%s" xmlns:r="%s" '
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"%s '
            'mc:Ignorable="w14"><w:body>%s</w:body></w:document>' % (W, R, extra_ns, body))


def para(text):
    return '<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % text


def write(name, entries):
    path = os.path.join(HERE, name)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # zipfile warns about the duplicate name
        with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
            for n, data in entries:
                info = zipfile.ZipInfo(n, date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data)


def docx(name, body, extra_ns='', parts=(), doc_rels=''):
    entries = [('[Content_Types].xml', CONTENT_TYPES),
               ('_rels/.rels', ROOT_RELS % (PKG, 'word/document.xml')),
               ('word/document.xml', document(body, extra_ns))]
    if doc_rels:
        entries.append(('word/_rels/document.xml.rels',
                        '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="%s">%s'
                        '</Relationships>' % (PKG, doc_rels)))
    entries += list(parts)
    write(name, entries)


# mc:AlternateContent: a Choice that requires w16se (an emoji as
# w16se:symEx) falls back to the Fallback's text; a Choice that requires an
# undeclared prefix too; a text box in wps (understood) comes once.
AC_NS = (' xmlns:w16se="http://schemas.microsoft.com/office/word/2015/wordml/symex"'
         ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
         ' xmlns:v="urn:schemas-microsoft-com:vml"')
AC_BODY = (
    para('一、总体要求') +
    '<w:p><w:r><w:t>各地要加快推进</w:t></w:r>'
    '<mc:AlternateContent><mc:Choice Requires="w16se">'
    '<w:r><w16se:symEx w16se:font="Segoe UI Emoji" w16se:char="1F44D"/></w:r>'
    '</mc:Choice><mc:Fallback><w:r><w:t>👍</w:t></w:r></mc:Fallback></mc:AlternateContent>'
    '<w:r><w:t>，确保见效。</w:t></w:r></w:p>'
    '<w:p><mc:AlternateContent><mc:Choice Requires="x99">'
    '<w:r><w:t>新版本才有的文字</w:t></w:r></mc:Choice>'
    '<mc:Fallback><w:r><w:t>旧版本也能看到的文字</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>'
    '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
    '<w:txbxContent><w:p><w:r><w:t>文本框里的话</w:t></w:r></w:p></w:txbxContent>'
    '</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>'
    '<w:txbxContent><w:p><w:r><w:t>文本框里的话</w:t></w:r></w:p></w:txbxContent>'
    '</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
    '<w:r><w:t>正文继续。</w:t></w:r></w:p>')

# footnotes and endnotes: referenced in the order 3, 2 (so numbered 1, 2 in
# that order), the separators left out, a note of two paragraphs on one line
NOTES_BODY = (
    para('关于开展XX调研工作的通知') +
    '<w:p><w:r><w:t>根据有关规定</w:t></w:r><w:r><w:footnoteReference w:id="3"/></w:r>'
    '<w:r><w:t>，现就调研工作通知如下。</w:t></w:r></w:p>' +
    '<w:p><w:r><w:t>一、调研内容</w:t></w:r></w:p>'
    '<w:p><w:r><w:t>重点了解基层情况</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r>'
    '<w:r><w:t>。</w:t></w:r><w:r><w:endnoteReference w:id="1"/></w:r></w:p>' +
    para('XX市人民政府办公室') + para('2024年5月6日'))
FOOTNOTES = ('<?xml version="1.0" encoding="UTF-8"?>\n<w:footnotes xmlns:w="%s">'
             '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
             '</w:r></w:p></w:footnote>'
             '<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>基层指乡镇和街道。</w:t>'
             '</w:r></w:p></w:footnote>'
             '<w:footnote w:id="3"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>一、《XX条例》第十条。</w:t>'
             '</w:r></w:p><w:p><w:r><w:t>二、《XX办法》第五条。</w:t></w:r></w:p></w:footnote>'
             '</w:footnotes>' % W)
ENDNOTES = ('<?xml version="1.0" encoding="UTF-8"?>\n<w:endnotes xmlns:w="%s">'
            '<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>'
            '<w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t>调研报告于6月底前报送。</w:t>'
            '</w:r></w:p></w:endnote></w:endnotes>' % W)
NOTES_RELS = ('<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/footnotes" Target="footnotes.xml"/>'
              '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/endnotes" Target="endnotes.xml"/>')

# ruby: the base text stays, the reading goes
RUBY_BODY = ('<w:p><w:r><w:t>地处</w:t></w:r><w:r><w:ruby><w:rubyPr><w:rubyAlign w:val="center"/>'
             '</w:rubyPr><w:rt><w:r><w:t>chóng</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>重</w:t></w:r>'
             '</w:rubyBase></w:ruby></w:r><w:r><w:t>庆的山区。</w:t></w:r></w:p>')

WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="%s"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>' % R)


def main():
    docx('docx-alternate-content.docx', AC_BODY, AC_NS)
    docx('docx-notes.docx', NOTES_BODY, parts=[('word/footnotes.xml', FOOTNOTES),
                                               ('word/endnotes.xml', ENDNOTES)],
         doc_rels=NOTES_RELS)
    docx('docx-ruby.docx', RUBY_BODY)
    write('docx-duplicate-entry.docx', [
        ('[Content_Types].xml', CONTENT_TYPES),
        ('_rels/.rels', ROOT_RELS % (PKG, 'word/document.xml')),
        ('word/document.xml', document(para('第一份正文'))),
        ('word/document.xml', document(para('第二份正文')))])
    write('docx-workbook.docx', [
        ('[Content_Types].xml', CONTENT_TYPES),
        ('_rels/.rels', ROOT_RELS % (PKG, 'xl/workbook.xml')),
        ('xl/workbook.xml', WORKBOOK)])


if __name__ == '__main__':
    main()
