"""The annual assessment as an official Word document: A4, headings in a 黑体 face and body in a
宋体 face (fonts.py, embedded), a title page with 编制单位 and date, a table of contents (TOC field),
page numbers (PAGE field), tables with Chinese headers, units and statistical rounding. A county's
own template (template.py) lends its styles and letterhead. Layout only: every figure comes from
the Assessment."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt, RGBColor

from ...domain.labels import CONVENTIONS, num, pick, say
from . import carbon_section, fonts, ooxml, tables
from .model import Assessment

BODY_PT, TABLE_PT = 14, 10.5  # 四号 body, 五号 tables
TEXT_WIDTH_CM = 15.5  # A4 less the margins of ooxml.a4


def write_docx(a: Assessment, pictures: dict[str, Path], path: Path, template: Path | None = None) -> Path:
    doc = _document(template)
    _title_page(doc, a)
    _contents(doc, a)
    _summary(doc, a)
    _targets(doc, a, pictures)
    _inventory(doc, a, pictures)
    _units_tasks(doc, a)
    _sinks_buildings(doc, a)
    _supervision(doc, a)
    _carbon(doc, a)
    _heading(doc, pick("附件：数据质量与来源说明", "Annex: data quality and provenance", a.lang), 1)
    _table(doc, tables.annex(a))
    fonts.embed(doc, _all_text(doc))
    doc.save(path)
    return path


def _document(template: Path | None):
    """A new document, or the county's template emptied of its body (styles, headers kept)."""
    doc = Document(str(template)) if template else Document()
    body = doc.element.body
    for child in list(body):
        if child.tag.endswith("}sectPr"):
            continue
        body.remove(child)
    for section in doc.sections:
        ooxml.a4(section)
    _styles(doc, own=template is None)
    ooxml.update_fields_on_open(doc)
    return doc


def _styles(doc, own: bool) -> None:
    """Our faces on our document; a template keeps its own (only missing styles are added)."""
    styles = {s.name for s in doc.styles}
    for name in ("Heading 1", "Heading 2", "Title"):
        if name not in styles:
            doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = doc.styles["Normal"]
    if not own and "Heading 1" in styles:
        return
    ooxml.default_font(doc, fonts.SONG)
    normal = doc.styles["Normal"]
    ooxml.set_font(normal, fonts.SONG, BODY_PT)
    for name in ("TOC 1", "TOC 2"):  # the contents LibreOffice or Word write on update
        st = doc.styles[name] if name in {x.name for x in doc.styles} else doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        ooxml.set_font(st, fonts.SONG, BODY_PT)
        st.paragraph_format.left_indent = Pt(0 if name == "TOC 1" else 2 * BODY_PT)
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(0)
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 15)):
        st = doc.styles[name]
        ooxml.set_font(st, fonts.HEI, size, bold=False)
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.paragraph_format.space_before, st.paragraph_format.space_after = Pt(12), Pt(6)
    ppr = doc.styles["Title"].element.get_or_add_pPr()
    for tag in ppr.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr"):
        ppr.remove(tag)  # the default template underlines the title
    for name in ("Heading 1", "Heading 2"):
        rpr = doc.styles[name].element.get_or_add_rPr()
        for tag in rpr.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}i"):
            rpr.remove(tag)


def _face(doc, run, face: str, size: float) -> None:
    """Our face on a run of our own document; in a county's template only the size (its fonts rule)."""
    if doc.styles["Normal"].font.name == fonts.SONG:
        ooxml.set_font(run, face, size)
    else:
        run.font.size = Pt(size)


def _para(doc, text: str, indent: bool = True, align=None, size: float | None = None, face: str | None = None):
    p = doc.add_paragraph()
    run = p.add_run(text)
    if size or face:
        _face(doc, run, face or fonts.SONG, size)
    if indent:
        p.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    if align is not None:
        p.alignment = align
    return p


def _heading(doc, text: str, level: int):
    return doc.add_heading(text, level=level)


def _title_page(doc, a: Assessment) -> None:
    for _ in range(5):
        doc.add_paragraph()
    t = doc.add_paragraph(style="Title")
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _face(doc, t.add_run(a.title), fonts.HEI, 22)
    _para(doc, a.plan["name"], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=16, face=fonts.SONG)
    for _ in range(10):
        doc.add_paragraph()
    when = date.fromisoformat(a.generated_at[:10])
    for text in (pick(f"编制单位：{a.organisation}", f"Prepared by: {a.organisation}", a.lang),
                 pick(f"{when.year}年{when.month}月{when.day}日", when.isoformat(), a.lang)):
        _para(doc, text, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=16, face=fonts.HEI)
    body = ooxml.new_section(doc)
    ooxml.page_number_footer(body, fonts.SONG)
    pg = body._sectPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pgNumType")
    if pg is None:
        from docx.oxml import OxmlElement
        pg = OxmlElement("w:pgNumType")
        body._sectPr.append(pg)
    pg.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}start", "1")
    first = doc.sections[0]
    first.footer.is_linked_to_previous = False


