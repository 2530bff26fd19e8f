"""The business rules of payments, one module per concern; callers import the module they need.

- checkout: open or resume a Stripe Checkout, give up an unpaid enrolment, the payment e-mails;
- webhooks: Stripe's events, verified and applied once; a confirmed payment opens access;
- refunds: what Stripe refunded, as credit notes; a full refund ends access;
- invoices: numbering, invoices and credit notes, their PDF;
- fundings: funded enrolments, one by one or from a CSV file.

Dependencies point one way: webhooks -> refunds -> invoices, fundings -> invoices, and every
module may schedule a task (tasks call back into these modules by name).
"""
