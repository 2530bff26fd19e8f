"""The business rules of payments, one module per concern; callers import the module they need.

- checkout: open or resume a Stripe Checkout, give up an unpaid enrolment, the payment e-mails;
- webhooks: Stripe's events, verified and applied once; a confirmed payment opens access;
- event_shapes: what an event must look like to be applied (else it is stored as ignored);
- reconciliation: completed Checkout Sessions whose webhook never came, applied nightly;
- refunds: refunds staff ask Stripe for; what Stripe refunded, as credit notes; a full refund
  ends access;
- invoices: numbering, invoices and credit notes, their PDF;
- fundings: funded enrolments, one by one or from a CSV file.

Dependencies point one way: reconciliation -> webhooks -> refunds -> invoices, webhooks ->
event_shapes, fundings -> invoices, and every module may schedule a task (tasks call back into
these modules by name).
"""
