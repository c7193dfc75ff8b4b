"""Widgets bound to the view store: each shows a field of the selection or of a page's parameters.

A bound widget takes its value from the store when drawn without one (first draw, after a followed link, a reset
or a programmatic change) and sends the user's edits back through its callback, before the page runs. Number
fields are text fields read the French way (`12,5`, `3 000 000`): a value that cannot be read is refused with a
French message under the field and the previous value stays in force.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from analytics.formatting import NumberParseError, format_number, parse_number
from analytics.params.levels import format_levels, parse_levels
from analytics.params.pages import PageId
from pages.common import state

ERRORS_KEY = "_field_errors"

Convert = Callable[[object], object]


def _identity(value: object) -> object:
    return value


def _seed(page: PageId | None, name: str, to_widget: Convert) -> str:
    key = state.widget_key(page, name)
    if key not in st.session_state:
        st.session_state[key] = to_widget(state.value(page, name))
    return key


def _commit(page: PageId | None, name: str, key: str, from_widget: Convert, then: Callable[[], None] | None) -> None:
    state.set_value(page, name, from_widget(st.session_state[key]))
    if then is not None:
        then()


def _callback(
    page: PageId | None, name: str, key: str, from_widget: Convert, then: Callable[[], None] | None = None
) -> dict[str, object]:
    return {"on_change": _commit, "args": (page, name, key, from_widget, then)}


def selectbox(
    page: PageId | None,
    name: str,
    label: str,
    options: Sequence[object],
    *,
    to_widget: Convert = _identity,
    from_widget: Convert = _identity,
    then: Callable[[], None] | None = None,
    container=st,
    **options_kw: object,
) -> None:
    """`then` runs after the store took the new value (to adjust what depends on it)."""
    key = _seed(page, name, to_widget)
    if st.session_state[key] not in options:
        st.session_state[key] = options[0] if options else None
    container.selectbox(label, options, key=key, **_callback(page, name, key, from_widget, then), **options_kw)


def multiselect(
    page: PageId | None, name: str, label: str, options: Sequence[object], *, container=st, **options_kw: object
) -> None:
    key = _seed(page, name, lambda v: [x for x in v if x in options])
    container.multiselect(label, options, key=key, **_callback(page, name, key, tuple), **options_kw)


def toggle(page: PageId | None, name: str, label: str, *, container=st, **options_kw: object) -> None:
    key = _seed(page, name, bool)
    container.toggle(label, key=key, **_callback(page, name, key, bool), **options_kw)


def text(page: PageId | None, name: str, label: str, *, container=st, **options_kw: object) -> None:
    key = _seed(page, name, str)
    container.text_input(label, key=key, **_callback(page, name, key, lambda v: str(v).strip()), **options_kw)


def segmented(
    page: PageId | None,
    name: str,
    label: str,
    labels: Mapping[object, str],
    *,
    container=st,
    **options_kw: object,
) -> None:
    """One choice among `labels` (value -> French label); a click on the chosen one keeps it chosen."""
    key = _seed(page, name, _identity)
    fallback = state.value(page, name)
    container.segmented_control(
        label,
        list(labels),
        format_func=labels.get,
        key=key,
        **_callback(page, name, key, lambda v: fallback if v is None else v),
        **options_kw,
    )


def tabs(page: PageId | None, name: str, labels: Mapping[str, str]) -> dict[str, object]:
    """Tabs whose open one is a parameter; only the open tab's content needs drawing (see `.open`)."""
    key = _seed(page, name, lambda v: labels[v])
    by_label = {label: value for value, label in labels.items()}
    containers = st.tabs(list(labels.values()), key=key, **_callback(page, name, key, by_label.get))
    return dict(zip(labels, containers, strict=True))


# ---- numbers typed the French way -----------------------------------------------------------------------------


def _errors() -> dict[str, str]:
    return st.session_state.setdefault(ERRORS_KEY, {})


def _commit_typed(page: PageId | None, name: str, key: str, read: Callable[[str], object], show: Convert) -> None:
    """Read the typed text; refuse it with its French reason, or store it and show it back in French."""
    typed = str(st.session_state[key])
    try:
        value = read(typed)
    except (NumberParseError, ValueError) as error:
        _errors()[key] = f"{error} Valeur précédente conservée : {show(state.value(page, name))}."
        return
    _errors().pop(key, None)
    state.set_value(page, name, value)
    st.session_state[key] = show(value)


def _typed_field(
    page: PageId | None,
    name: str,
    label: str,
    read: Callable[[str], object],
    show: Convert,
    container,
    options_kw: dict[str, object],
) -> None:
    key = _seed(page, name, show)
    container.text_input(
        label, key=key, on_change=_commit_typed, args=(page, name, key, read, show), max_chars=60, **options_kw
    )
    error = _errors().get(key)
    if error:
        container.error(error, icon=":material/edit_note:")


def number(
    page: PageId | None,
    name: str,
    label: str,
    *,
    unit: str | None,
    lower: float,
    upper: float,
    lower_open: bool = False,
    decimals: int = 2,
    scale: float = 1.0,
    optional: bool = False,
    container=st,
    **options_kw: object,
) -> None:
    """A number field in French: `12,5` shows as typed, `3 000 000` with its spaces; bounds are said in French.

    `scale` converts what is typed to the stored value (0.01: a percentage typed, a fraction stored); `lower` and
    `upper` are in the typed unit.
    """

    def typed_form(value: float) -> str:
        return format_number(value, decimals, trim=True)

    def show(value: object) -> str:
        return "" if value is None else typed_form(float(value) / scale)

    def read(typed: str) -> float | None:
        if optional and not typed.strip():
            return None
        value = parse_number(typed, unit)
        too_small = value < lower or (lower_open and value == lower)
        if too_small or value > upper:
            relation = "strictement supérieure à" if lower_open else "au moins"
            unit_text = f"\u00a0{unit}" if unit else ""
            raise ValueError(
                f"« {typed.strip()} » hors limites : valeur {relation} {typed_form(lower)}{unit_text} "
                f"et au plus {typed_form(upper)}{unit_text} attendue."
            )
        return round(round(value, decimals) * scale, decimals + 4) + 0.0

    _typed_field(page, name, label, read, show, container, dict(options_kw))


def levels(page: PageId | None, name: str, label: str, *, container=st, **options_kw: object) -> None:
    """Alert levels in percent separated by `;` (`10 ; 12,5 ; 30`): the comma stays the decimal mark."""
    _typed_field(page, name, label, parse_levels, format_levels, container, dict(options_kw))
