"""All scenario parameters in one model, and their round trip through the page URL.

URL names are short and French; amounts in M€ or €/month, levels and cap in percent. Reading a URL
never raises: each unreadable or out-of-range value is ignored or clamped with a French notice.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, field_validator

from analytics.formatting import format_number
from analytics.simulations.common import FRACTION_DECIMALS, check_number
from analytics.simulations.drift_alerts import MAX_LEVEL, MAX_LEVEL_COUNT, DriftAlertParams
from analytics.simulations.drift_cap import DriftCapParams
from analytics.simulations.framework_ceiling import MAX_AMOUNT_EUR
from analytics.simulations.threshold import MAX_AMOUNT_MEUR, ThresholdParams

MAX_FRAMEWORK_ID_LENGTH = 64
QUERY_KEYS: tuple[str, ...] = (
    "seuil_revue",
    "marge",
    "alertes_budget",
    "alertes_calendrier",
    "plafond",
    "rythme",
    "accord",
)


def _check_framework_id(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"L'identifiant d'accord-cadre doit être un texte, reçu {value!r}.")
    text = value.strip()
    if not text or len(text) > MAX_FRAMEWORK_ID_LENGTH or not text.isprintable():
        raise ValueError(
            f"L'identifiant d'accord-cadre doit être un texte imprimable de 1 à {MAX_FRAMEWORK_ID_LENGTH} "
            f"caractères, reçu {value!r}."
        )
    return text


class ScenarioParams(BaseModel):
    """Every parameter of the Simulations page, defaults included."""

    model_config = ConfigDict(frozen=True)

    threshold: ThresholdParams = ThresholdParams()
    alerts: DriftAlertParams = DriftAlertParams()
    cap: DriftCapParams = DriftCapParams()
    user_pace_eur_per_month: float | None = None
    framework_id: str | None = None

    @field_validator("user_pace_eur_per_month", mode="before")
    @classmethod
    def _check_pace(cls, value: object) -> float | None:
        if value is None:
            return None
        return check_number(value, "Le rythme saisi", lower=0.0, upper=MAX_AMOUNT_EUR, unit="€")

    @field_validator("framework_id", mode="before")
    @classmethod
    def _check_framework(cls, value: object) -> str | None:
        return _check_framework_id(value)


# ---- writing ----------------------------------------------------------------------------------------


def _plain(value: float) -> str:
    """Shortest text that reads back to the same float: '9', '9.5'."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _percent(fraction: float) -> str:
    return _plain(round(fraction * 100, FRACTION_DECIMALS - 2))


def to_query(params: ScenarioParams) -> dict[str, list[str]]:
    """URL parameters of the non-default values only."""
    default = ScenarioParams()
    query: dict[str, list[str]] = {}
    if params.threshold.threshold_meur != default.threshold.threshold_meur:
        query["seuil_revue"] = [_plain(params.threshold.threshold_meur)]
    if params.threshold.margin_meur != default.threshold.margin_meur:
        query["marge"] = [_plain(params.threshold.margin_meur)]
    if params.alerts.budget_levels != default.alerts.budget_levels:
        query["alertes_budget"] = [",".join(map(_percent, params.alerts.budget_levels))]
    if params.alerts.schedule_levels != default.alerts.schedule_levels:
        query["alertes_calendrier"] = [",".join(map(_percent, params.alerts.schedule_levels))]
    if params.cap.cap != default.cap.cap:
        query["plafond"] = [_percent(params.cap.cap)]
    if params.user_pace_eur_per_month is not None:
        query["rythme"] = [_plain(params.user_pace_eur_per_month)]
    if params.framework_id is not None:
        query["accord"] = [params.framework_id]
    return query


# ---- reading ----------------------------------------------------------------------------------------


def _quote(text: str) -> str:
    """The value as received, cut to 40 characters, unprintable characters shown as �."""
    shown = "".join(char if char.isprintable() else "\ufffd" for char in text[:40])
    return f"« {shown}{'…' if len(text) > 40 else ''} »"


