"""Statistical reporting (统计报表制度): obligations, entry and review, evidence, 调度, 封存.

Obligations (obligations.py) say who reports what by when; a reporter saves drafts and submits,
a reviewer approves or returns (submissions.py); only approved values reach the target
observations every surface reads. views.py gives the pages' lists; notices.py each account's
notifications; reminders.py the dispatch lists, reminders and the overdue workbook; attachments.py
the evidence files; freeze.py the frozen assessment years and their versions, frozen.py the
assessment each version keeps (the report of a frozen year); kinds.py the 205-1, project and task
obligations from the plan, publish.py what an approval of each kind writes; editing.py changes to
an obligation; punctuality.py the on-time figures of the dispatch lists and report. Rules and
checks: domain/reporting.py.
"""

from .attachments import AttachmentView, StoredFile, attach, download
from .editing import ObligationChange
from .editing import edit as edit_obligation
from .freeze import FreezeDiff, FreezeView, TargetChange, diff, versions
from .freeze import freeze as freeze_year
from .kinds import KINDS, Generated
from .kinds import generate as generate_kinds
from .notices import NoticeView, list_for, mark_read, unread
from .obligations import (
                          DefaultsResult,
                          ObligationIn,
                          ObligationView,
                          add_illustrative,
                          create,
                          generate_defaults,
                          list_obligations,
)
from .punctuality import COUNTY_READER, Punctuality
from .reminders import Dispatch, ReminderRun, dispatch, overdue_xlsx, remind
from .submissions import EntryIn, Saved, reopen, review, save
from .views import PeriodView, chain, one, periods, review_queue

__all__ = ["COUNTY_READER", "KINDS", "AttachmentView", "DefaultsResult", "Dispatch", "EntryIn", "FreezeDiff",
           "FreezeView", "Generated", "NoticeView", "ObligationChange", "ObligationIn", "ObligationView",
           "PeriodView", "Punctuality", "ReminderRun", "Saved", "StoredFile", "TargetChange", "add_illustrative",
           "attach", "chain", "create", "diff", "dispatch", "download", "edit_obligation", "freeze_year",
           "generate_defaults", "generate_kinds", "list_for", "list_obligations", "mark_read", "one", "overdue_xlsx",
           "periods", "remind", "reopen", "review", "review_queue", "save", "unread", "versions"]
