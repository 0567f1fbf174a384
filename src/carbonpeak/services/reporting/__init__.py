"""Statistical reporting (统计报表制度): obligations, entry and review, evidence, 调度, 封存.

Obligations (obligations.py) say who reports what by when; a reporter saves drafts and submits,
a reviewer approves or returns (submissions.py); only approved values reach the target
observations every surface reads. views.py gives the pages' lists; notices.py each account's
notifications; reminders.py the dispatch lists, reminders and the overdue workbook; attachments.py
the evidence files; freeze.py the frozen assessment years and their versions. Rules and checks:
domain/reporting.py.
"""

from .attachments import AttachmentView, StoredFile, attach, download
from .freeze import FreezeDiff, FreezeView, TargetChange, diff, versions
from .freeze import freeze as freeze_year
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
from .reminders import Dispatch, Punctuality, ReminderRun, dispatch, overdue_xlsx, remind
from .submissions import EntryIn, Saved, reopen, review, save
from .views import PeriodView, chain, one, periods, review_queue

__all__ = ["AttachmentView", "DefaultsResult", "Dispatch", "EntryIn", "FreezeDiff", "FreezeView", "NoticeView",
           "ObligationIn", "ObligationView", "PeriodView", "Punctuality", "ReminderRun", "Saved", "StoredFile",
           "TargetChange", "add_illustrative", "attach", "chain", "create", "diff", "dispatch", "download",
           "freeze_year", "generate_defaults", "list_for", "list_obligations", "mark_read", "one", "overdue_xlsx",
           "periods", "remind", "reopen", "review", "review_queue", "save", "unread", "versions"]
