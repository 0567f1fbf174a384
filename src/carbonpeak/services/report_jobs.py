"""Report generation as a background job with progress, for the web UI.

The job's state is a small JSON file under ``CARBONPEAK_HOME/reports/<job id>/`` beside its
output files, so any server process answers progress and download requests for any job (several
uvicorn workers do not share memory)."""

from __future__ import annotations

import json
import secrets
import shutil
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import permissions
from .errors import CarbonPeakError, NotFound
from .platform import Platform
from .report_files import STEP_LABELS, write_report

if TYPE_CHECKING:
    from .users import Principal

FORMATS = ("docx", "xlsx")


def _folder(platform: Platform, job: str) -> Path:
    if not job.isalnum():
        raise NotFound("no such report job / 无此报告任务")
    return platform.settings.home / "reports" / job


def _write(folder: Path, state: dict[str, Any]) -> None:
    tmp = folder / "status.json.tmp"
    tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    tmp.replace(folder / "status.json")  # atomic: a reader never sees half a file


KEEP_SECONDS = 24 * 3600  # finished jobs' files are removed a day later


def _sweep(root: Path) -> None:
    if not root.exists():
        return
    cutoff = time.time() - KEEP_SECONDS
    for d in root.iterdir():
        if d.is_dir() and d.stat().st_mtime < cutoff:
            shutil.rmtree(d, ignore_errors=True)


def start(platform: Platform, year: int, lang: str, principal: Principal | None) -> str:
    """Start the county's assessment report of ``year`` for ``principal`` (a county role)."""
    actor = permissions.require(principal, "report.start").username
    _sweep(platform.settings.home / "reports")
    job = secrets.token_hex(8)
    folder = _folder(platform, job)
    folder.mkdir(parents=True)
    state: dict[str, Any] = {"job": job, "year": year, "lang": lang, "actor": actor, "step": "queued", "label": "",
                             "done": 0, "total": 1, "finished": False, "error": None, "files": []}
    _write(folder, state)

    def progress(name: str, i: int, n: int) -> None:
        state.update(step=name, label=STEP_LABELS.get(name, (name, name))[lang == "en"], done=i, total=n)
        _write(folder, state)

    def run() -> None:
        try:
            out = write_report(platform, year, folder, lang, progress, FORMATS)
            state.update(finished=True, done=state["total"], files=[f for f in FORMATS if f in out],
                         missing=out["model"]["missing"])
        except CarbonPeakError as exc:
            state.update(finished=True, error=str(exc))
        except Exception as exc:  # noqa: BLE001 (the job reports any failure instead of dying silently)
            state.update(finished=True, error=f"{type(exc).__name__}: {exc}")
        _write(folder, state)

    threading.Thread(target=run, name=f"report-{job}", daemon=True).start()
    return job


def status(platform: Platform, job: str, principal: Principal | None) -> dict[str, Any]:
    """A job's progress. The report covers the whole county, so only the roles that may start
    one may read it: holding the job id is not enough."""
    permissions.require(principal, "report.read")
    path = _folder(platform, job) / "status.json"
    if not path.exists():
        raise NotFound("no such report job / 无此报告任务")
    return json.loads(path.read_text(encoding="utf-8"))


def file(platform: Platform, job: str, fmt: str, principal: Principal | None) -> Path:
    st = status(platform, job, principal)
    if fmt not in st.get("files", []):
        raise NotFound(f"the {fmt} file of this job is not ready / 报告尚未生成")
    return _folder(platform, job) / f"assessment_{st['year']}_{st['lang']}.{fmt}"
