"""FastAPI's own validation errors (a query parameter, a path part or a body that does not fit
the route) said in one line a person can read, in Italian or English.

FastAPI's default 422 lists pydantic's details (``loc``, ``type``, ``input``, a pydantic URL):
useful to nobody who is not debugging FastAPI, and it echoes the input back. This module reads
each error's kind and limits and says what to send instead, naming the parameter.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from .i18n import LANG_COOKIE, LANGUAGES, Words, language

# pydantic error type -> (Italian, English); {name} is the parameter, {limit} and {choices} its limits.
_SAYINGS: dict[str, tuple[str, str]] = {
    "missing": ("manca '{name}', che è obbligatorio", "'{name}' is required and missing"),
    "int_parsing": ("'{name}' deve essere un numero intero", "'{name}' must be a whole number"),
    "int_from_float": ("'{name}' deve essere un numero intero", "'{name}' must be a whole number"),
    "float_parsing": ("'{name}' deve essere un numero", "'{name}' must be a number"),
    "decimal_parsing": ("'{name}' deve essere un numero", "'{name}' must be a number"),
    "finite_number": ("'{name}' deve essere un numero finito", "'{name}' must be a finite number"),
    "bool_parsing": ("'{name}' deve essere true o false", "'{name}' must be true or false"),
    "greater_than_equal": ("'{name}' deve essere almeno {limit}", "'{name}' must be at least {limit}"),
    "greater_than": ("'{name}' deve essere più di {limit}", "'{name}' must be more than {limit}"),
    "less_than_equal": ("'{name}' deve essere al massimo {limit}", "'{name}' must be at most {limit}"),
    "less_than": ("'{name}' deve essere meno di {limit}", "'{name}' must be less than {limit}"),
    "string_too_long": ("'{name}' è troppo lungo (al massimo {limit} caratteri)",
                        "'{name}' is too long (at most {limit} characters)"),
    "string_too_short": ("'{name}' è troppo corto (almeno {limit} caratteri)",
                         "'{name}' is too short (at least {limit} characters)"),
    "too_long": ("'{name}' ha troppi elementi (al massimo {limit})", "'{name}' has too many items (at most {limit})"),
    "too_short": ("'{name}' ha troppo pochi elementi (almeno {limit})", "'{name}' has too few items (at least {limit})"),
    "literal_error": ("'{name}' deve essere uno di: {choices}", "'{name}' must be one of: {choices}"),
    "enum": ("'{name}' deve essere uno di: {choices}", "'{name}' must be one of: {choices}"),
    "string_pattern_mismatch": ("'{name}' non ha la forma attesa", "'{name}' does not have the expected form"),
    "date_from_datetime_parsing": ("'{name}' deve essere una data (2025-09-03)", "'{name}' must be a date (2025-09-03)"),
    "date_parsing": ("'{name}' deve essere una data (2025-09-03)", "'{name}' must be a date (2025-09-03)"),
    "datetime_from_date_parsing": ("'{name}' deve essere data e ora (2025-09-03T10:00:00Z)",
                                   "'{name}' must be a date and time (2025-09-03T10:00:00Z)"),
    "datetime_parsing": ("'{name}' deve essere data e ora (2025-09-03T10:00:00Z)",
                         "'{name}' must be a date and time (2025-09-03T10:00:00Z)"),
    "timezone_aware": ("'{name}' deve indicare il fuso orario (…Z o +01:00)",
                       "'{name}' must carry its time zone (…Z or +01:00)"),
    "string_type": ("'{name}' deve essere un testo", "'{name}' must be text"),
    "list_type": ("'{name}' deve essere un elenco", "'{name}' must be a list"),
    "dict_type": ("'{name}' deve essere un oggetto JSON", "'{name}' must be a JSON object"),
    "model_attributes_type": ("'{name}' deve essere un oggetto JSON", "'{name}' must be a JSON object"),
    "extra_forbidden": ("'{name}' non è un campo previsto", "'{name}' is not an expected field"),
    "value_error": ("'{name}': {reason}", "'{name}': {reason}"),
    "assertion_error": ("'{name}': {reason}", "'{name}': {reason}"),
}
_WHOLE = {  # errors about the request as a whole, not one parameter
    "json_invalid": ("il corpo della richiesta non è JSON valido", "the request body is not valid JSON"),
    "model_attributes_type": ("il corpo della richiesta deve essere un oggetto JSON",
                              "the request body must be a JSON object"),
    "dict_type": ("il corpo della richiesta deve essere un oggetto JSON", "the request body must be a JSON object"),
    "missing": ("manca il corpo della richiesta", "the request body is missing"),
}
_OTHERWISE = ("'{name}' non è valido", "'{name}' is not valid")
_WHERE = {"query", "path", "body", "header", "cookie", "form"}
_MORE = ("e altri {n} errori", "and {n} more errors")
_MOST = 3


def reader_language(request: Request) -> str:
    """The page's language for the page's own calls and for clients that ask (?lang=, the
    language cookie, Accept-Language); English for a script that says nothing, as other API errors."""
    asked = (request.headers.get("x-requested-with") == "archivio" or request.query_params.get("lang") in LANGUAGES
             or request.cookies.get(LANG_COOKIE) in LANGUAGES or request.headers.get("accept-language"))
    return language(request) if asked else "en"


def one_line(errors: list[dict[str, Any]], lang: str) -> str:
    """Every error (the first few) as one sentence without pydantic's internals or the input."""
    column = LANGUAGES.index(lang)
    words = Words(lang)
    said: list[str] = []
    for error in errors:
        kind = str(error.get("type", ""))
        loc = [str(p) for p in error.get("loc", ()) if str(p) not in _WHERE]
        if kind in _WHOLE and (kind == "json_invalid" or not loc):
            text = _WHOLE[kind][column]
        else:
            # The parameter as the client sent it ('class', 'size', 'ids.2'): that is what to change.
            name = ".".join(loc) or ("corpo" if lang == "it" else "body")
            text = _SAYINGS.get(kind, _OTHERWISE)[column].format(name=name, **_limits(error, words))
        if text not in said:
            said.append(text)
    if not said:
        return ("la richiesta non è valida", "the request is not valid")[column]
    shown = "; ".join(said[:_MOST])
    if len(said) > _MOST:
        shown += " " + _MORE[column].format(n=len(said) - _MOST)
    return shown[0].upper() + shown[1:]


def _limits(error: dict[str, Any], words: Words) -> dict[str, str]:
    ctx = error.get("ctx") or {}
    limit = next((ctx[k] for k in ("ge", "gt", "le", "lt", "max_length", "min_length") if k in ctx), "")
    expected = str(ctx.get("expected", ""))
    reason = ctx.get("error")
    return {"limit": str(limit), "choices": expected.replace("'", "").replace(" or ", ", "),
            "reason": words.message(str(reason)) if reason else words("not_valid")}
