"""What a Stripe event must look like before it is applied: a signed body of any other shape is
stored as ignored, with the reason, instead of failing half-way (Stripe would retry it for days).

`event_parse(text)` gives the event, or the reason it cannot be applied. Only the fields the
handlers read are checked, with their types; ids are checked as Stripe writes them (a payment id
is digits and nothing else, not "12\\n"), so that what is stored fits its column.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable

# Stripe ids (evt_..., cs_..., pi_...) and ours: printable, no spaces, within their columns.
_STRIPE_ID = re.compile(r"[A-Za-z0-9_:\-.]{1,255}")
_OUR_ID = re.compile(r"[0-9]{1,18}")
_CURRENCY = re.compile(r"[A-Za-z]{3}")
# What PostgreSQL cannot store in text or jsonb: NUL, and halves of a UTF-16 pair ("\ud800").
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Seconds since 1970 of a date Django can store (before the year 10000).
_LATEST_TIMESTAMP = 253_402_300_799


class ShapeError(ValueError):
    """The reason a signed event cannot be applied."""


def _refuse_constant(name: str):
    raise ShapeError(f"number {name} is not JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ShapeError(f"number {text[:20]} is out of range")
    return number


def _check_strings(value) -> None:
    """No NUL character nor half of a UTF-16 pair anywhere (PostgreSQL refuses them), walked
    without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                raise ShapeError("a text contains a character that cannot be stored")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _field(obj: dict, name: str, check: Callable[[object], bool], what: str, *, optional=True):
    value = obj.get(name)
    if value is None and optional:
        return
    if not check(value):
        raise ShapeError(f"{name} is not {what}")


def _stripe_id(value) -> bool:
    return isinstance(value, str) and bool(_STRIPE_ID.fullmatch(value))


def valid_event_id(value) -> bool:
    """Whether an event's id may be stored as it is."""
    return _stripe_id(value)


def _our_id(value) -> bool:
    return isinstance(value, str) and bool(_OUR_ID.fullmatch(value))


def _amount(value) -> bool:
    return _is_int(value) and 0 <= value < 10**15


def _currency(value) -> bool:
    return isinstance(value, str) and bool(_CURRENCY.fullmatch(value))


def _metadata(value) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _intent(value) -> bool:
    return _stripe_id(value) or (isinstance(value, dict) and _stripe_id(value.get("id")))


def _check_our_ids(obj: dict, *keys: str) -> None:
    """The ids of ours that the object's metadata carries (optional) are ids: digits only."""
    metadata = obj.get("metadata") or {}
    for key in keys:
        if metadata.get(key) is not None and not _our_id(metadata[key]):
            raise ShapeError(f"metadata.{key} is not one of our ids")


def _check_session(session: dict) -> None:
    _field(
        session, "object", lambda v: v == "checkout.session", "a checkout.session", optional=False
    )
    _field(session, "id", _stripe_id, "a Stripe id", optional=False)
    _field(session, "payment_status", lambda v: isinstance(v, str), "a text", optional=False)
    _field(session, "amount_total", _amount, "an amount in cents")
    _field(session, "currency", _currency, "a currency code")
    _field(session, "payment_intent", _intent, "a payment intent")
    _field(session, "client_reference_id", _our_id, "one of our payment ids")
    _field(session, "metadata", _metadata, "a dictionary of texts")
    _check_our_ids(session, "payment_id", "enrolment_id")


def _check_charge(charge: dict) -> None:
    _field(charge, "object", lambda v: v == "charge", "a charge", optional=False)
    _field(charge, "id", _stripe_id, "a Stripe id")
    _field(charge, "payment_intent", _stripe_id, "a payment intent")
    _field(charge, "amount_refunded", _amount, "an amount in cents")
    _field(charge, "refunded", lambda v: isinstance(v, bool), "true or false")
    # API versions before 2022-11-15 (or an expanded charge) list its refunds; later ones don't.
    refunds = charge.get("refunds")
    if refunds is not None:
        try:
            check_refund_list(refunds)
        except ShapeError as error:
            raise ShapeError(f"refunds.{error}") from None


