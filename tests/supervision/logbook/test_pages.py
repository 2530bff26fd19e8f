"""The logbook pages: forms, review, queue, and who may see what (404 for everyone else)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from supervision.logbook import services
from supervision.logbook.models import PracticeEntry, PracticeEntryEvent
from tests.supervision.logbook.helpers import (
    days_ago,
    form_post,
    make_entry,
    supervised,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("supervised"), pytest.mark.calendar]


# A saved edit reads the entry and its last return comment in one query (the comment is shown
# only on the form, never after a save): 21 before, when the comment was a query of its own.
EDIT_SAVE_QUERIES = 20


def url(name: str, *args) -> str:
    return reverse(f"supervision:{name}", args=args)


# --- The trainee's forms ----------------------------------------------------------------------


def test_it_titles_an_entry_by_the_day_it_took_place_in_english(client, trainee):
    """In English an entry reads "Intervention on 3 December 2026", not "Intervention of"."""
    entry = make_entry(trainee)
    client.force_login(trainee)
    with translation.override("en"):
        html = client.get(url("logbook_entry_detail", entry.pk)).content.decode()
    assert "<h1>Intervention on " in html
    assert "Intervention of " not in html


def test_it_shows_the_trainee_their_logbook(client, trainee):
    make_entry(trainee)
    client.force_login(trainee)
    response = client.get(url("logbook_home"))
    assert response.status_code == 200
    assert "Mon carnet de pratique" in response.content.decode()


def test_it_creates_a_draft_from_the_form(client, trainee):
    client.force_login(trainee)
    response = client.post(url("logbook_entry_create"), form_post(hours="1", minutes="30"))
    entry = PracticeEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("logbook_entry_detail", entry.pk)
    assert (entry.trainee, entry.duration_minutes, entry.status) == (trainee, 90, "draft")
    assert entry.step_codes == ["confiance", "sous_groupes"]


def test_it_creates_and_submits_from_the_form(client, trainee):
    client.force_login(trainee)
    client.post(url("logbook_entry_create"), {**form_post(), "submit": ""})
    assert PracticeEntry.objects.get().status == "submitted"


def test_it_says_in_the_form_that_descriptions_must_not_identify_anyone(client, trainee):
    client.force_login(trainee)
    body = client.get(url("logbook_entry_create")).content.decode()
    assert "permette d&#x27;identifier une personne" in body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": days_ago(-1).isoformat()}, "date", "futur"),
        ({"hours": "0", "minutes": "0"}, "hours", "entre 15 minutes et 12 heures"),
        ({"hours": "13"}, "hours", "12"),
        ({"hours": "12", "minutes": "15"}, "hours", "entre 15 minutes et 12 heures"),
        ({"steps": None}, "steps", "au moins une étape"),
        ({"steps": ["empathie"]}, "steps", "empathie"),
        ({"description": "Écrire à paul.durand@mairie.fr"}, "description", "adresse e-mail"),
        ({"description": "Joindre le 06.12.34.56.78 demain"}, "description", "téléphone"),
        ({"description": "Appel au +33 6 12 34 56 78"}, "description", "téléphone"),
        ({"reflection": "Contact : a.b@c.org"}, "reflection", "adresse e-mail"),
    ],
)
def test_it_gives_a_form_error_on_bad_input_and_writes_nothing(
    client, trainee, overrides, field, message
):
    client.force_login(trainee)
    response = client.post(url("logbook_entry_create"), form_post(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert not PracticeEntry.objects.exists()
    assert not PracticeEntryEvent.objects.exists()


def test_it_names_the_duration_once_in_the_error_summary(client, trainee):
    from html import unescape

    client.force_login(trainee)
    response = client.post(url("logbook_entry_create"), form_post(hours="0", minutes="0"))

    page = unescape(response.content.decode())
    assert "Durée (heures) : La durée doit être comprise entre 15 minutes et 12 heures." in page
    assert "Durée : heures :" not in page


def test_it_offers_the_setting_and_role_with_a_capital_as_the_entry_shows_them(client, trainee):
    client.force_login(trainee)

    html = client.get(url("logbook_entry_create")).content.decode()

    assert ">Quartier</option>" in html
    assert "Animation principale</label>" in html


def test_it_asks_for_at_least_one_participant_in_words(client, trainee):
    client.force_login(trainee)

    response = client.post(url("logbook_entry_create"), form_post(group_size="0"))

    assert response.context["form"].errors["group_size"] == ["Indiquez au moins 1 participant·e."]


def test_it_says_the_duration_range_in_words_when_the_hours_are_too_many(client, trainee):
    from html import unescape

    client.force_login(trainee)

    french = unescape(
        client.post(url("logbook_entry_create"), form_post(hours="13")).content.decode()
    )
    english = unescape(
        client.post("/en" + url("logbook_entry_create"), form_post(hours="13")).content.decode()
    )

    assert "La durée doit être comprise entre 15 minutes et 12 heures." in french
    assert "Assurez-vous" not in french
    assert "The duration must be between 15 minutes and 12 hours." in english
    assert "Ensure this value" not in english
    assert not PracticeEntry.objects.exists()


def test_it_asks_for_the_role_in_words(client, trainee):
    from html import unescape

    client.force_login(trainee)

    french = unescape(
        client.post(url("logbook_entry_create"), form_post(role=None)).content.decode()
    )
    english = unescape(
        client.post("/en" + url("logbook_entry_create"), form_post(role=None)).content.decode()
    )

    assert "Choisissez votre rôle dans l'intervention." in french
    assert "Champ requis" not in french
    assert "Choose your role in the intervention." in english
    assert "This field is required" not in english
    assert not PracticeEntry.objects.exists()


def test_it_lets_the_trainee_edit_a_returned_entry_and_shows_the_comment(client, trainee, trainer):
    entry = make_entry(trainee, "returned", reviewer=trainer)
    client.force_login(trainee)
    page = client.get(url("logbook_entry_edit", entry.pk)).content.decode()
    assert "À revoir." in page
    response = client.post(url("logbook_entry_edit", entry.pk), {**form_post(), "submit": ""})
    assert response.status_code == 302
    assert PracticeEntry.objects.get().status == "submitted"


def test_it_shows_why_a_returned_entry_came_back_above_its_buttons(client, trainee, trainer):
    entry = make_entry(trainee, "returned", reviewer=trainer)
    client.force_login(trainee)

    page = client.get(url("logbook_entry_detail", entry.pk)).content.decode()

    # Read before resubmitting, not only at the foot of the history.
    assert "Commentaire de votre superviseur·e :" in page
    assert page.index("À revoir.") < page.index("Soumettre pour relecture")


def test_it_joins_each_history_line_with_the_language_s_separator(client, trainee, trainer):
    entry = make_entry(trainee, "returned", reviewer=trainer)
    client.force_login(trainee)

    page = client.get("/en" + url("logbook_entry_detail", entry.pk)).content.decode()

    assert f"{trainer.full_name}:" in page
    assert f"{trainer.full_name} :" not in page


def test_it_shows_only_the_latest_return_comment_when_editing(client, trainee, trainer):
    entry = make_entry(trainee, "returned", reviewer=trainer)
    services.practice_entry_submit(entry=entry, actor=trainee)
    services.practice_entry_return(entry=entry, reviewer=trainer, comment="Précisez le cadre.")
    client.force_login(trainee)
    page = client.get(url("logbook_entry_edit", entry.pk)).content.decode()
    assert "Précisez le cadre." in page
    assert "À revoir." not in page


def test_it_saves_an_edit_without_a_query_for_the_return_comment(
    client, trainee, trainer, django_assert_max_num_queries
):
    entry = make_entry(trainee, "returned", reviewer=trainer)
    client.force_login(trainee)
    client.get(url("logbook_entry_edit", entry.pk))  # warm caches (site settings)
    with django_assert_max_num_queries(EDIT_SAVE_QUERIES):
        response = client.post(url("logbook_entry_edit", entry.pk), form_post(group_size="9"))
    assert response.status_code == 302
    assert PracticeEntry.objects.get().group_size == 9


def test_it_answers_404_to_editing_an_approved_entry(client, trainee, trainer):
    entry = make_entry(trainee, "approved", reviewer=trainer)
    client.force_login(trainee)
    assert client.get(url("logbook_entry_edit", entry.pk)).status_code == 404
    response = client.post(url("logbook_entry_edit", entry.pk), form_post(group_size="3"))
    assert response.status_code == 404
    assert client.post(url("logbook_entry_submit", entry.pk)).status_code == 404
    assert PracticeEntry.objects.get().group_size == 12


def test_it_creates_a_correction_from_the_form(client, trainee, trainer):
    entry = make_entry(trainee, "approved", reviewer=trainer)
    client.force_login(trainee)
    response = client.post(url("logbook_entry_correct", entry.pk), form_post(hours="1"))
    correction = PracticeEntry.objects.exclude(pk=entry.pk).get()
    assert response["Location"] == url("logbook_entry_detail", correction.pk)
    assert correction.corrects == entry
    assert correction.duration_minutes == 60


# --- Review -----------------------------------------------------------------------------------


def test_it_lets_the_supervisor_approve_from_the_entry_page(client, trainee, trainer):
    entry = make_entry(trainee, "submitted")
    client.force_login(trainer)
    assert "Relecture" in client.get(url("logbook_entry_detail", entry.pk)).content.decode()
    response = client.post(url("logbook_entry_review", entry.pk), {"decision": "approve"})
    assert response.status_code == 302
    assert PracticeEntry.objects.get().status == "approved"


def test_it_requires_a_comment_to_return_from_the_entry_page(client, trainee, trainer):
    entry = make_entry(trainee, "submitted")
    client.force_login(trainer)
    response = client.post(url("logbook_entry_review", entry.pk), {"decision": "return"})
    assert response.status_code == 400
    assert "comment" in response.context["review_form"].errors
    assert PracticeEntry.objects.get().status == "submitted"


def test_it_says_which_choice_to_make_when_no_decision_was_chosen(client, trainee, trainer):
    entry = make_entry(trainee, "submitted")
    client.force_login(trainer)
    french = client.post(url("logbook_entry_review", entry.pk), {"comment": ""})
    english = client.post("/en" + url("logbook_entry_review", entry.pk), {"comment": ""})
    french_page = french.content.decode()
    assert french.status_code == 400
    assert "Choisissez « Approuver » ou « Renvoyer à la ou au stagiaire »." in french_page
    assert "Champ requis" not in french_page
    assert "Choose “Approve” or “Return to the trainee”." in english.content.decode()
    assert PracticeEntry.objects.get().status == "submitted"


def test_it_returns_with_a_comment_from_the_entry_page(client, trainee, trainer):
    entry = make_entry(trainee, "submitted")
    client.force_login(trainer)
    client.post(
        url("logbook_entry_review", entry.pk),
        {"decision": "return", "comment": "Quel était le rôle de chacun ?"},
    )
    assert PracticeEntry.objects.get().status == "returned"
    assert PracticeEntryEvent.objects.get(action="return").comment == (
        "Quel était le rôle de chacun ?"
    )


def test_it_lists_the_queue_oldest_first(client, trainee, trainer, other_trainee):
    first = make_entry(trainee, "submitted", date=days_ago(10))
    second = make_entry(trainee, "submitted", date=days_ago(20))
    make_entry(trainee)  # a draft is not in the queue
    make_entry(other_trainee, "submitted")  # another supervisor's trainee
    client.force_login(trainer)
    response = client.get(url("logbook_queue"))
    assert [entry.pk for entry in response.context["entries"]] == [first.pk, second.pk]


def test_it_bulk_approves_from_the_queue(client, trainee, trainer):
    entries = [make_entry(trainee, "submitted", date=days_ago(n)) for n in (1, 2, 3)]
    client.force_login(trainer)
    response = client.post(url("logbook_queue"), {"entries": [e.pk for e in entries[:2]]})
    assert response.status_code == 302
    assert list(PracticeEntry.objects.order_by("-date").values_list("status", flat=True)) == [
        "approved",
        "approved",
        "submitted",
    ]
    assert PracticeEntryEvent.objects.filter(action="approve", actor=trainer).count() == 2


@pytest.mark.parametrize(
    ("language", "count", "said"),
    [
        ("en", 1, "1 entry approved."),
        ("en", 2, "2 entries approved."),
        ("fr", 1, "1 entrée approuvée."),
        ("fr", 2, "2 entrées approuvées."),
    ],
)
def test_the_bulk_approval_says_how_many_in_words_not_with_a_parenthesised_s(
    client, trainee, trainer, language, count, said
):
    """« 1 entry approved. », « 2 entries approved. »: never « entry(ies) » or « entrée(s) »."""
    entries = [make_entry(trainee, "submitted", date=days_ago(n)) for n in range(1, count + 1)]
    client.force_login(trainer)
    with translation.override(language):
        response = client.post(
            url("logbook_queue"), {"entries": [e.pk for e in entries]}, follow=True
        )
    html = response.content.decode()
    assert said in html
    assert "(ies)" not in html and "(s)" not in html


def test_it_refuses_bulk_approving_another_supervisors_entries(client, trainer, other_trainee):
    entry = make_entry(other_trainee, "submitted")
    client.force_login(trainer)
    response = client.post(url("logbook_queue"), {"entries": [entry.pk]})
    assert response.status_code == 200
    assert "entries" in response.context["form"].errors
    assert PracticeEntry.objects.get().status == "submitted"


def test_it_shows_the_supervisor_a_trainees_logbook_with_totals(client, trainee, trainer):
    make_entry(trainee, "approved", reviewer=trainer, duration_minutes=150)
    client.force_login(trainer)
    response = client.get(url("logbook_trainee", trainee.pk))
    assert response.status_code == 200
    assert response.context["totals"]["total_minutes"] == 150
    assert "2 h 30" in response.content.decode()


def test_it_lists_the_supervisors_trainees_only(client, trainee, trainer, other_trainee):
    client.force_login(trainer)
    people = client.get(url("logbook_trainees")).context["people"]
    assert [person.pk for person in people] == [trainee.pk]


# --- Who sees what ----------------------------------------------------------------------------


def test_it_answers_404_to_another_trainee(client, trainee, other_trainee):
    entry = make_entry(trainee, "submitted")
    client.force_login(other_trainee)
    assert client.get(url("logbook_entry_detail", entry.pk)).status_code == 404
    assert client.get(url("logbook_entry_edit", entry.pk)).status_code == 404
    assert client.get(url("logbook_trainee", trainee.pk)).status_code == 404


def test_it_answers_404_to_another_supervisor(client, trainee, other_trainer):
    entry = make_entry(trainee, "submitted")
    client.force_login(other_trainer)
    assert client.get(url("logbook_entry_detail", entry.pk)).status_code == 404
    response = client.post(url("logbook_entry_review", entry.pk), {"decision": "approve"})
    assert response.status_code == 404
    assert client.get(url("logbook_trainee", trainee.pk)).status_code == 404
    assert PracticeEntry.objects.get().status == "submitted"


def test_it_shows_the_committee_everything_read_only(client, trainee, committee_member):
    entry = make_entry(trainee, "submitted")
    client.force_login(committee_member)
    page = client.get(url("logbook_entry_detail", entry.pk))
    assert page.status_code == 200
    assert page.context["can_review"] is False
    assert client.get(url("logbook_trainee", trainee.pk)).status_code == 200
    assert trainee in client.get(url("logbook_trainees")).context["people"]
    response = client.post(url("logbook_entry_review", entry.pk), {"decision": "approve"})
    assert response.status_code == 404
    assert client.get(url("logbook_entry_edit", entry.pk)).status_code == 404
    assert PracticeEntry.objects.get().status == "submitted"


def test_it_answers_404_to_people_without_a_role(client, trainee):
    from tests.factories import UserFactory

    entry = make_entry(trainee)
    client.force_login(UserFactory())
    for address in (
        url("logbook_home"),
        url("logbook_entry_create"),
        url("logbook_entry_detail", entry.pk),
        url("logbook_queue"),
        url("logbook_trainees"),
        url("logbook_trainee", trainee.pk),
    ):
        assert client.get(address).status_code == 404, address


def test_it_sends_anonymous_visitors_to_log_in(client, trainee):
    entry = make_entry(trainee)
    response = client.get(url("logbook_entry_detail", entry.pk))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_it_answers_404_to_a_trainee_on_the_queue(client, trainee):
    client.force_login(trainee)
    assert client.get(url("logbook_queue")).status_code == 404


def test_it_shows_the_logbook_panel_in_the_trainees_space(client, trainee, trainer):
    make_entry(trainee, "approved", reviewer=trainer, duration_minutes=75)
    client.force_login(trainee)
    response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Carnet de pratique" in body
    assert "1 h 15" in body


def test_it_links_the_review_queue_from_the_supervisors_menu(client, trainer):
    client.force_login(trainer)
    body = client.get(url("logbook_trainees")).content.decode()
    # The queue is the current section of the navigation bar on its sub-pages.
    queue_link = f'href="{url("logbook_queue")}" aria-current="page">Carnets de pratique à relire<'
    assert queue_link in body


def test_it_shows_the_count_of_entries_awaiting_review_on_the_queue(client, trainee, trainer):
    make_entry(trainee, "submitted", date=days_ago(1))
    make_entry(trainee, "submitted", date=days_ago(2))
    client.force_login(trainer)
    body = client.get(url("logbook_queue")).content.decode()
    assert "2 entrées attendent votre relecture" in body


def test_it_asks_committee_members_for_a_second_factor_first(
    client, trainee, committee_member_without_mfa
):
    entry = make_entry(trainee, "submitted")
    client.force_login(committee_member_without_mfa)
    for address in (url("logbook_entry_detail", entry.pk), url("logbook_trainees")):
        response = client.get(address)
        assert response.status_code == 302
        assert reverse("second_factor_setup") in response["Location"]


def test_it_names_the_trainees_supervisors_or_warns_there_is_none(
    client, trainee, trainer, other_trainee
):
    from supervision.models import SupervisorAssignment

    client.force_login(trainee)
    assert trainer.full_name in client.get(url("logbook_home")).content.decode()
    SupervisorAssignment.objects.filter(trainee=other_trainee).delete()
    client.force_login(other_trainee)
    assert "aucun·e superviseur·e" in client.get(url("logbook_home")).content.decode()


def test_it_serves_the_logbook_under_the_english_prefix(client, trainee):
    client.force_login(trainee)
    try:
        response = client.get("/en/carnet-de-pratique/")
    finally:
        translation.activate(settings.LANGUAGE_CODE)  # the request left English active
    assert response.status_code == 200
    assert response.context["LANGUAGE_CODE"] == "en"


def test_it_marks_what_the_trainee_and_supervisor_wrote_as_french_on_the_english_page(
    client, trainee, trainer
):
    """A screen reader reads the French description and comment with French pronunciation."""
    entry = make_entry(trainee, "returned", reviewer=trainer)
    detail, edit = url("logbook_entry_detail", entry.pk), url("logbook_entry_edit", entry.pk)
    client.force_login(trainee)

    english = client.get("/en" + detail).content.decode()
    french = client.get(detail).content.decode()
    form = client.get("/en" + edit).content.decode()

    assert f'<dd lang="fr">{entry.description}' in english
    assert '<p lang="fr">À revoir.</p>' in english
    assert '<blockquote lang="fr">À revoir.</blockquote>' in english
    assert '<p lang="fr">À revoir.</p>' in form
    assert 'lang="fr"' not in french.split("<main", 1)[1]


def test_it_marks_the_french_summaries_of_the_queue_on_the_english_page(client, trainee, trainer):
    make_entry(trainee, "submitted")
    queue = url("logbook_queue")
    client.force_login(trainer)

    english = client.get("/en" + queue).content.decode()
    french = client.get(queue).content.decode()

    assert '<span class="help" lang="fr">Atelier en sous-groupes' in english
    assert '<span class="help">Atelier en sous-groupes' in french
