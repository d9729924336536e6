"""The 通报 as a Word document (.docx) that officials edit and forward in WPS or Word.

Laid out as 党政机关公文 are (GB/T 9704, as far as a generated draft sensibly goes): A4,
margins 37/35/28/26 mm (top, bottom, left, right), body text 仿宋_GB2312 三号 (16 pt) on a
fixed 28 pt line with a two-character first-line indent, the title in 方正小标宋简体 二号
(22 pt), first-level headings 黑体 and second-level 楷体_GB2312, both 三号, tables in 宋体 五号
(10.5 pt), and the page number "— 1 —" (a PAGE field) centred in the footer. Chinese fonts are
set as w:rFonts w:eastAsia with Times New Roman for Latin text, so digits and letters stay
upright and Word/WPS fall back to their own 宋体/仿宋 where a font is not installed. The
headings use Word's Heading 1/2 styles (restyled), so the navigation pane shows the outline.

Reproducible: the document's dates are the 通报's date and the zip entries carry a fixed time,
so the same data gives the same bytes (the site ships these files).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from docx import Document as new_document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from tracker.report.compose import Document, Heading, Para, Table

LATIN = "Times New Roman"
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
TABLE_FONT = "宋体"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(10.5)  # 五号
NOTE_SIZE = Pt(12)  # 小四
LINE = Pt(28)
PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH = PAGE_W - MARGINS["left"] - MARGINS["right"]
TABLE_STYLE = "通报表格文字"
TITLE_STYLE = "通报标题"


def set_fonts(rpr_parent: Any, east_asia: str, latin: str = LATIN) -> None:
    """Set w:rFonts on a style's or run's properties: Latin fonts for ascii/hAnsi/cs, the
    Chinese font as eastAsia, and no theme font that would override them."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin),
                        ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), value)


def _style_paragraph(style: Any, east_asia: str, size: Any, *, bold: bool = False,
                     align: Any = None, indent: bool = False, line: Any = LINE) -> None:
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(style.element, east_asia)
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = line
    pf.first_line_indent = 2 * size if indent else Pt(0)
    if align is not None:
        pf.alignment = align
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:contextualSpacing"):
        for el in ppr.findall(qn(tag)):
            ppr.remove(el)


