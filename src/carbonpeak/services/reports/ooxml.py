"""Word building blocks python-docx lacks: A4 pages with official-document margins, fonts on a
style for both Latin and East Asian text, fields (PAGE in the footer, TOC), table headers that
repeat on each page, shading."""

from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt


def a4(section) -> None:
    """A4 portrait; margins of GB/T 9704 (top 37 mm, bottom 35, inside 28, outside 26)."""
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(20)


def set_font(style_or_run, face: str, size: float | None = None, bold: bool | None = None) -> None:
    """A face for Latin and East Asian text alike (Word picks ``w:eastAsia`` for Chinese)."""
    font = style_or_run.font
    font.name = face
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    el = style_or_run.element
    rpr = el.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # a theme font would win over the named face
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face)


def default_font(doc, face: str) -> None:
    """The document default face (w:docDefaults): text of styles that name none is set in it."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face)


def field(paragraph, instruction: str, placeholder: str = "", dirty: bool = False):
    """A complex field ``instruction`` (PAGE, TOC …) with ``placeholder`` as its shown result."""
    def char(kind: str):
        r = paragraph.add_run()
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        if dirty and kind == "begin":
            fc.set(qn("w:dirty"), "true")
        r._r.append(fc)
        return r
    char("begin")
    instr = paragraph.add_run()
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instruction} "
    instr._r.append(it)
    char("separate")
    shown = paragraph.add_run(placeholder)
    char("end")
    return shown


def page_number_footer(section, face: str) -> None:
    """The page number centred in the footer as “— N —” (a PAGE field)."""
    section.footer.is_linked_to_previous = False
    p = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, is_field in (("— ", False), ("PAGE", True), (" —", False)):
        run = field(p, "PAGE", "1") if is_field else p.add_run(text)
        set_font(run, face, 14)


def new_section(doc):
    s = doc.add_section(WD_SECTION.NEW_PAGE)
    a4(s)
    return s


def update_fields_on_open(doc) -> None:
    """Ask Word to update the fields (the table of contents) when the file is opened."""
    settings = doc.settings.element
    el = settings.find(qn("w:updateFields"))
    if el is None:
        el = OxmlElement("w:updateFields")
        settings.append(el)
    el.set(qn("w:val"), "true")


def repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def keep_row(row) -> None:
    """A row is never split across two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    el = OxmlElement("w:shd")
    el.set(qn("w:val"), "clear")
    el.set(qn("w:color"), "auto")
    el.set(qn("w:fill"), fill)
    tcpr.append(el)


def borders(table) -> None:
    """Single thin borders on every cell (a template's table style may have none)."""
    tblpr = table._tbl.tblPr
    b = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:val"), "single")
        e.set(qn("w:sz"), "4")
        e.set(qn("w:color"), "000000")
        b.append(e)
    tblpr.append(b)
