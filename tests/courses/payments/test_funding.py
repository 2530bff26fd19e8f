"""Funded enrolments: staff enrol a trainee without Stripe, one by one or from a CSV file."""

from __future__ import annotations

import pytest

from courses.models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Funding,
    FundingSource,
    Invoice,
)
from courses.payments.services import fundings
from courses.services import CourseActionRefused
from tests.courses.conftest import build_course, lessons_of
from tests.courses.factories import enrol


def fund_by_employer(actor, trainee, course, **extra):
    return fundings.funded_enrolment_create(
        actor=actor,
        user=trainee,
        course=course,
        source=FundingSource.EMPLOYER,
        payer_name="Ville de Grigny",
        **extra,
    )


def test_it_enrols_a_funded_trainee_with_an_invoice_to_the_payer(
    client, trainee, paid_course, mailoutbox, fund_by_opco
):
    funding = fund_by_opco()

    enrolment = Enrolment.objects.get(user=trainee)
    assert (enrolment.status, enrolment.source) == (EnrolmentStatus.ACTIVE, "funded")
    invoice = Invoice.objects.get()
    assert (invoice.funding, invoice.amount_cents) == (funding, 12000)
    assert (invoice.buyer_name, invoice.buyer_reference) == ("OPCO Santé", "OPCO-2026-118")
    assert invoice.trainee_name == trainee.full_name
    assert "financée par OPCO Santé" in mailoutbox[0].body
    client.force_login(trainee)
    assert "Contenu secret" in client.get(lessons_of(paid_course)[0].url).content.decode()


def test_it_refuses_a_funded_enrolment_by_someone_without_the_permission(
    trainer, trainee, paid_course
):
    with pytest.raises(CourseActionRefused):
        fund_by_employer(trainer, trainee, paid_course)
    assert not Enrolment.objects.exists()


def test_it_opens_a_pending_enrolment_when_funded(staff, trainee, paid_course, settings):
    enrol(trainee, paid_course, status=EnrolmentStatus.PENDING, source="paid")

    fundings.funded_enrolment_create(
        actor=staff,
        user=trainee,
        course=paid_course,
        source=FundingSource.PUBLIC_BODY,
        payer_name="France Travail",
    )

    assert Enrolment.objects.get().status == EnrolmentStatus.ACTIVE


def csv_file(*lines: str) -> str:
    return "\n".join(["email,course,funding,reference,payer", *lines]) + "\n"


def test_it_lists_every_bad_row_with_its_line_number_in_a_dry_run(
    staff, trainee, other_trainee, trainer, paid_course
):
    text = csv_file(
        f"{trainee.email},{paid_course.slug},opco,R1,OPCO Santé",
        f"inconnu@example.org,{paid_course.slug},employer,R2,Mairie",
        f"{other_trainee.email},pas-une-formation,employer,R3,Mairie",
        f"{trainer.email},{paid_course.slug},loterie,R4,",
        f"{trainee.email},{paid_course.pk},employer,R5,Mairie",
    )

    report = fundings.funding_csv_import(actor=staff, text=text, dry_run=True)

    lines = dict(report.errors)
    assert sorted(lines) == [3, 4, 5, 6]
    assert "inconnu@example.org" in lines[3]
    assert "pas-une-formation" in lines[4]
    assert "loterie" in lines[5] and "stagiaire" in lines[5] and "payeur" in lines[5]
    assert "ligne 2" in lines[6]
    assert not Enrolment.objects.exists()


def test_it_imports_nothing_when_one_row_is_bad(staff, trainee, other_trainee, paid_course):
    text = csv_file(
        f"{trainee.email},{paid_course.slug},opco,R1,OPCO Santé",
        f"{other_trainee.email},{paid_course.slug},inconnu,R2,Mairie",
    )

    report = fundings.funding_csv_import(actor=staff, text=text, dry_run=False)

    assert [line for line, _message in report.errors] == [3]
    assert report.created == 0
    assert not Enrolment.objects.exists()
    assert not Funding.objects.exists()
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("course", ["²", "9" * 30, "0"])
def test_it_reports_a_course_number_that_is_not_one(staff, trainee, paid_course, course):
    text = csv_file(f"{trainee.email},{course},institut,,")

    report = fundings.funding_csv_import(actor=staff, text=text, dry_run=False)

    assert [line for line, _message in report.errors] == [2]
    assert course in report.errors[0][1]
    assert not Enrolment.objects.exists()


