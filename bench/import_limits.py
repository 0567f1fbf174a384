"""Benchmark: hostile files against the import limits (docs/web.md, "Upload limits").

1. A 1 000 000-row XLSX of identical activity rows, written as raw XML (about 0.5 MB zipped,
   130 MB unzipped), through ``POST /api/uploads/validate`` (in-process app, SQLite).
2. A 200 MB CSV of identical activity rows through ``carbonpeak import``.

Each runs in its own process under ``/usr/bin/time -v``; prints the status, the wall time, the
answer size and the peak RSS. Run: .venv/bin/python bench/import_limits.py [--rows 1000000] [--csv-mb 200]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HEAD = ["年份", "地区", "部门", "能源品种", "数量", "单位"]
ROW = ["2023", "安化县", "工业", "原煤", "100", "吨"]
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

API = """
import sys, time
from pathlib import Path
from fastapi.testclient import TestClient
from carbonpeak.services.platform import open_platform
from carbonpeak.services.users import create_user
from carbonpeak.settings import Settings
from carbonpeak.web.app import create_app
s = Settings.from_env({"CARBONPEAK_HOME": sys.argv[2]})
p = open_platform(s)
create_user(p, "admin", "Anhua-peak-2031", "admin", "bench")
c = TestClient(create_app(s, p))
c.headers["X-CSRF-Token"] = c.post("/api/auth/login", json={"username": "admin", "password": "Anhua-peak-2031"}).json()["csrf_token"]
t = time.perf_counter()
r = c.post("/api/uploads/validate", files={"file": (Path(sys.argv[1]).name, Path(sys.argv[1]).read_bytes())})
print(f"status={r.status_code} request_s={time.perf_counter() - t:.1f} answer_bytes={len(r.content)}")
"""


def write_xlsx(path: Path, rows: int) -> None:
    sst = HEAD + ["安化县", "工业", "原煤", "吨"]
    row = lambda vals, head: "<row>" + "".join(  # noqa: E731
        f'<c t="s"><v>{sst.index(v)}</v></c>' if head or not v.isdigit() else f"<c><v>{v}</v></c>" for v in vals) + "</row>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   f'<Default Extension="xml" ContentType="application/xml"/>'
                   f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
                   f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
                   f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook {NS} xmlns:r="{REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
                   "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   f'relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                   f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        z.writestr("xl/sharedStrings.xml", f"<sst {NS}>" + "".join(f"<si><t>{s}</t></si>" for s in sst) + "</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(f"<worksheet {NS}><sheetData>{row(HEAD, True)}".encode())
            block = (row(ROW, False) * 10_000).encode()
            for _ in range(rows // 10_000):
                f.write(block)
            f.write(b"</sheetData></worksheet>")


def timed(cmd: list[str], env: dict[str, str]) -> str:
    res = subprocess.run(["/usr/bin/time", "-v", *cmd], env=env, capture_output=True, text=True)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", res.stderr).group(1)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr).group(1)) // 1024
    first = (res.stdout.strip().splitlines() or res.stderr.strip().splitlines() or [""])[0][:160]
    return f"exit={res.returncode} wall={wall} peak_rss_mb={rss} | {first}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--csv-mb", type=int, default=200)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="carbonpeak-limits-"))
    try:
        run(work, a.rows, a.csv_mb)
    finally:
        shutil.rmtree(work)


def run(work: Path, rows: int, csv_mb: int) -> None:
    xlsx, csv = work / "identical-rows.xlsx", work / "big.csv"
    write_xlsx(xlsx, rows)
    with csv.open("wb") as f:
        f.write((",".join(HEAD) + "\n").encode())
        block = ((",".join(ROW) + "\n") * 100_000).encode()
        while f.tell() < csv_mb * 1024 * 1024:
            f.write(block)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARBONPEAK_")}
    print(f"xlsx: {rows} rows, {xlsx.stat().st_size / 1e6:.2f} MB -> API:",
          timed([sys.executable, "-c", API, str(xlsx), str(work / "api")], env))
    print(f"csv: {csv.stat().st_size / 1e6:.0f} MB -> carbonpeak import:",
          timed([str(Path(sys.executable).with_name("carbonpeak")), "import", str(csv)],
                {**env, "CARBONPEAK_HOME": str(work / "cli")}))


if __name__ == "__main__":
    main()
