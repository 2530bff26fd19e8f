"""A local stand-in for the Stripe API, and signed webhook deliveries, for tests without network.

`StripeStandIn` is a small http.server on 127.0.0.1 that records each request (path, headers,
form or query parameters) and answers what the test asked for: it creates Checkout Sessions,
lists them (newest first, in pages, filtered by creation time and status, as Stripe does),
creates refunds within what is left of a payment and lists them (newest first, by payment intent,
as Stripe does), takes refunds "made in Stripe's dashboard" (`dashboard_refund`), and replays the
answer to a repeated Idempotency-Key. Webhook payloads are signed here with HMAC-SHA256, as
Stripe does, and verified by the real stripe library in the view.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from courses.models import Payment

SECRET_KEY = "sk_test_standin"
WEBHOOK_SECRET = "whsec_test_standin_secret"


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict
    params: dict


class StripeStandIn:
    """Answers Stripe API calls locally: Checkout Sessions and refunds, or a chosen error."""

    def __init__(self, *, hosted_pages: bool = False) -> None:
        self.requests: list[RecordedRequest] = []
        self.status = 200
        self.error_type = "api_error"
        self.delay = 0.0  # seconds before each API answer: a Stripe that is slow to answer
        # With hosted_pages, Checkout URLs point here: a page that "pays" by going to success_url.
        self.hosted_pages = hosted_pages
        self.sessions: dict[str, dict] = {}  # id -> the session, as Stripe's API shows it
        self.params: dict[str, dict] = {}  # id -> the parameters it was created with
        self.refunds: list[dict] = []
        self.idempotent: dict[str, tuple[int, dict]] = {}
        self.lock = threading.Lock()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def reply(self, status: int, payload: dict) -> None:
                time.sleep(standin.delay)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", f"req_{uuid.uuid4().hex[:12]}")
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                params = {key: values[0] for key, values in parse_qs(body).items()}
                headers = dict(self.headers.items())
                standin.requests.append(RecordedRequest("POST", self.path, headers, params))
                with standin.lock:
                    key = self.headers.get("Idempotency-Key")
                    if key and key in standin.idempotent:
                        self.reply(*standin.idempotent[key])
                        return
                    answer = standin.answer(self.path, params)
                    if key and answer[0] < 500:
                        standin.idempotent[key] = answer
                self.reply(*answer)

            def do_GET(self):
                path, _sep, query = self.path.partition("?")
                if path in ("/v1/checkout/sessions", "/v1/refunds"):
                    params = {key: values[0] for key, values in parse_qs(query).items()}
                    headers = dict(self.headers.items())
                    standin.requests.append(RecordedRequest("GET", path, headers, params))
                    listing = standin.session_list if "sessions" in path else standin.refund_list
                    self.reply(*listing(params))
                    return
                # The hosted Checkout page, for browser journeys.
                params = standin.params.get(path.rsplit("/", 1)[-1])
                if params is None:
                    self.send_error(404)
                    return
                html = (
                    '<!DOCTYPE html><html lang="fr"><title>Checkout</title><main>'
                    f'<a href="{params["success_url"]}">Payer (simulation)</a> '
                    f'<a href="{params["cancel_url"]}">Annuler</a></main></html>'
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(html)))
                self.end_headers()
                self.wfile.write(html)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def failure(self) -> tuple[int, dict] | None:
        if self.status == 200:
            return None
        return self.status, {
            "error": {"type": self.error_type, "message": "Stand-in failure", "code": "x"}
        }

    def answer(self, path: str, params: dict) -> tuple[int, dict]:
        failure = self.failure()
        if failure:
            return failure
        if path == "/v1/refunds":
            return self.refund_create(params)
        session_id = f"cs_test_{uuid.uuid4().hex[:16]}"
        self.params[session_id] = params
        host = self.url if self.hosted_pages else "https://checkout.stripe.test"
        session = {
            "id": session_id,
            "object": "checkout.session",
            "created": int(time.time()),
            "mode": params.get("mode"),
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": int(params.get("line_items[0][price_data][unit_amount]", 0)),
            "currency": params.get("line_items[0][price_data][currency]"),
            "payment_intent": None,
            "client_reference_id": params.get("client_reference_id"),
            "url": f"{host}/c/pay/{session_id}",
            "metadata": {
                "enrolment_id": params.get("metadata[enrolment_id]"),
                "payment_id": params.get("metadata[payment_id]"),
            },
        }
        self.sessions[session_id] = session
        return 200, session

    def complete(self, session_id: str, *, intent: str | None = None, **changes) -> dict:
        """The trainee paid on Stripe's page: the session is complete and paid."""
        session = self.sessions[session_id]
        session.update(
            {
                "status": "complete",
                "payment_status": "paid",
                "payment_intent": intent or f"pi_{session_id}",
                "url": None,
                **changes,
            }
        )
        return session

    def session_list(self, params: dict) -> tuple[int, dict]:
        failure = self.failure()
        if failure:
            return failure
        rows = sorted(self.sessions.values(), key=lambda s: (s["created"], s["id"]), reverse=True)
        if "created[gte]" in params:
            rows = [s for s in rows if s["created"] >= int(params["created[gte]"])]
        if "status" in params:
            rows = [s for s in rows if s["status"] == params["status"]]
        if "starting_after" in params:
            ids = [s["id"] for s in rows]
            rows = rows[ids.index(params["starting_after"]) + 1 :]
        return 200, _page(rows, params, "/v1/checkout/sessions")

    def refund_create(self, params: dict) -> tuple[int, dict]:
        intent = params.get("payment_intent")
        paid = [s for s in self.sessions.values() if s["payment_intent"] == intent]
        if not paid:
            return 400, {"error": {"type": "invalid_request_error", "message": "No such payment"}}
        charged = paid[0]["amount_total"]
        refunded = sum(r["amount"] for r in self.refunds if r["payment_intent"] == intent)
        amount = int(params.get("amount", charged - refunded))
        if amount > charged - refunded:
            return 400, {
                "error": {
                    "type": "invalid_request_error",
                    "param": "amount",
                    "message": f"Refund amount ({amount}) is greater than unrefunded amount "
                    f"on charge ({charged - refunded})",
                }
            }
        refund = self.refund_record(
            intent,
            amount,
            currency=paid[0]["currency"],
            reason=params.get("reason"),
            metadata={
                key[len("metadata[") : -1]: value
                for key, value in params.items()
                if key.startswith("metadata[")
            },
        )
        return 200, refund

    def refund_record(
        self, intent: str, amount: int, *, currency="eur", reason=None, metadata=None
    ) -> dict:
        refund = {
            "id": f"re_{uuid.uuid4().hex[:16]}",
            "object": "refund",
            "amount": amount,
            "charge": f"ch_{intent}",
            "created": int(time.time()),
            "currency": currency,
            "payment_intent": intent,
            "reason": reason,
            "status": "succeeded",
            "metadata": metadata or {},
        }
        self.refunds.append(refund)
        return refund

    def dashboard_refund(self, amount: int, *, intent: str = "pi_test_1") -> dict:
        """A refund staff made in Stripe's dashboard: Stripe knows it, the admin never asked."""
        with self.lock:
            return self.refund_record(intent, amount)

    def refund_list(self, params: dict) -> tuple[int, dict]:
        failure = self.failure()
        if failure:
            return failure
        rows = [
            r
            for r in reversed(self.refunds)
            if r.get("payment_intent") == params.get("payment_intent", r.get("payment_intent"))
            and r.get("charge") == params.get("charge", r.get("charge"))
        ]
        return 200, _page(rows, params, "/v1/refunds")

    def __enter__(self) -> StripeStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _page(rows: list[dict], params: dict, url: str) -> dict:
    """The first `limit` rows as a Stripe list object."""
    limit = int(params.get("limit", 10))
    return {"object": "list", "url": url, "has_more": len(rows) > limit, "data": rows[:limit]}


