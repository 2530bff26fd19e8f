"""Signals the supervision app sends; other apps (certification) connect to them.

attendance_recorded: sent after the transaction that wrote attendance records commits, with
`records` (a list of SupervisionRecord) and `trainee_ids` (whose supervision hours changed).
"""

from django.dispatch import Signal

attendance_recorded = Signal()
