"""Every transition of a practice entry, allowed and refused, with its audit row."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from institut.roles import Role
from supervision.logbook import services
from supervision.logbook.models import LockedEntryError, PracticeEntry, PracticeEntryEvent
from tests.factories import UserFactory
from tests.supervision.logbook.helpers import (
    assign,
    days_ago,
    entry_data,
    make_entry,
    supervised,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("supervised"), pytest.mark.calendar]


def events(entry) -> list[tuple]:
    return list(
        PracticeEntryEvent.objects.filter(entry=entry)
        .order_by("pk")
        .values_list("action", "from_status", "to_status", "actor_id")
    )


def test_it_creates_a_draft_with_its_steps_and_an_audit_row(trainee):
    entry = make_entry(trainee)
    assert entry.status == PracticeEntry.Status.DRAFT
    assert entry.step_codes == ["confiance", "sous_groupes"]
    assert events(entry) == [("create", "", "draft", trainee.pk)]


def test_it_submits_a_draft(trainee):
    entry = services.practice_entry_submit(entry=make_entry(trainee), actor=trainee)
    assert entry.status == "submitted"
    assert entry.submitted_at is not None
    assert events(entry)[-1] == ("submit", "draft", "submitted", trainee.pk)


def test_it_returns_a_submitted_entry_with_the_comment(trainee, trainer):
    entry = make_entry(trainee, "submitted")
    services.practice_entry_return(entry=entry, reviewer=trainer, comment="Précisez le cadre.")
    entry.refresh_from_db()
    assert entry.status == "returned"
    event = PracticeEntryEvent.objects.filter(entry=entry).last()
    assert (event.action, event.from_status, event.to_status) == ("return", "submitted", "returned")
    assert event.actor == trainer
    assert event.comment == "Précisez le cadre."


def test_it_requires_a_comment_to_return_an_entry(trainee, trainer):
    entry = make_entry(trainee, "submitted")
    with pytest.raises(ValidationError):
        services.practice_entry_return(entry=entry, reviewer=trainer, comment="   ")
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_it_lets_the_trainee_fix_and_resubmit_a_returned_entry(trainee, trainer):
    entry = make_entry(trainee, "returned", reviewer=trainer)
    entry = services.practice_entry_update(
        entry=entry, actor=trainee, **entry_data(duration_minutes=90, steps=["contrat"])
    )
    entry = services.practice_entry_submit(entry=entry, actor=trainee)
    assert entry.status == "submitted"
    assert entry.duration_minutes == 90
    assert [row[0] for row in events(entry)] == ["create", "submit", "return", "edit", "submit"]


def test_it_approves_a_submitted_entry(trainee, trainer):
    entry = make_entry(trainee, "approved", reviewer=trainer)
    assert entry.status == "approved"
    assert entry.reviewed_by == trainer
    assert events(entry)[-1] == ("approve", "submitted", "approved", trainer.pk)


def test_it_refuses_to_approve_a_draft(trainee, trainer):
    entry = make_entry(trainee)
    with pytest.raises(services.TransitionError):
        services.practice_entry_approve(entry=entry, reviewer=trainer)
    assert PracticeEntry.objects.get().status == "draft"


def test_it_refuses_to_return_a_draft(trainee, trainer):
    with pytest.raises(services.TransitionError):
        services.practice_entry_return(entry=make_entry(trainee), reviewer=trainer, comment="x")


def test_it_refuses_to_approve_twice(trainee, trainer):
    entry = make_entry(trainee, "approved", reviewer=trainer)
    with pytest.raises(services.TransitionError):
        services.practice_entry_approve(entry=entry, reviewer=trainer)
    assert PracticeEntryEvent.objects.filter(entry=entry, action="approve").count() == 1


def test_it_refuses_to_resubmit_an_approved_entry(trainee, trainer):
    entry = make_entry(trainee, "approved", reviewer=trainer)
    with pytest.raises(services.TransitionError):
        services.practice_entry_submit(entry=entry, actor=trainee)
    assert PracticeEntry.objects.get().status == "approved"


def test_it_refuses_to_submit_a_submitted_entry_again(trainee):
    entry = make_entry(trainee, "submitted")
    with pytest.raises(services.TransitionError):
        services.practice_entry_submit(entry=entry, actor=trainee)


def test_it_refuses_to_edit_an_approved_entry_in_the_service(trainee, trainer):
    entry = make_entry(trainee, "approved", reviewer=trainer)
    with pytest.raises(PermissionDenied):
        services.practice_entry_update(entry=entry, actor=trainee, **entry_data(group_size=3))
    assert PracticeEntry.objects.get().group_size == 12


def test_it_refuses_to_edit_a_submitted_entry(trainee):
    entry = make_entry(trainee, "submitted")
    with pytest.raises(PermissionDenied):
        services.practice_entry_update(entry=entry, actor=trainee, **entry_data(group_size=3))


def test_it_refuses_to_save_or_delete_an_approved_entry_in_the_model(trainee, trainer):
    entry = make_entry(trainee, "approved", reviewer=trainer)
    entry.group_size = 3
    with pytest.raises(LockedEntryError):
        entry.save()
    with pytest.raises(LockedEntryError):
        entry.delete()
    with pytest.raises(LockedEntryError):
        PracticeEntry.objects.filter(pk=entry.pk).update(group_size=3)
    with pytest.raises(LockedEntryError):
        PracticeEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(LockedEntryError):
        entry.steps.first().delete()
    assert PracticeEntry.objects.get().group_size == 12


def test_it_refuses_a_supervisor_approving_their_own_entry(trainee):
    both = UserFactory(roles=[Role.TRAINEE, Role.TRAINER])
    assign(both, UserFactory(roles=[Role.TRAINER]))
    entry = make_entry(both, "submitted")
    with pytest.raises(PermissionDenied):
        services.practice_entry_approve(entry=entry, reviewer=both)
    assert PracticeEntry.objects.get(pk=entry.pk).status == "submitted"


def test_it_refuses_a_trainer_who_is_not_assigned(trainee, other_trainer):
    entry = make_entry(trainee, "submitted")
    with pytest.raises(PermissionDenied):
        services.practice_entry_approve(entry=entry, reviewer=other_trainer)
    with pytest.raises(PermissionDenied):
        services.practice_entry_return(entry=entry, reviewer=other_trainer, comment="Non.")
    assert PracticeEntry.objects.get().status == "submitted"


def test_it_refuses_the_trainee_approving_their_own_entry(trainee):
    entry = make_entry(trainee, "submitted")
    with pytest.raises(PermissionDenied):
        services.practice_entry_approve(entry=entry, reviewer=trainee)


def test_it_refuses_someone_else_submitting_a_draft(trainee, other_trainee):
    with pytest.raises(PermissionDenied):
        services.practice_entry_submit(entry=make_entry(trainee), actor=other_trainee)


def test_it_refuses_a_logbook_to_a_non_trainee(trainer):
    with pytest.raises(PermissionDenied):
        services.practice_entry_create(trainee=trainer, **entry_data())
    assert not PracticeEntry.objects.exists()


def test_it_corrects_an_approved_entry_with_a_new_entry(trainee, trainer):
    original = make_entry(trainee, "approved", reviewer=trainer)
    correction = services.practice_entry_correct(
        entry=original, actor=trainee, **entry_data(duration_minutes=60)
    )
    assert correction.corrects == original
    assert correction.status == "draft"
    original.refresh_from_db()
    assert original.status == "approved"
    assert original.duration_minutes == 120


def test_it_refuses_to_correct_an_entry_twice(trainee, trainer):
    original = make_entry(trainee, "approved", reviewer=trainer)
    services.practice_entry_correct(entry=original, actor=trainee, **entry_data())
    with pytest.raises(PermissionDenied):
        services.practice_entry_correct(entry=original, actor=trainee, **entry_data())


def test_it_refuses_to_correct_an_entry_not_yet_approved(trainee):
    with pytest.raises(PermissionDenied):
        services.practice_entry_correct(
            entry=make_entry(trainee, "submitted"), actor=trainee, **entry_data()
        )


def test_it_refuses_another_trainee_correcting_an_entry(trainee, trainer, other_trainee):
    original = make_entry(trainee, "approved", reviewer=trainer)
    with pytest.raises(PermissionDenied):
        services.practice_entry_correct(entry=original, actor=other_trainee, **entry_data())


def test_it_bulk_approves_each_entry_with_its_own_audit_row(trainee, trainer, other_trainee):
    mine = [make_entry(trainee, "submitted", date=days_ago(n)) for n in range(1, 4)]
    foreign = make_entry(other_trainee, "submitted")
    approved, refused = services.practice_entry_bulk_approve(
        entries=[*mine, foreign], reviewer=trainer
    )
    assert len(approved) == 3
    assert refused == [foreign]
    assert PracticeEntryEvent.objects.filter(action="approve", actor=trainer).count() == 3
    assert PracticeEntry.objects.get(pk=foreign.pk).status == "submitted"


@pytest.mark.parametrize(
    "overrides",
    [
        {"date": days_ago(-1)},
        {"duration_minutes": 0},
        {"duration_minutes": 13 * 60},
        {"steps": []},
        {"steps": ["empathie"]},
        {"description": "Avec la directrice (claire.m@ecole.fr), réunion d'équipe."},
        {"description": "Rappeler le référent au 06 12 34 56 78 pour la suite."},
    ],
)
def test_it_refuses_bad_input_in_the_service_and_writes_nothing(trainee, overrides):
    with pytest.raises(ValidationError):
        services.practice_entry_create(trainee=trainee, **entry_data(**overrides))
    assert not PracticeEntry.objects.exists()
    assert not PracticeEntryEvent.objects.exists()


def test_it_never_changes_or_deletes_an_audit_row(trainee):
    event = PracticeEntryEvent.objects.get(entry=make_entry(trainee))
    event.comment = "réécrit"
    with pytest.raises(LockedEntryError):
        event.save()
    with pytest.raises(LockedEntryError):
        event.delete()
    with pytest.raises(LockedEntryError):
        PracticeEntryEvent.objects.update(comment="réécrit")
    with pytest.raises(LockedEntryError):
        PracticeEntryEvent.objects.all().delete()
    assert PracticeEntryEvent.objects.get().comment == ""