def test_it_imports_a_clean_file_in_one_go(staff, trainee, other_trainee, paid_course):
    text = csv_file(
        f"{trainee.email},{paid_course.slug},Opérateur de compétences (OPCO),R1,OPCO Santé",
        f"{other_trainee.email},{paid_course.pk},institut,,",
    )

    dry = fundings.funding_csv_import(actor=staff, text=text, dry_run=True)
    assert (dry.errors, len(dry.rows), Enrolment.objects.count()) == ([], 2, 0)
    report = fundings.funding_csv_import(actor=staff, text=text, dry_run=False)

    assert report.created == 2
    assert Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE).count() == 2
    sources = set(Funding.objects.values_list("source", flat=True))
    assert sources == {FundingSource.TRAINING_FUND, FundingSource.INSTITUT}


def test_it_reports_missing_columns(staff):
    report = fundings.funding_csv_import(
        actor=staff, text="email,course\nx@example.org,y\n", dry_run=True
    )

    assert report.errors[0][0] == 1
    assert "funding" in report.errors[0][1]


def test_it_refuses_to_fund_a_trainee_who_already_has_access(staff, trainee, paid_course):
    fund_by_employer(staff, trainee, paid_course)

    with pytest.raises(CourseActionRefused):
        fund_by_employer(staff, trainee, paid_course)
    assert Funding.objects.count() == 1
    assert Invoice.objects.count() == 1


@pytest.fixture
def advanced_course(catalogue, paid_course):
    return build_course(
        catalogue, title="Approfondir", lessons=1, price_cents=30000, prerequisites=[paid_course]
    )


def test_it_refuses_to_fund_a_trainee_who_has_not_completed_the_prerequisites(
    staff, trainee, advanced_course
):
    with pytest.raises(CourseActionRefused, match="terminez d'abord la formation « Conflits"):
        fund_by_employer(staff, trainee, advanced_course)
    assert not Enrolment.objects.exists()
    assert not Funding.objects.exists()


def test_it_records_who_waived_the_prerequisites_and_why(staff, trainee, advanced_course):
    fund_by_employer(
        staff,
        trainee,
        advanced_course,
        prerequisites_waived_reason="Formée à la méthode par l'Institut en 2019.",
    )

    enrolment = Enrolment.objects.get(user=trainee)
    assert enrolment.status == EnrolmentStatus.ACTIVE
    event = EnrolmentEvent.objects.get(enrolment=enrolment)
    assert event.actor == staff
    assert "prerequisites waived: Formée à la méthode par l'Institut en 2019." in event.reason


def test_it_reports_a_csv_line_whose_trainee_lacks_the_prerequisites(
    staff, trainee, advanced_course
):
    text = csv_file(f"{trainee.email},{advanced_course.slug},employer,R1,Mairie")

    report = fundings.funding_csv_import(actor=staff, text=text, dry_run=True)

    assert [line for line, _message in report.errors] == [2]
    assert "« Conflits constructifs »" in report.errors[0][1]


def test_it_reads_a_file_separated_by_semicolons_as_a_french_spreadsheet_writes_it(
    staff, trainee, paid_course
):
    text = (
        "email;course;funding;reference;payer\n"
        f"{trainee.email};{paid_course.slug};opco;R1;OPCO Santé, Lyon\n"
    )

    report = fundings.funding_csv_import(actor=staff, text=text, dry_run=True)

    assert report.errors == []
    [row] = report.rows
    assert (row.user, row.payer_name) == (trainee, "OPCO Santé, Lyon")
