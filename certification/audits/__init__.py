"""Renewal audits: each month a share of the renewals granted the month before is drawn at
random (reproducibly, from a recorded seed); the holders drawn upload evidence of practice,
supervision and training within a deadline; the committee records the outcome; a missed deadline
brings a reminder, then a proposal to suspend. Every step is an audit row.

Its public face: `services.audits_run()` (the daily beat task), `services.audit_draw(month=…)`,
`services.draw_sample(...)` to redo a draw from its record, and the holder's and committee's
pages in `urls.urlpatterns`.
"""
