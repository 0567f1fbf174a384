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
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import ConfigDict, Field, with_config

from . import permissions
from .errors import CarbonPeakError, NotFound, Throttled
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
    """The job's state, replaced atomically (a reader never sees half a file). A job whose folder
    was removed while it ran (swept as stale, or its county's files replaced) has no one left to
    report to: its state is dropped, and its thread ends without an error."""
    tmp = folder / "status.json.tmp"
    try:
        tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        tmp.replace(folder / "status.json")
    except FileNotFoundError:
        return


KEEP_SECONDS = 24 * 3600  # finished jobs' files are removed a day later
KEEP_JOBS = 50  # and beyond the 50 most recent, the oldest finished ones at once
MAX_RUNNING = 2  # jobs writing at once, over all accounts, server processes and counties (each takes a core)
MAX_PER_COUNTY = 1  # of those, a county's own in a deployment of several counties: no county takes every slot
STALE_SECONDS = 600  # an unfinished job whose status has not moved for this long died with its process
BUSY_RETRY_S = 10
_STARTING = threading.Lock()  # check and start as one step (within a process)


def _jobs(root: Path) -> list[tuple[float, Path, dict[str, Any]]]:
    """Every job folder with the time its status last changed and the status, oldest first."""
    out = []
    for d in root.iterdir() if root.exists() else ():
        try:
            status_file = d / "status.json"
            out.append((status_file.stat().st_mtime, d, json.loads(status_file.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            out.append((d.stat().st_mtime if d.exists() else 0.0, d, {"finished": True}))
    return sorted(out, key=lambda x: x[0])


def _is_running(changed_at: float, state: dict[str, Any], now: float) -> bool:
    """An unfinished job whose status moved within STALE_SECONDS (older ones died with their process)."""
    return not state.get("finished") and changed_at > now - STALE_SECONDS


def _sweep(root: Path) -> list[dict[str, Any]]:
    """Remove expired jobs (and the oldest finished ones beyond KEEP_JOBS); the running jobs."""
    now, jobs = time.time(), _jobs(root)
    running = [st for t, _, st in jobs if _is_running(t, st, now)]
    finished = [(t, d) for t, d, st in jobs if not _is_running(t, st, now)]
    surplus = max(0, len(finished) - KEEP_JOBS)
    for k, (t, d) in enumerate(finished):
        if k < surplus or t < now - KEEP_SECONDS:
            shutil.rmtree(d, ignore_errors=True)
    return running


def _others_running(platform: Platform) -> int | None:
    """The jobs running in the deployment's other counties (they share its cores); None for a
    deployment of one county."""
    s = platform.settings
    if s.deployment_home is None or len(s.counties) < 2:
        return None
    now = time.time()
    folders = [s.deployment_home / "reports", *(s.deployment_home / "counties" / c / "reports" for c in s.counties
                                               if c != s.county)]
    return sum(1 for f in folders for t, _, st in _jobs(f) if _is_running(t, st, now))


def _admit(running: list[dict[str, Any]], actor: str, others: int | None) -> None:
    """One job at a time per account; in a deployment of several counties MAX_PER_COUNTY per
    county; MAX_RUNNING over the whole deployment."""
    if any(st.get("actor") == actor for st in running):
        raise Throttled("您的上一份报告仍在生成，请等待完成 / your previous report is still being written; wait for it",
                        BUSY_RETRY_S)
    if others is not None and len(running) >= MAX_PER_COUNTY:
        raise Throttled(f"本县已有{len(running)}份报告正在生成，请稍后再试 / {len(running)} of this county's reports are "
                        "being written; try again shortly", BUSY_RETRY_S)
    n = len(running) + (others or 0)
    if n >= MAX_RUNNING:
        raise Throttled(f"已有{n}份报告正在生成，请稍后再试 / {n} reports are being written; try again shortly",
                        BUSY_RETRY_S)


def start(platform: Platform, year: int, lang: str, principal: Principal | None) -> str:
    """Start the county's assessment report of ``year`` for ``principal`` (a county role): one
    job at a time per account, MAX_PER_COUNTY per county of a deployment of several and
    MAX_RUNNING in all, else Throttled (429 with Retry-After)."""
    actor = permissions.require(principal, "report.start").username
    job = secrets.token_hex(8)
    folder = _folder(platform, job)
    state: dict[str, Any] = {"job": job, "year": year, "lang": lang, "actor": actor, "step": "queued", "label": "",
                             "done": 0, "total": 1, "finished": False, "error": None, "files": []}
    with _STARTING:
        _admit(_sweep(folder.parent), actor, _others_running(platform))
        folder.mkdir(parents=True)
        _write(folder, state)
    _run(platform, folder, state)
    return job


def _run(platform: Platform, folder: Path, state: dict[str, Any]) -> None:
    """Write the report on a background thread, recording its progress in the job's status."""
    year, lang = state["year"], state["lang"]

    def progress(name: str, i: int, n: int) -> None:
        state.update(step=name, label=STEP_LABELS.get(name, (name, name))[lang == "en"], done=i, total=n)
        _write(folder, state)

    def run() -> None:
        try:
            out = write_report(platform, year, folder, lang, progress, FORMATS)
            state.update(finished=True, done=state["total"], files=[f for f in FORMATS if f in out],
                         missing=list(out["model"].missing))
        except CarbonPeakError as exc:
            state.update(finished=True, error=str(exc))
        except Exception as exc:  # noqa: BLE001 (the job reports any failure instead of dying silently)
            state.update(finished=True, error=f"{type(exc).__name__}: {exc}")
        _write(folder, state)

    threading.Thread(target=run, name=f"report-{state['job']}", daemon=True).start()


@with_config(ConfigDict(extra="forbid"))  # the response schema of GET /api/reports/{job}
@dataclass(frozen=True)
class ReportJobStatus:
    """A report job's progress, as its status file keeps it: the step and its label in the job's
    language, steps done of ``total``; when ``finished``, the files written or the ``error``, and
    what the report could not state (``missing``)."""
    job: str
    year: int
    lang: str
    actor: str
    step: str
    label: str
    done: int
    total: int
    finished: bool
    error: str | None
    files: list[str]
    missing: Annotated[list[str] | None, Field(description="what the finished report could not state")] = None


_STATUS_FIELDS = frozenset(f.name for f in fields(ReportJobStatus))


def status(platform: Platform, job: str, principal: Principal | None) -> ReportJobStatus:
    """A job's progress. The report covers the whole county, so only the roles that may start
    one may read it: holding the job id is not enough."""
    permissions.require(principal, "report.read")
    path = _folder(platform, job) / "status.json"
    if not path.exists():
        raise NotFound("no such report job / 无此报告任务")
    state = json.loads(path.read_text(encoding="utf-8"))
    return ReportJobStatus(**{k: v for k, v in state.items() if k in _STATUS_FIELDS})


def file(platform: Platform, job: str, fmt: str, principal: Principal | None) -> Path:
    st = status(platform, job, principal)
    if fmt not in st.files:
        raise NotFound(f"the {fmt} file of this job is not ready / 报告尚未生成")
    return _folder(platform, job) / f"assessment_{st.year}_{st.lang}.{fmt}"
