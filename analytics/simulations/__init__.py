"""What-if scenarios of the Simulations page, computed in milliseconds on one edition's projects.

Each scenario is a validated parameter model and a function returning a result model that holds the
numbers and the DataFrames behind them; `tables()` gives those frames with French headers.
"""

from analytics.simulations.drift_alerts import (
    DIMENSION_BUDGET,
    DIMENSION_SCHEDULE,
    DRIFT_RULE_FR,
    DriftAlertParams,
    DriftAlertResult,
    simulate_drift_alerts,
)
from analytics.simulations.drift_cap import CAP_RULE_FR, DriftCapParams, DriftCapResult, simulate_drift_cap
from analytics.simulations.framework_ceiling import (
    CeilingProjection,
    FrameworkCeilingParams,
    FrameworkCeilingResult,
    simulate_framework_ceiling,
)
from analytics.simulations.labels import FRENCH_COLUMNS, to_french
from analytics.simulations.threshold import (
    BASELINE_THRESHOLD_MEUR,
    BELOW_BASELINE_NOTICE_FR,
    FRACTIONATION_RULE_FR,
    THRESHOLD_PRESETS_MEUR,
    THRESHOLD_RULE_FR,
    ThresholdParams,
    ThresholdResult,
    simulate_threshold,
)

__all__ = [
    "BASELINE_THRESHOLD_MEUR",
    "BELOW_BASELINE_NOTICE_FR",
    "CAP_RULE_FR",
    "DIMENSION_BUDGET",
    "DIMENSION_SCHEDULE",
    "DRIFT_RULE_FR",
    "FRACTIONATION_RULE_FR",
    "FRENCH_COLUMNS",
    "THRESHOLD_PRESETS_MEUR",
    "THRESHOLD_RULE_FR",
    "CeilingProjection",
    "DriftAlertParams",
    "DriftAlertResult",
    "DriftCapParams",
    "DriftCapResult",
    "FrameworkCeilingParams",
    "FrameworkCeilingResult",
    "ThresholdParams",
    "ThresholdResult",
    "simulate_drift_alerts",
    "simulate_drift_cap",
    "simulate_framework_ceiling",
    "simulate_threshold",
    "to_french",
]
