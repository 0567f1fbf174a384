"""The report's typefaces: free fonts that ship with the install (the ``pylopdf-fonts-zh-cn``
package: Noto Sans SC as the 黑体 face of headings, Noto Serif SC as the 宋体 face of the body, both
under the SIL Open Font License 1.1, which allows embedding them in documents).

The Word file embeds them, subset to the characters it uses and converted to TrueType outlines
(what Word and LibreOffice accept as embedded fonts), obfuscated as ECMA-376 Part 1 §17.8.1
prescribes; so the document looks the same on a machine without them, and LibreOffice embeds them
again in the PDF it exports. Charts use the same files through matplotlib.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from functools import lru_cache
from pathlib import Path

HEI = "Noto Sans SC"  # 黑体 (headings)
SONG = "Noto Serif SC"  # 宋体 (body)
FONT_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
OBFUSCATED = "application/vnd.openxmlformats-officedocument.obfuscatedFont"


def font_paths() -> dict[str, Path]:
    import pylopdf_fonts_zh_cn as shipped

    return {HEI: shipped.sans_path(), SONG: shipped.serif_path()}


@lru_cache(maxsize=1)
def register_for_charts() -> str:
    """Add the shipped fonts to matplotlib (once) and return the chart face (黑体)."""
    from matplotlib import font_manager

    for path in font_paths().values():
        font_manager.fontManager.addfont(str(path))
    return HEI


def truetype_subset(path: Path, text: str) -> bytes:
    """The font at ``path`` reduced to the glyphs of ``text``, with TrueType outlines."""
    return _subset(path, "".join(sorted(set(text))))  # the subset depends on the characters only


@lru_cache(maxsize=8)  # seconds per CJK face: a report written again (same characters) reuses it
def _subset(path: Path, text: str) -> bytes:
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(path), recalcTimestamp=False)  # the source font's own stamp: repeatable bytes
    opts = subset.Options()
    opts.name_IDs, opts.notdef_outline, opts.layout_features = ["*"], True, ["*"]
    sub = subset.Subsetter(opts)
    sub.populate(text=text + "0123456789")
    sub.subset(font)
    if "CFF " in font:
        glyphs, order = font.getGlyphSet(), font.getGlyphOrder()
        outlines = {}
        for name in order:
            pen = TTGlyphPen(glyphs)
            glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            outlines[name] = pen.glyph()
        _to_glyf(font, order, outlines, newTable)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _to_glyf(font, order, outlines, new_table) -> None:
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["loca"] = new_table("loca")
    glyf = font["glyf"] = new_table("glyf")
    glyf.glyphOrder, glyf.glyphs = order, outlines
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxPoints", "maxContours",
                 "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat, font["head"].indexToLocFormat = 0, 1
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 §17.8.1: the first 32 bytes XOR-ed with the GUID key read backwards."""
    hexkey = key.strip("{}").replace("-", "")
    k = bytes(int(hexkey[i:i + 2], 16) for i in range(30, -1, -2))
    head = bytes(b ^ k[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def embed(document, text: str) -> None:
    """Embed both faces, subset to ``text``, in a python-docx ``document`` (regular style)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    part = document.part
    table = next((r.target_part for r in part.rels.values() if r.reltype == RT.FONT_TABLE), None)
    if table is None:
        return  # a template without a font table: the fonts are named, not embedded
    root = etree.fromstring(table.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    r_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    for i, (name, path) in enumerate(font_paths().items(), start=1):
        subset = truetype_subset(path, text)
        key = "{" + str(uuid.uuid5(uuid.NAMESPACE_OID, hashlib.sha256(subset).hexdigest())).upper() + "}"  # repeatable
        blob = obfuscate(subset, key)
        font_part = Part(PackURI(f"/word/fonts/carbonpeak{i}.odttf"), OBFUSCATED, blob, part.package)
        rid = table.relate_to(font_part, FONT_RELTYPE)
        for old in root.findall(f"{{{w}}}font[@{{{w}}}name='{name}']"):
            root.remove(old)
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})
        etree.SubElement(font, f"{{{w}}}embedRegular", {f"{{{r_ns}}}id": rid, f"{{{w}}}fontKey": key})
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = document.settings.element
    for tag in ("embedTrueTypeFonts", "saveSubsetFonts"):
        if settings.find(f"{{{w}}}{tag}") is None:
            settings.insert(0, etree.Element(f"{{{w}}}{tag}"))
