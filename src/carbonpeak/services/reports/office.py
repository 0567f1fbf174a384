"""The report as PDF through LibreOffice, with its table of contents updated: LibreOffice keeps a
Word TOC field's stored result when it opens a .docx, so the conversion runs LibreOffice through
its UNO bridge (the system Python's ``uno`` module), updates every index, then exports the PDF.
Without the bridge, a plain ``soffice --convert-to pdf`` (the contents then show the field's
placeholder until Word or LibreOffice updates them)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import CarbonPeakError

TIMEOUT_S = 180
UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")

_SCRIPT = r'''
import os, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue
soffice, src, dst, profile, pipe = sys.argv[1:6]
office = subprocess.Popen([soffice, "-env:UserInstallation=" + uno.systemPathToFileUrl(profile), "--headless",
                           "--invisible", "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;"])
def prop(name, value):
    p = PropertyValue(); p.Name, p.Value = name, value; return p
try:
    resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext())
    for _ in range(600):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"); break
        except Exception:
            time.sleep(0.1)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
    for _ in range(2):  # the second pass: page numbers after the contents took their room
        idx = doc.getDocumentIndexes()
        for i in range(idx.getCount()):
            idx.getByIndex(i).update()
        doc.refresh()
    doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", "writer_pdf_Export"),))
    doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
finally:
    try:
        office.wait(timeout=20)
    except Exception:
        office.kill()
'''


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _uno_python() -> str | None:
    for exe in UNO_PYTHONS:
        if Path(exe).exists() and subprocess.run([exe, "-c", "import uno"], check=False, capture_output=True,
                                                 timeout=30).returncode == 0:
            return exe
    return None


def to_pdf(docx: Path, folder: Path | None = None) -> Path:
    """Convert ``docx`` to PDF beside it (or in ``folder``) with the contents updated."""
    office = soffice()
    if office is None:
        raise CarbonPeakError("LibreOffice is not installed: no PDF / 未安装 LibreOffice，无法生成 PDF")
    folder = folder or docx.parent
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (docx.stem + ".pdf")
    with tempfile.TemporaryDirectory(prefix="carbonpeak-lo-") as tmp:
        python = _uno_python()
        if python:
            cmd = [python, "-c", _SCRIPT, office, str(docx.resolve()), str(target.resolve()), tmp, f"cp{Path(tmp).name}"]
        else:
            cmd = [office, f"-env:UserInstallation=file://{tmp}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(folder), str(docx)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    if not target.exists():
        raise CarbonPeakError(f"LibreOffice did not write the PDF / PDF 生成失败：{done.stderr[-300:]}")
    return target
