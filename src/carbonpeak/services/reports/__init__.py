"""The annual assessment report (年度评估报告), the dispatch report (调度通报) and the open data sets.

Modules: ``assessment`` (the figures, as the typed ``model.Assessment``), ``narrative`` (the text
written from them), ``annex`` (flags and provenance), ``outlook`` (the policy scenario's peak),
``tables``, ``docx_writer``/``ooxml``/``fonts`` (the official Word document), ``xlsx_writer``,
``charts``, ``template`` (a county's own Word template), ``dispatch`` and ``open_data``; the
reader's words and rounding are domain/labels.py. services/report_files.py writes the files of a report.
"""

from __future__ import annotations

from .assessment import STEP_NAMES, STEPS, TASK_STATES, Progress, assessment, task_state, tasks_by_department
from .dispatch import dispatch, dispatch_rows
from .model import AnnexRow, Assessment, PeakOutlook, ProjectCount, Section, TaskCount
from .open_data import OPEN_DATASETS, open_dataset

__all__ = ["OPEN_DATASETS", "STEPS", "STEP_NAMES", "TASK_STATES", "AnnexRow", "Assessment", "PeakOutlook", "Progress",
           "ProjectCount", "Section", "TaskCount", "assessment", "dispatch", "dispatch_rows", "open_dataset",
           "task_state", "tasks_by_department"]