def check_refund_list(refunds) -> None:
    """A list object of refunds, as a charge carries it or Stripe's API lists them."""
    if not isinstance(refunds, dict) or not isinstance(refunds.get("data"), list):
        raise ShapeError("data is not a list")
    _field(refunds, "has_more", lambda v: isinstance(v, bool), "true or false")
    for index, refund in enumerate(refunds["data"]):
        if not isinstance(refund, dict):
            raise ShapeError(f"data.{index} is not a JSON object")
        try:
            check_refund(refund)
            _field(refund, "amount", _amount, "an amount in cents", optional=False)
        except ShapeError as error:
            raise ShapeError(f"data.{index}.{error}") from None


def check_refund(refund: dict) -> None:
    """A refund object: the fields the handlers read, with their types."""
    _field(refund, "object", lambda v: v == "refund", "a refund", optional=False)
    _field(refund, "id", _stripe_id, "a Stripe id", optional=False)
    _field(refund, "status", lambda v: isinstance(v, str) and len(v) <= 50, "a text")
    _field(refund, "amount", _amount, "an amount in cents")
    _field(refund, "created", _is_int, "a timestamp")
    _field(refund, "payment_intent", _stripe_id, "a payment intent")
    _field(refund, "metadata", _metadata, "a dictionary of texts")
    _field(refund, "failure_reason", lambda v: isinstance(v, str), "a text")
    _check_our_ids(refund, "refund_request_id")


# The event types the webhook applies, and the shape of their object.
OBJECT_CHECKS: dict[str, Callable[[dict], None]] = {
    "checkout.session.completed": _check_session,
    "checkout.session.async_payment_succeeded": _check_session,
    "checkout.session.async_payment_failed": _check_session,
    "checkout.session.expired": _check_session,
    "charge.refunded": _check_charge,
    "refund.created": check_refund,
    "refund.updated": check_refund,
    "refund.failed": check_refund,
    "charge.refund.updated": check_refund,
}


def _check_event(event) -> None:
    if not isinstance(event, dict):
        raise ShapeError("the body is not a JSON object")
    _field(event, "id", _stripe_id, "a Stripe id", optional=False)
    _field(
        event, "type", lambda v: isinstance(v, str) and 0 < len(v) <= 100, "a type", optional=False
    )
    _field(
        event,
        "created",
        lambda v: _is_int(v) and 0 <= v <= _LATEST_TIMESTAMP,
        "a timestamp",
        optional=False,
    )
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise ShapeError("data.object is not a JSON object")
    check = OBJECT_CHECKS.get(event["type"])
    if check is not None:
        try:
            check(data["object"])
        except ShapeError as error:
            raise ShapeError(f"data.object.{error}") from None


def event_check(event) -> str:
    """Why an event (parsed, or built from Stripe's API) cannot be applied; "" when it can."""
    try:
        _check_strings(event)
        _check_event(event)
    except ShapeError as error:
        return str(error)
    return ""


def event_parse(text: str) -> tuple[dict | None, str]:
    """The event in a verified body and "", or what can be stored of it and the reason to ignore.

    What can be stored is the event itself when it is JSON (with its NUL characters replaced),
    else {"unparsed": the start of the body}.
    """
    try:
        event = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except ShapeError as error:
        return None, str(error)
    except (ValueError, RecursionError) as error:
        return None, f"the body is not JSON ({type(error).__name__})"
    return event, event_check(event)


def storable_text(text: str) -> str:
    """The text with what PostgreSQL cannot store replaced."""
    return _UNSTORABLE.sub("\ufffd", text)


def storable(value):
    """A copy of a parsed body that PostgreSQL's jsonb accepts (see storable_text)."""
    return json.loads(
        storable_text(json.dumps(value, ensure_ascii=False)).replace("\\u0000", "\\ufffd")
    )