def _contents(doc, a: Assessment) -> None:
    _para(doc, pick("目　录", "Contents", a.lang), indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=16, face=fonts.HEI)
    p = doc.add_paragraph()
    ooxml.field(p, 'TOC \\o "1-2" \\h \\z \\u', pick("（打开文件时更新目录）", "(the contents are updated when the file opens)",
                                                    a.lang), dirty=True)
    p.add_run().add_break(WD_BREAK.PAGE)


def _summary(doc, a: Assessment) -> None:
    _heading(doc, pick("评估摘要", "Summary", a.lang), 1)
    for s in a.narrative:
        _heading(doc, s.title, 2)
        for text in s.paragraphs:
            _para(doc, text)
    if a.missing:
        _heading(doc, pick("缺失数据", "Missing data", a.lang), 2)
        for m in a.missing:
            _para(doc, m)


def _targets(doc, a: Assessment, pictures: dict[str, Path]) -> None:
    _heading(doc, pick("一、目标完成情况", "1. Targets", a.lang), 1)
    _para(doc, pick("评价规则：", "Rule: ", a.lang) + a.targets.rule)
    doc.add_picture(str(pictures["barometer"]), width=Cm(14))
    _table(doc, tables.targets(a))


def _inventory(doc, a: Assessment, pictures: dict[str, Path]) -> None:
    _heading(doc, pick("二、能源消费与碳排放", "2. Energy and emissions", a.lang), 1)
    inv = a.inventory
    if inv is None:
        _para(doc, next((m for m in a.missing if "活动数据" in m or "activity data" in m), ""))
        return
    t = inv["totals"]
    conv = say(CONVENTIONS, inv["convention"].get("electricity", ""), a.lang)
    _para(doc, pick(f"能源消费总量 {num(t['energy_tce'], places=0)} 吨标准煤；属地二氧化碳排放 {num(t['co2_territorial_t'], places=0)} 吨；"
                    f"含电力调入调出 {num(t['co2_with_electricity_t'], places=0)} 吨。口径：电力按{conv}折标准煤（系数见因子来源表）。",
                    f"Energy {num(t['energy_tce'], places=0)} tce; territorial CO2 {num(t['co2_territorial_t'], places=0)} t; with "
                    f"electricity {num(t['co2_with_electricity_t'], places=0)} t. Electricity at its {conv} value (see the factors).",
                    a.lang))
    for key in ("trend", "sectors"):
        if key in pictures:
            doc.add_picture(str(pictures[key]), width=Cm(14))
    _table(doc, tables.sectors(a))
    _heading(doc, pick("（一）主要指标", "Indicators", a.lang), 2)
    _table(doc, tables.indicators(a))
    _heading(doc, pick("（二）核算方法与因子来源", "Method and factor sources", a.lang), 2)
    _table(doc, tables.factors(a))


def _units_tasks(doc, a: Assessment) -> None:
    _heading(doc, pick("三、重点用能单位", "3. Key energy-using units", a.lang), 1)
    if a.monitoring is None:
        _para(doc, pick("没有重点用能单位名录。", "No key energy-using units registered.", a.lang))
    else:
        _table(doc, tables.units(a))
    _heading(doc, pick("四、任务与项目", "4. Tasks and projects", a.lang), 1)
    _para(doc, pick("任务状态按实际记录统计：已完成；滞后（已过截止日期未完成，或标记为滞后）；其余按记录为推进中或未开始。",
                    "Tasks by their recorded status: done; late (past the deadline and not done, or marked delayed); "
                    "otherwise in progress or not started as recorded.", a.lang))
    _table(doc, tables.tasks(a))
    _para(doc, "", indent=False)
    _table(doc, tables.projects(a))


def _sinks_buildings(doc, a: Assessment) -> None:
    _heading(doc, pick("五、碳汇与公共建筑", "5. Sinks and public buildings", a.lang), 1)
    s = a.sinks
    if s and s.get("sink"):
        k = s["sink"]
        _para(doc, pick(f"森林碳汇（{k['from']}—{k['to']}年储量差法）：{num(k['total_tco2_per_year'], places=0)} 吨二氧化碳/年。",
                        f"Forest sink ({k['from']}–{k['to']}, stock difference): {num(k['total_tco2_per_year'], places=0)} tCO2/yr.",
                        a.lang))
    b = a.buildings
    if b:
        grades = "，".join(f"{g}级{n}栋" for g, n in b.grades.items())
        over = "、".join(b.over_constraint) or pick("无", "none", a.lang)
        _para(doc, pick(f"公共建筑能效等级：{grades}；超过约束值：{over}。", f"Public-building grades: {grades}; over the constraint: {over}.",
                        a.lang))


