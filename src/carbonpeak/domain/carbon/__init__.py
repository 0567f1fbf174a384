"""Carbon dual control (碳排放双控): budgets and their decomposition, budget tracking and warnings,
the 以电折碳 monthly estimate with its back-test, and the project carbon review. Pure arithmetic."""

from .budget import (Allocation, BudgetError, BudgetPath, Decomposition, Rule, budget_path, decompose,
                     decompose_named, rule_weights)
from .estimate import BackTest, MonthlyEstimate, back_test, estimate_year
from .review import Benchmark, ProjectInput, Review, Verdict, review
from .tracking import BudgetUse, Level, Thresholds, month_use, year_use

__all__ = [
    "Allocation", "BackTest", "Benchmark", "BudgetError", "BudgetPath", "BudgetUse", "Decomposition", "Level",
    "MonthlyEstimate", "ProjectInput", "Review", "Rule", "Thresholds", "Verdict", "back_test", "budget_path",
    "decompose", "decompose_named", "estimate_year", "month_use", "review", "rule_weights", "year_use",
]
