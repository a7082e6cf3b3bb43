#!/usr/bin/env python3
"""Write samples/关于开展XX专项整治工作的实施方案.docx: a small 公文 in WordprocessingML
with an auto-numbered level-1 heading list (一、二、…), a table and a tracked insertion,
so the sample library exercises the .docx reader. Standard library only.

  python3 tools/make-sample-docx.py samples/关于开展XX专项整治工作的实施方案.docx
"""
import sys
import zipfile
from xml.sax.saxutils import escape

W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'

def para(text, style=None, num=False, center=False):
    ppr = ''
    if style or num or center:
        ppr = '<w:pPr>'
        if style:
            ppr += '<w:pStyle w:val="%s"/>' % style
        if num:
            ppr += '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        if center:
            ppr += '<w:jc w:val="center"/>'
        ppr += '</w:pPr>'
    return '<w:p>%s<w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % (ppr, escape(text))

def table(rows):
    out = '<w:tbl>'
    for r in rows:
        out += '<w:tr>' + ''.join('<w:tc>%s</w:tc>' % para(c) for c in r) + '</w:tr>'
    return out + '</w:tbl>'

TITLE = '关于开展XX专项整治工作的实施方案'
body = [
    para(TITLE, style='Title', center=True),
    para('为深入贯彻落实上级关于安全生产工作的决策部署，切实防范化解重大安全风险，经研究，决定在全区开展XX专项整治工作。现制定如下实施方案。'),
    para('工作目标', num=True),
    para('通过专项整治，全面排查整治各类安全隐患，健全安全生产责任体系，坚决遏制较大及以上安全事故发生，全区安全生产形势持续稳定向好。'),
    para('整治内容', num=True),
    para('（一）重点行业领域隐患排查。聚焦危险化学品、建筑施工、道路交通、消防等重点领域，开展拉网式排查。'),
    para('（二）企业主体责任落实。督促企业健全安全管理制度，落实全员安全生产责任制。'),
    para('时间安排', num=True),
    table([['阶段', '时间', '主要任务'],
           ['动员部署', '2024年3月', '制定方案，召开动员会'],
           ['排查整治', '2024年4月至9月', '全面排查，建立台账，限期整改'],
           ['总结验收', '2024年10月', '总结经验，建立长效机制']]),
    para('工作要求', num=True),
    '<w:p><w:r><w:t xml:space="preserve">一是加强组织领导，成立专项整治工作领导小组；二是强化督导检查，</w:t></w:r>'
    '<w:ins w:id="1" w:author="XX" w:date="2024-03-01T00:00:00Z"><w:r><w:t xml:space="preserve">对整改不力的单位予以通报；</w:t></w:r></w:ins>'
    '<w:del w:id="2" w:author="XX" w:date="2024-03-01T00:00:00Z"><w:r><w:delText>（此句已删除）</w:delText></w:r></w:del>'
    '<w:r><w:t xml:space="preserve">三是严格责任追究，确保整治工作取得实效。</w:t></w:r></w:p>',
    para('XX区安全生产委员会办公室'),
    para('2024年3月1日'),
]
document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="%s"><w:body>%s<w:sectPr/></w:body></w:document>' % (W, ''.join(body)))
numbering = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<w:numbering xmlns:w="%s"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
             '<w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%%1、"/>'
             '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
             '</w:numbering>' % W)
styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<w:styles xmlns:w="%s"><w:style w:type="paragraph" w:styleId="Title">'
          '<w:name w:val="Title"/></w:style></w:styles>' % W)
content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '</Types>')
rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '</Relationships>')
doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '</Relationships>')
core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>%s</dc:title></cp:coreProperties>' % escape(TITLE))

with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for name, data in [('[Content_Types].xml', content_types), ('_rels/.rels', rels),
                       ('word/_rels/document.xml.rels', doc_rels), ('word/document.xml', document),
                       ('word/numbering.xml', numbering), ('word/styles.xml', styles),
                       ('docProps/core.xml', core)]:
        info = zipfile.ZipInfo(name, date_time=(2024, 3, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