def configure_test_keys(settings) -> None:
    """Test keys, so that online payment is on and webhooks verify with WEBHOOK_SECRET."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_standin"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


def running_standin(settings, *, hosted_pages: bool = False):
    """For a fixture: `yield from running_standin(settings)` gives a started stand-in."""
    configure_test_keys(settings)
    with StripeStandIn(hosted_pages=hosted_pages) as standin:
        settings.STRIPE_API_BASE = standin.url
        yield standin


def signature_header(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp=None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={signed.hexdigest()}"


def deliver(client, event: dict, *, secret: str = WEBHOOK_SECRET, timestamp=None, header=None):
    """POST an event to /stripe/webhook/ the way Stripe does: raw JSON body, signed."""
    return deliver_raw(client, json.dumps(event), secret=secret, timestamp=timestamp, header=header)


def deliver_raw(client, payload: str, *, secret: str = WEBHOOK_SECRET, timestamp=None, header=None):
    """POST any body to /stripe/webhook/, signed as Stripe would sign it."""
    extra = {}
    signature = (
        header
        if header is not None
        else signature_header(payload, secret=secret, timestamp=timestamp)
    )
    if signature:
        extra["HTTP_STRIPE_SIGNATURE"] = signature
    return client.post("/stripe/webhook/", data=payload, content_type="application/json", **extra)


def event(event_type: str, obj: dict, *, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:20]}",
        "object": "event",
        "api_version": "2025-01-27.acacia",
        "created": int(time.time()),
        "type": event_type,
        "data": {"object": obj},
    }


def session_event(
    payment: Payment,
    event_type: str = "checkout.session.completed",
    *,
    payment_status: str = "paid",
    intent: str = "pi_test_1",
    event_id: str | None = None,
) -> dict:
    return event(
        event_type,
        {
            "id": payment.stripe_session_id or "cs_test_unknown",
            "object": "checkout.session",
            "payment_status": payment_status,
            "amount_total": payment.amount_cents,
            "currency": "eur",
            "payment_intent": intent,
            "client_reference_id": str(payment.pk),
            "metadata": {"enrolment_id": str(payment.enrolment_id), "payment_id": str(payment.pk)},
        },
        event_id=event_id,
    )


def refund_event(*, amount: int, refunded: int, intent: str = "pi_test_1", event_id=None) -> dict:
    return event(
        "charge.refunded",
        {
            "id": "ch_test_1",
            "object": "charge",
            "amount": amount,
            "amount_refunded": refunded,
            "refunded": refunded >= amount,
            "currency": "eur",
            "payment_intent": intent,
        },
        event_id=event_id,
    )


def pay(client, user, course, *, intent: str = "pi_test_1", amount_total: int | None = None):
    """`user` starts the Checkout of `course` (the stand-in must be running) and Stripe's signed
    event says it was paid; `amount_total`: Stripe took other money than asked."""
    from courses.payments.services import checkout

    payment = checkout.checkout_start(user=user, course=course)
    evt = session_event(payment, intent=intent)
    if amount_total is not None:
        evt["data"]["object"]["amount_total"] = amount_total
    assert deliver(client, evt).status_code == 200
    return payment
