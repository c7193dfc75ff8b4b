"""The one reader and the one writer of the URL, driven by `analytics.params.table.PARAMS`.

One rule for repeated keys: a single-valued key keeps its first value (with a notice when others differ); a
repeatable key keeps them all. Whatever cannot be used is dropped with a French notice; reading never raises.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from analytics.params.codecs import quote
from analytics.params.pages import PARAMS_MODEL, PageId, PageParams
from analytics.params.table import PARAMS, ParamSpec, page_of_key, specs_for
from analytics.params.vocabulary import Vocabulary
from analytics.selection import Selection

MAX_KEYS = 50  # a link with more keys than the app knows is not read further

Query = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class ViewState:
    """What a URL says: the shared filters, the page's own parameters, and what was ignored."""

    selection: Selection
    params: PageParams
    notices: tuple[str, ...]


def _values(spec: ParamSpec, raw: Sequence[str], notices: list[str]) -> Sequence[str]:
    if spec.codec.repeated or len(raw) <= 1:
        return raw
    if len(set(raw)) > 1:
        notices.append(
            f"Paramètre {quote(spec.key)} répété : seule la première valeur {quote(raw[0])} est prise en compte."
        )
    return raw[:1]


def _unexpected_key(key: str, page: PageId) -> str:
    owners = page_of_key(key)
    if owners:
        return f"Paramètre {quote(key)} propre à la page {' / '.join(owners)} : ignoré sur cette page."
    return f"Paramètre {quote(key)} inconnu : ignoré."


def _validated(model: type, fields: dict[str, object], notices: list[str]):
    """The model of the fields read; a field the model refuses (a defect of a codec) is dropped, not fatal."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        bad = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
        notices.append(f"Paramètres incohérents ignorés : {', '.join(sorted(bad))}.")
        return model.model_validate({k: v for k, v in fields.items() if k not in bad})


def read_query(query: Query, page: PageId, vocab: Vocabulary) -> ViewState:
    """The view a URL names on `page`: valid values kept, each ignored one explained in French."""
    notices: list[str] = []
    specs = {spec.key: spec for spec in specs_for(page)}
    shared: dict[str, object] = {}
    own: dict[str, object] = {}
    keys = list(query)
    if len(keys) > MAX_KEYS:
        notices.append(f"Lien de {len(keys)} paramètres : seuls les {MAX_KEYS} premiers sont lus.")
    for key in keys[:MAX_KEYS]:
        raw = list(query[key])
        spec = specs.get(key)
        if spec is None:
            notices.append(_unexpected_key(key, page))
            continue
        if not raw:
            continue
        value, said = spec.codec.read(_values(spec, raw, notices), key, vocab)
        notices.extend(said)
        if value is not None:
            (shared if spec.page is None else own)[spec.field] = value
    selection = _validated(Selection, shared, notices)
    params = _validated(PARAMS_MODEL[page], own, notices)
    return ViewState(selection, params, tuple(notices))


def write_query(
    selection: Selection, params: PageParams, page: PageId, vocab: Vocabulary, *, pin_editions: bool = False
) -> dict[str, list[str]]:
    """The canonical URL parameters of a view: defaults left out, or the editions pinned for a permanent link."""
    shown = selection.pinned(vocab) if pin_editions else selection.canonical(vocab)
    query: dict[str, list[str]] = {}
    for spec in specs_for(page):
        value = getattr(shown if spec.page is None else params, spec.field)
        if value is None or value == spec.default:
            continue
        written = spec.codec.write(value, vocab)
        if written:
            query[spec.key] = written
    return query


def documentation_rows(page: PageId | None) -> list[tuple[str, str, str]]:
    """(key, values, default) of the parameters of `page` (None: the shared filters), in table order."""
    return [(spec.key, spec.values_fr, spec.default_fr) for spec in PARAMS if spec.page == page]
