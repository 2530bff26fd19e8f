"""Helpers that lock rows for their caller refuse to run outside a transaction, where
`select_for_update()` would lock nothing."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from certification.audits.services import _locked_audit
from certification.credentials.services import status_bits_apply
from courses.payments.services.webhooks import _payment_lock
from courses.services import enrolment_for_update, enrolment_lock
from courses.training import services as training
from institut.locks import require_atomic
from supervision import services as supervision
from supervision.logbook.services import _locked

LOCKING_HELPERS = {
    "_locked": lambda: _locked(None),
    "_lock_session": lambda: training._lock_session(None),
    "_promote_waitlist (training)": lambda: training._promote_waitlist(None, actor=None),
    "_promote_waitlist (supervision)": lambda: supervision._promote_waitlist(None, actor=None),
    "_lock_slot": lambda: training._lock_slot(None),
    "_payment_lock": lambda: _payment_lock(payment_id=1),
    "enrolment_for_update": lambda: enrolment_for_update(user=None, course=None),
    "enrolment_lock": lambda: enrolment_lock(user=None, course_key=None),
    "status_bits_apply": lambda: status_bits_apply(certificate=None),
    "_locked_audit": lambda: _locked_audit(None),
}


# Not wrapped in the test's own transaction: the helpers run in autocommit, as a caller that
# forgot transaction.atomic would run them.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("call", LOCKING_HELPERS.values(), ids=LOCKING_HELPERS.keys())
def test_it_refuses_to_lock_outside_a_transaction(call):
    with pytest.raises(TransactionManagementError, match=r"inside transaction\.atomic\(\)"):
        call()


@pytest.mark.django_db(transaction=True)
def test_it_lets_a_lock_be_taken_inside_a_transaction():
    with transaction.atomic():
        require_atomic("a helper")
        assert _payment_lock(payment_id=1) is None  # no such payment: nothing locked, no error
