"""What libraries send with Django's mail API (Wagtail's moderation notices, the admin's password
reset) goes through the outbox too: a row in the sender's transaction, sent once, retried."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowTask

from institut.outbox.email_backend import KIND
from institut.outbox.models import EmailStatus, OutboxEmail
from institut.outbox.services import emails_send_due
from institut.outbox.tasks import send_email
from tests.factories import UserFactory
from tests.institut.outbox.test_outbox import RefusingBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    user = UserFactory(full_name="Lou Relecture")
    group = Group.objects.create(name="Relecture")
    user.groups.add(group)
    return user


@pytest.fixture
def workflow(moderator):
    task = GroupApprovalTask.objects.create(name="Relecture")
    task.groups.set(moderator.groups.all())
    workflow = Workflow.objects.create(name="Relecture avant publication")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


@pytest.fixture
def draft_page(db):
    """A page with a draft to submit for moderation."""
    page = Page.get_first_root_node().add_child(instance=Page(title="À relire", slug="a-relire"))
    page.save_revision()
    return page


def test_a_submission_for_moderation_is_one_row_sent_once(
    workflow, draft_page, editor, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.start(draft_page, editor)

    email = OutboxEmail.objects.get()
    assert (email.kind, email.to_user, email.status) == (KIND, moderator, EmailStatus.SENT)
    assert send_email.delay(email.pk).get() is False  # the task run again sends nothing
    assert emails_send_due() == 0
    (message,) = mail.outbox
    assert message.to == [moderator.email]
    assert "À relire" in message.subject
    assert message.extra_headers["Message-ID"] == email.message_id
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_a_failing_send_is_retried_not_lost(
    workflow, draft_page, editor, moderator, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_EMAIL_BACKEND = f"{RefusingBackend.__module__}.RefusingBackend"
    start = timezone.now()
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        workflow.start(draft_page, editor)

    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == (EmailStatus.QUEUED, 1)
    assert "SMTPServerDisconnected" in email.last_error
    assert mail.outbox == []

    settings.OUTBOX_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(start + timedelta(seconds=settings.OUTBOX_RETRY_SECONDS), tick=False):
        assert emails_send_due() == 1
        assert emails_send_due() == 0
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)
    assert [m.to for m in mail.outbox] == [[moderator.email]]


def test_a_submission_that_rolls_back_owes_nothing(
    workflow, draft_page, editor, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.start(draft_page, editor)
        raise RuntimeError("the submission fails after its notice was written")

    assert not OutboxEmail.objects.exists()
    assert emails_send_due() == 0
    assert mail.outbox == []


def test_the_admin_resets_no_password_of_its_own(client, editor):
    """One way to reset a password, allauth's (rate-limited, through the outbox too)."""
    response = client.post("/admin/password_reset/", {"email": editor.email})

    assert response.status_code == 404
    assert not OutboxEmail.objects.exists()


def test_a_message_to_several_people_is_one_row_each_as_it_was_written():
    message = EmailMultiAlternatives(
        subject="Compte rendu",
        body="Le texte.",
        from_email="Comité <comite@example.org>",
        to=["une@example.org", "deux@example.org"],
        cc=["trois@example.org"],
        reply_to=["secretariat@example.org"],
        headers={"X-Origine": "test"},
    )
    message.attach_alternative("<p>Le <strong>texte</strong>.</p>", "text/html")
    message.attach("note.txt", "Une note.", "text/plain")

    assert message.send() == 1
    assert OutboxEmail.objects.filter(kind=KIND).count() == 3
    assert emails_send_due() == 3
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"une@example.org", "deux@example.org", "trois@example.org"}
    one = sent["une@example.org"]
    assert (one.from_email, one.reply_to, one.body) == (
        "Comité <comite@example.org>",
        ["secretariat@example.org"],
        "Le texte.",
    )
    assert one.extra_headers["X-Origine"] == "test"
    assert "<strong>texte</strong>" in one.alternatives[0][0]
    assert one.attachments[0][:2] == ("note.txt", "Une note.")