def _number(
    key: str,
    text: str,
    notices: list[str],
    *,
    upper: float,
    lower_open: bool = False,
    unit: str,
    decimal_comma: bool = True,
) -> float | None:
    """The number in `text`, clamped to `upper`; None (with a notice) when unreadable or too small."""
    cleaned = "".join(text.split())
    if decimal_comma:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        notices.append(f"Paramètre « {key} » : valeur {_quote(text)} illisible, ignorée (nombre attendu).")
        return None
    if not math.isfinite(value):
        notices.append(f"Paramètre « {key} » : valeur {_quote(text)} non finie, ignorée.")
        return None
    if value < 0 or (lower_open and value == 0):
        relation = "strictement positive" if lower_open else "positive ou nulle"
        notices.append(f"Paramètre « {key} » : valeur {_quote(text)} ignorée, elle doit être {relation}.")
        return None
    if value > upper:
        notices.append(
            f"Paramètre « {key} » : valeur {_quote(text)} ramenée au maximum de "
            f"{format_number(upper, 2, trim=True)}{unit}."
        )
        return upper
    return value


def _levels(key: str, text: str, notices: list[str]) -> tuple[float, ...] | None:
    """Comma-separated percents as sorted, unique fractions; None (with a notice) when none is valid."""
    parsed = (
        _number(key, item, notices, upper=MAX_LEVEL * 100, lower_open=True, unit=" %", decimal_comma=False)
        for item in text.split(",")
    )
    fractions = {round(value / 100, FRACTION_DECIMALS) for value in parsed if value is not None}
    if 0.0 in fractions:
        notices.append(f"Paramètre « {key} » : niveau inférieur à 0,0001 % ignoré dans {_quote(text)}.")
    levels = sorted(fractions - {0.0})
    if not levels:
        notices.append(f"Paramètre « {key} » : aucun niveau valide dans {_quote(text)}, niveaux par défaut.")
        return None
    if len(levels) > MAX_LEVEL_COUNT:
        notices.append(
            f"Paramètre « {key} » : {len(levels)} niveaux distincts, seuls les {MAX_LEVEL_COUNT} plus bas sont retenus."
        )
    return tuple(levels[:MAX_LEVEL_COUNT])


def _last_value(key: str, raw: object, notices: list[str]) -> str | None:
    values = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else [raw]
    texts = [str(value) for value in values if value is not None]
    if not texts:
        return None
    if len(set(texts)) > 1:
        notices.append(
            f"Paramètre « {key} » donné {len(texts)} fois : seule la dernière valeur {_quote(texts[-1])} est retenue."
        )
    return texts[-1] if texts[-1].strip() else None


def from_query(params: Mapping[str, list[str]]) -> tuple[ScenarioParams, list[str]]:
    """Scenario parameters from the URL, with a French notice per ignored or clamped value; never raises."""
    notices: list[str] = []
    text = {key: _last_value(key, params[key], notices) for key in QUERY_KEYS if key in params}
    text = {key: value for key, value in text.items() if value is not None}

    def number(key: str, *, upper: float, unit: str, lower_open: bool = False) -> float | None:
        if key not in text:
            return None
        return _number(key, text[key], notices, upper=upper, lower_open=lower_open, unit=unit)

    def levels(key: str) -> tuple[float, ...] | None:
        return _levels(key, text[key], notices) if key in text else None

    threshold_fields = {
        "threshold_meur": number("seuil_revue", upper=MAX_AMOUNT_MEUR, lower_open=True, unit=" M€"),
        "margin_meur": number("marge", upper=MAX_AMOUNT_MEUR, unit=" M€"),
    }
    alert_fields = {
        "budget_levels": levels("alertes_budget"),
        "schedule_levels": levels("alertes_calendrier"),
    }
    cap_percent = number("plafond", upper=MAX_LEVEL * 100, unit=" %")
    pace = number("rythme", upper=MAX_AMOUNT_EUR, unit="€")
    framework_id: str | None = None
    if "accord" in text:
        try:
            framework_id = _check_framework_id(text["accord"])
        except ValueError:
            notices.append(
                f"Paramètre « accord » : identifiant {_quote(text['accord'])} ignoré "
                f"(texte imprimable de 1 à {MAX_FRAMEWORK_ID_LENGTH} caractères attendu)."
            )

    def present(fields: dict[str, object]) -> dict[str, object]:
        """Parsed values only, so the models keep their defaults for the others."""
        return {name: value for name, value in fields.items() if value is not None}

    # Every parsed value already lies within the models' bounds, so building them cannot fail.
    cap_fields = {"cap": None if cap_percent is None else round(cap_percent / 100, FRACTION_DECIMALS)}
    scenario = ScenarioParams(
        threshold=ThresholdParams(**present(threshold_fields)),
        alerts=DriftAlertParams(**present(alert_fields)),
        cap=DriftCapParams(**present(cap_fields)),
        user_pace_eur_per_month=pace,
        framework_id=framework_id,
    )
    return scenario, notices
