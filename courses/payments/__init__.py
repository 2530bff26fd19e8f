"""Payments: paid courses through Stripe Checkout, refunds, funded enrolments, invoices and
credit notes. Its models belong to the courses app (same label, same tables).

Its public face, for the rest of the code:

- services.checkout: `checkout_start(user, course)`, `enrolment_abandon(user, enrolment_id)`;
- services.webhooks: `stripe_webhook_receive(payload, signature)`, `stripe_event_apply(event)`;
- services.reconciliation: `checkout_reconcile()`, the nightly catch-up of missed webhooks;
- services.refunds: `refund_start(actor, payment_id, amount_cents, reason, key)`,
  `refund_available_cents(payment)`;
- services.fundings: `funded_enrolment_create(actor, user, course, ...)`,
  `funding_csv_import(actor, text, dry_run)`;
- services.invoices: `invoice_pdf_ensure(invoice_id)`;
- selectors: `course_payment_box(course, user)`, `trainee_invoices(user)`,
  `pending_enrolments(user)`, `payments_enabled()`;
- permissions: `can_manage_fundings(user)`, `can_view_payments(user)`, `can_refund_payments(user)`;
- privacy: `PaymentsData`, the provider of personal data (export, erasure, the invoices' legal
  retention) that the app registers with institut.privacy.

Enrolments themselves are opened and moved by courses.services; payments only asks.
"""