def _setup(doc: Any) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.footer_distance = Mm(25)
    styles = doc.styles
    # Chinese is the document's East Asian language (spell checking, punctuation rules).
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    _style_paragraph(styles["Normal"], BODY_FONT, BODY_SIZE, indent=True,
                     align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _style_paragraph(styles["Heading 1"], H1_FONT, BODY_SIZE, indent=True)
    _style_paragraph(styles["Heading 2"], H2_FONT, BODY_SIZE, indent=True)
    title = styles.add_style(TITLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = styles["Normal"]
    _style_paragraph(title, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36))
    title.paragraph_format.space_before = Pt(12)
    title.paragraph_format.space_after = Pt(28)
    cell = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = styles["Normal"]
    _style_paragraph(cell, TABLE_FONT, TABLE_SIZE, line=None, align=WD_ALIGN_PARAGRAPH.LEFT)
    footer = styles["Footer"]
    _style_paragraph(footer, TABLE_FONT, Pt(14), line=None, align=WD_ALIGN_PARAGRAPH.CENTER)
    _page_number(section.footer.paragraphs[0])


def _field_run(paragraph: Any, instruction: str, shown: str) -> None:
    """A complex field (w:fldChar begin / w:instrText / separate / result / end): Word and
    WPS update it when the document is opened or printed."""
    def char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(el)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _page_number(paragraph: Any) -> None:
    paragraph.style = "Footer"
    paragraph.add_run("— ")
    _field_run(paragraph, "PAGE", "1")
    paragraph.add_run(" —")


# --- the body, written as WordprocessingML in one piece --------------------------------------
# python-docx builds a paragraph's text one character at a time and looks a style up by scanning
# every style each time one is assigned: a province's 通报 took about a second. The body is
# therefore written as XML text (every string escaped) and parsed once; the page set-up, styles
# and footer above still go through python-docx.

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STYLE_IDS = {0: TITLE_STYLE, 1: "Heading1", 2: "Heading2"}
_NO_INDENT = '<w:ind w:firstLine="0"/>'
_RIGHT = '<w:ind w:right="1280" w:firstLine="0"/><w:jc w:val="right"/>'  # 右空四字 (64 pt)
# pPr and rPr of each paragraph kind (children in the schema's order)
_KINDS = {
    "body": ("", ""),
    "placeholder": ("", ""),
    "docno": (_NO_INDENT + '<w:jc w:val="center"/>', ""),
    "demo": (_NO_INDENT + '<w:jc w:val="center"/>', '<w:color w:val="C00000"/>'),
    "salutation": (_NO_INDENT, ""),
    "signature": ('<w:spacing w:before="560"/>' + _RIGHT, ""),
    "date": (_RIGHT, ""),
    "note": ('<w:spacing w:before="280" w:line="360" w:lineRule="auto"/>',
             '<w:sz w:val="24"/><w:szCs w:val="24"/>'),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return escape(_CONTROL.sub("", " ".join(text.split())), {'"': "&quot;"})


def _p(text: str, ppr: str = "", rpr: str = "") -> str:
    props = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    run_props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return (f"<w:p>{props}<w:r>{run_props}<w:t xml:space=\"preserve\">{_xml_text(text)}</w:t>"
            "</w:r></w:p>")


def _block_xml(block: Heading | Para | Table) -> str:
    if isinstance(block, Heading):
        return _p(block.text, f'<w:pStyle w:val="{_STYLE_IDS[block.level]}"/>')
    if isinstance(block, Para):
        ppr, rpr = _KINDS.get(block.kind, ("", ""))
        return _p(block.text, ppr, rpr)
    return _table_xml(block)


def _table_xml(block: Table) -> str:
    """A table: Table Grid borders, fixed column widths, the header row repeated on every page
    and centred in 黑体; a short empty paragraph after it."""
    total = sum(block.widths) or 1
    twips = int(TEXT_WIDTH) // 635  # EMU → twentieths of a point
    widths = [twips * w // total for w in block.widths]
    head_rpr = (f'<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:cs="{LATIN}" '
                f'w:eastAsia="{H1_FONT}"/>')

    def cell(text: str, width: int, head: bool) -> str:
        ppr = f'<w:pStyle w:val="{TABLE_STYLE}"/>' + ('<w:jc w:val="center"/>' if head else "")
        return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/>'
                f"</w:tcPr>{_p(text, ppr, head_rpr if head else '')}</w:tc>")

    rows = ["<w:tr><w:trPr><w:tblHeader/></w:trPr>"
            + "".join(cell(h, w, True) for h, w in zip(block.header, widths, strict=True))
            + "</w:tr>"]
    rows += ["<w:tr>" + "".join(cell(c, w, False) for c, w in zip(row, widths, strict=True))
             + "</w:tr>" for row in block.rows]
    return ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" '
            'w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
            "</w:tblPr><w:tblGrid>"
            + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
            + "</w:tblGrid>" + "".join(rows) + "</w:tbl>"
            '<w:p><w:pPr><w:spacing w:line="240" w:lineRule="exact"/></w:pPr></w:p>')


def build(doc_model: Document) -> Any:
    """The python-docx Document of the 通报 (not yet saved)."""
    doc = new_document()
    _setup(doc)
    # The blocks go into a new body, which then takes the template's place with what the
    # template's body held (its page setup, sectPr, last). Moving each block into the
    # template's body instead costs lxml a walk of the document per block: quadratic, minutes
    # for a national 通报 (issue 14).
    old = doc.element.body
    body = parse_xml(f'<w:body xmlns:w="{_W}">'
                     + "".join(_block_xml(b) for b in doc_model.blocks) + "</w:body>")
    setup = old.sectPr
    for i, child in enumerate(c for c in list(old) if c is not setup):
        body.insert(i, child)
    if setup is not None:
        body.append(setup)
    doc.element.replace(old, body)
    props = doc.core_properties
    stamp = datetime(doc_model.issue.year, doc_model.issue.month, doc_model.issue.day,
                     tzinfo=UTC)
    title = _CONTROL.sub("", doc_model.title)
    # Word's core properties hold at most 255 characters (python-docx refuses more)
    props.title = title if len(title) <= 255 else title[:254] + "…"
    props.author = props.last_modified_by = "tracker"
    props.comments = ""
    props.language = "zh-CN"
    props.created = props.modified = stamp
    props.revision = 1
    return doc


def render_docx(doc_model: Document) -> bytes:
    buf = io.BytesIO()
    build(doc_model).save(buf)
    return fixed_zip(buf.getvalue())


def fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01 (python-docx stamps the saving time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
