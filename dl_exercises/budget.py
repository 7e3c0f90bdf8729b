"""The three budgets every exercise states.

An exercise declares, per budget, the parameter values it runs with (epochs,
data sizes) and the targets it must reach; this module names the budgets.
"""

from __future__ import annotations

BUDGETS = ("smoke", "quick", "full")
DEFAULT_BUDGET = "quick"

DESCRIPTIONS = {
    "smoke": "proves the code path in seconds: tiny data, one or two steps (CI runs every exercise so)",
    "quick": "the default: about a minute on two CPU cores, reaches the quick target on embedded data",
    "full": "the course's own settings; may take much longer, uses a GPU when present",
}
