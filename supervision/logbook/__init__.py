"""The supervised-practice logbook: practice entries tagged with the method's steps, their review
by the assigned supervisor (submit, return, approve, correct), and period summaries that the
trainee closes and the supervisor confirms. Its models belong to the supervision app (same label,
same tables).

Its public face, for the rest of the code:

- services: `practice_entry_create`, `practice_entry_update`, `practice_entry_submit`,
  `practice_entry_return`, `practice_entry_approve`, `practice_entry_bulk_approve`,
  `practice_entry_correct`, `period_summary_close`, `period_summary_confirm`;
- selectors: `practice_totals(user)` (what certification reads), `review_queue_count(user)`,
  `trainee_panel_context(user)`, `practice_to_log(user, key=)` (the practice offered as
  pre-filled entries, from every source of institut.practice: attended supervision sessions,
  training days);
- permissions: one function per question (`can_view_entry`, `can_review_entry`, ...);
- cosign_links: the signed, single-use link by which a supervisor without an account co-signs
  a period (`cosign_token`, `cosign_link_open`);
- privacy: `LogbookData`, the provider of personal data (export, erasure) that the app
  registers with institut.privacy.
"""
