"""Carbon dual control (碳排放双控) as a service: monthly electricity and green certificates
(``electricity``), carbon figures on each factor basis (``figures``), the county budget, its
decomposition and tracking (``budget``), the 15th-plan targets and the 协同考核 table (``assessment``),
the 以电折碳 estimate (``estimate``) and the project carbon review (``review``). The arithmetic is
domain/carbon; results are the dataclasses of these modules."""

from .assessment import AssessmentResult, TargetsResult, assessment, targets
from .budget import LEVELS, DecompositionResult, PathResult, TrackingResult, county_path, decomposition, tracking
from .electricity import TOPICS as DATA_TOPICS
from .electricity import CarbonImport, import_certificates, import_electricity
from .estimate import LABEL, EstimateResult, monthly_estimate
from .figures import CarbonFigures, Context, carbon_figures, context
from .review import CarrierUse, HistoryRow, ReviewInput, ReviewResult, review_history, review_project

# What the carbon figures read: the inventory (services/versions.ACCOUNTING), GDP, the plan, the
# carbon tables and the key-unit registry (decomposition to units and townships).
TOPICS = ("plan", "activity", "factors", "monitoring", *DATA_TOPICS, "carbon_project_reviews")

__all__ = [
    "LABEL", "LEVELS", "TOPICS", "AssessmentResult", "CarbonFigures", "CarbonImport", "CarrierUse", "Context",
    "DecompositionResult", "EstimateResult", "HistoryRow", "PathResult", "ReviewInput", "ReviewResult",
    "TargetsResult", "TrackingResult", "assessment", "carbon_figures", "context", "county_path", "decomposition",
    "import_certificates", "import_electricity", "monthly_estimate", "review_history", "review_project", "targets",
    "tracking",
]