def _supervision(doc, a: Assessment) -> None:
    _heading(doc, pick("六、节能监察", "6. Energy supervision", a.lang), 1)
    if a.supervision is None or a.supervision.inspections == 0:
        _para(doc, pick(f"{a.year}年没有节能监察记录。", f"No energy-supervision records for {a.year}.", a.lang))
        return
    _para(doc, pick("以下为已作出处理决定并公开的监察结果（与节能监察公开页一致）；未作出决定的案件不公开。",
                    "Published results of decided cases (as on the public supervision page); undecided cases are never public.",
                    a.lang))
    _table(doc, tables.supervision(a))
    _heading(doc, pick("违法用能单位名单", "Violators", a.lang), 2)
    _table(doc, tables.violators(a))


def _carbon(doc, a: Assessment) -> None:
    """七、碳排放双控: the blocks of carbon_section.py (its paragraphs and tables), laid out."""
    _heading(doc, pick("七、碳排放双控", "7. Carbon dual control", a.lang), 1)
    for kind, value in carbon_section.blocks(a):
        if kind == "h2":
            _heading(doc, value, 2)
        elif kind == "p":
            _para(doc, value)
        else:
            _table(doc, value[1])
            _para(doc, "", indent=False)


def _cell_text(value: Any, kind: str, unit: str) -> str:
    if isinstance(value, str):
        return value
    if kind == "n":
        return num(value, places=0)
    if kind == "p":  # a percentage (carbon_tables)
        return num(value, "%")
    if kind == "f" and isinstance(value, float):
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return text
    return num(value, unit if kind == "u" else "")


CHAR_CM, PAD_CM = 0.39, 0.45 # a 五号 full-width character; cell padding


def _display(text: str) -> float:
    """Width of ``text`` in full-width characters (Latin letters and digits count about half)."""
    return sum(0.6 if ord(c) < 0x2E80 else 1.0 for c in text)


def _token(text: str) -> float:
    """Width of the longest piece that must not break (a code, a number)."""
    return max([_display(w) for w in re.findall(r"[\x21-\x7e]+", text)] + [2.0])


def _widths(headers: list[str], texts: list[list[str]]) -> list:
    """Columns as wide as their text: each at least its longest code (or three characters), the room
    left shared by how much more each column's longest cell needs."""
    cols = range(len(headers))
    head = [_display(h) if _display(h) <= 4 else max(_display(h) / 2, _token(h)) for h in headers]
    full = [max([head[i]] + [_display(r[i]) for r in texts]) * CHAR_CM + PAD_CM for i in cols]
    least = [max([_token(headers[i])] + [max(_token(r[i]), min(_display(r[i]), 3.0)) for r in texts]) * CHAR_CM + PAD_CM
             for i in cols]  # a code or number whole, at least three characters of text a line
    if sum(full) <= TEXT_WIDTH_CM:
        return [Cm(w * TEXT_WIDTH_CM / sum(full)) for w in full]
    if sum(least) >= TEXT_WIDTH_CM:
        return [Cm(w * TEXT_WIDTH_CM / sum(least)) for w in least]
    extra, want = TEXT_WIDTH_CM - sum(least), [f - m for f, m in zip(full, least)]
    return [Cm(least[i] + extra * want[i] / sum(want)) for i in cols]  # as a browser lays out an auto table


def _table(doc, table: tables.Table):
    """A bordered table with a shaded header repeated on each page, columns as wide as their text."""
    headers, rows, kinds = table
    unit_col = headers.index("单位") if "单位" in headers else headers.index("unit") if "unit" in headers else None
    texts = [[_cell_text(v, kinds[i], r[unit_col] if unit_col is not None else "") for i, v in enumerate(r)] for r in rows]
    widths = _widths(headers, texts)
    t = doc.add_table(rows=1, cols=len(headers))
    ooxml.borders(t)
    t.autofit = False
    for i, col in enumerate(t.columns):
        col.width = widths[i]  # the grid: what LibreOffice lays out by
    for i, h in enumerate(headers):
        _cell(t.rows[0].cells[i], h, widths[i], header=True)
    ooxml.repeat_header(t.rows[0])
    for r, shown in zip(rows, texts):
        row = t.add_row()
        ooxml.keep_row(row)
        cells = row.cells
        for i, v in enumerate(r):
            _cell(cells[i], shown[i], widths[i], numeric=not isinstance(v, str) and v is not None)
    return t


def _cell(cell, text: str, width, header: bool = False, numeric: bool = False) -> None:
    cell.width = width
    p = cell.paragraphs[0]
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    run = p.add_run(text)
    _face(cell.part.document, run, fonts.HEI if header else fonts.SONG, TABLE_PT)
    if header:
        ooxml.shade(cell, "D9D9D9")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif numeric:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for s in doc.sections:
        parts += [p.text for p in s.header.paragraphs] + [p.text for p in s.footer.paragraphs]
    return "".join(sorted(set("".join(parts)))) + "—－0123456789目录第页"
