"""Energy supervision (节能监察) and clean-production audits (清洁生产审核): plan 三（三）1, 专栏7.

Modules: ``plan`` (units subject to supervision, yearly batches, the checklist), ``cases``
(inspection, findings, decision, publication, closure), ``evidence`` (rectification files and
their review), ``audits`` (energy audits ordered, clean-production audits and their stages),
``disclosure`` (the public page), ``indicators`` (T16, T18, T19 computed with their rule),
``demo`` (a year of illustrative records for the demo). The rules: domain/supervision.py.
"""

from .audits import (
                     CleanAuditIn,
                     CleanAuditView,
                     EnergyAuditIn,
                     EnergyAuditView,
                     advance_stage,
                     list_clean_audit,
                     list_clean_audits,
                     list_energy_audits,
                     receive_audit_report,
                     request_energy_audit,
)
from .cases import CaseIn, DecisionIn, FindingIn, close, decide, get_case, list_cases, open_case, publish
from .common import TOPICS
from .disclosure import PublicCase, PublicView, public_view
from .evidence import StoredFile, download, review, submit
from .indicators import ComputedValue, all_computed, computed, computed_one_in, record_years, record_years_in
from .plan import BatchIn, BatchView, ChecklistRow, SubjectUnit, checklist, create_batch, list_batches, subject_units
from .report import OverdueRow, annual_section, overdue_by_department
from .views import CaseView, EvidenceView, FindingView

__all__ = [
                     "TOPICS",
                     "BatchIn",
                     "BatchView",
                     "CaseIn",
                     "CaseView",
                     "ChecklistRow",
                     "CleanAuditIn",
                     "CleanAuditView",
                     "ComputedValue",
                     "DecisionIn",
                     "EnergyAuditIn",
                     "EnergyAuditView",
                     "EvidenceView",
                     "FindingIn",
                     "FindingView",
                     "OverdueRow",
                     "PublicCase",
                     "PublicView",
                     "StoredFile",
                     "SubjectUnit",
                     "advance_stage",
                     "all_computed",
                     "annual_section",
                     "checklist",
                     "close",
                     "computed",
                     "computed_one_in",
                     "create_batch",
                     "decide",
                     "download",
                     "get_case",
                     "list_batches",
                     "list_cases",
                     "list_clean_audit",
                     "list_clean_audits",
                     "list_energy_audits",
                     "open_case",
                     "overdue_by_department",
                     "public_view",
                     "publish",
                     "receive_audit_report",
                     "record_years",
                     "record_years_in",
                     "request_energy_audit",
                     "review",
                     "subject_units",
                     "submit",
]
