"""Staff see payments and invoices in the Wagtail admin (filters, CSV) and enrol funded trainees."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Enrolment, EnrolmentStatus, FundingSource, Payment
from courses.payments.services import checkout
from tests.courses.conftest import build_course
from tests.courses.payments.stripe_standin import deliver, session_event


@pytest.fixture
def two_payments(client, trainee, other_trainee, paid_course, catalogue, stripe_api):
    other_course = build_course(catalogue, title="Sous-groupes", lessons=1, price_cents=8000)
    paid = checkout.checkout_start(user=trainee, course=paid_course)
    deliver(client, session_event(paid, intent="pi_a"))
    waiting = checkout.checkout_start(user=other_trainee, course=other_course)
    return paid, waiting


def test_it_lists_payments_filtered_by_status_and_course(client, admin_user, two_payments):
    _paid, waiting = two_payments
    client.force_login(admin_user)

    everything = client.get("/admin/formations/paiements/").content.decode()
    only_paid = client.get("/admin/formations/paiements/?status=paid").content.decode()
    by_course = client.get(f"/admin/formations/paiements/?course_key={waiting.course_key}")

    # Rows name the trainee; course titles also appear in the course filter's options.
    assert "Camille Martin" in everything and "Yanis Benali" in everything
    assert "Camille Martin" in only_paid and "Yanis Benali" not in only_paid
    assert "Yanis Benali" in by_course.content.decode()
    assert "Camille Martin" not in by_course.content.decode()


def test_it_filters_payments_by_period(client, admin_user, two_payments):
    client.force_login(admin_user)

    html = client.get(
        "/admin/formations/paiements/?created_from=2001-01-01&created_to=2001-12-31"
    ).content.decode()

    assert "Camille Martin" not in html


def test_it_exports_payments_as_csv(client, admin_user, two_payments):
    client.force_login(admin_user)

    response = client.get("/admin/formations/paiements/?export=csv&status=paid")

    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert "Conflits constructifs" in content
    assert "12000" in content
    assert "Sous-groupes" not in content


def test_it_lists_and_exports_invoices(client, admin_user, two_payments):
    client.force_login(admin_user)

    html = client.get("/admin/formations/factures/").content.decode()
    response = client.get("/admin/formations/factures/?export=csv")

    assert "-000001" in html
    assert "-000001" in b"".join(response.streaming_content).decode()


def test_it_exports_text_that_looks_like_a_formula_as_text(
    client, admin_user, trainee, paid_course, stripe_api
):
    trainee.full_name = "=cmd|' /C calc'!A0"
    trainee.save()
    deliver(client, session_event(checkout.checkout_start(user=trainee, course=paid_course)))
    client.force_login(admin_user)

    response = client.get("/admin/formations/factures/?export=csv")

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["Client"] for row in rows] == ["'=cmd|' /C calc'!A0"]


def test_it_heads_the_amount_columns_in_the_staff_language(client, admin_user, two_payments):
    client.force_login(admin_user)

    invoices = client.get("/admin/formations/factures/").content.decode()
    payments = client.get("/admin/formations/paiements/").content.decode()

    for html in (invoices, payments):
        assert "Amount display" not in html
        assert "Montant" in html


def test_it_offers_no_way_to_edit_or_delete_a_payment(client, admin_user, two_payments):
    paid, _waiting = two_payments
    client.force_login(admin_user)

    assert client.get(f"/admin/formations/paiements/edit/{paid.pk}/").status_code in (302, 403)
    assert client.post(f"/admin/formations/paiements/delete/{paid.pk}/").status_code in (302, 403)
    assert Payment.objects.filter(pk=paid.pk).exists()


def test_it_hides_the_payments_from_a_trainer(client, trainer, two_payments):
    client.force_login(trainer)  # the trainer has a TOTP authenticator (tests/conftest.py)

    response = client.get("/admin/formations/paiements/")

    assert response.status_code != 200 or "Conflits constructifs" not in response.content.decode()
    # The page that says the admin is for the Institut's team (or 404).
    assert client.get("/admin/formations/inscription-financee/").status_code in (403, 404)


@pytest.mark.parametrize(
    ("address", "title"),
    [
        ("/admin/formations/inscription-financee/", "Inscription financée"),
        ("/admin/formations/inscriptions-financees/import/", "Import d'inscriptions financées"),
        ("/admin/formations/rapport/", "Rapport des formations"),
    ],
)
def test_the_institut_s_own_admin_pages_are_headed_by_their_title_not_home(
    client, admin_user, address, title
):
    client.force_login(admin_user)

    response = client.get(address)

    assert response.status_code == 200
    assert [item["label"] for item in response.context["breadcrumbs_items"]][-1] == title


def test_it_enrols_a_funded_trainee_from_the_admin_form(client, admin_user, trainee, paid_course):
    client.force_login(admin_user)

    response = client.post(
        "/admin/formations/inscription-financee/",
        {
            "email": trainee.email,
            "course": paid_course.pk,
            "source": FundingSource.EMPLOYER,
            "reference": "BC-77",
            "payer_name": "Ville de Grigny",
            "payer_address": "Hôtel de ville",
            "payer_email": "",
            "amount_euros": "",
        },
    )

    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=trainee)
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.invoices.get().buyer_name == "Ville de Grigny"


def test_it_checks_then_imports_a_csv_file_from_the_admin(
    client, admin_user, trainee, other_trainee, paid_course
):
    client.force_login(admin_user)
    bad = (
        "email,course,funding,reference,payer\n"
        f"{trainee.email},{paid_course.slug},opco,R1,OPCO Santé\n"
        f"{other_trainee.email},nulle-part,opco,R2,OPCO Santé\n"
    )

    response = client.post(
        "/admin/formations/inscriptions-financees/import/",
        {"file": SimpleUploadedFile("f.csv", bad.encode()), "action": "import"},
    )

    html = response.content.decode()
    assert "rien n&#x27;a été importé" in html or "rien n'a été importé" in html
    assert "<td>3</td>" in html
    assert not Enrolment.objects.exists()
    good = bad.splitlines()[0] + "\n" + bad.splitlines()[1] + "\n"
    client.post(
        "/admin/formations/inscriptions-financees/import/",
        {"file": SimpleUploadedFile("f.csv", good.encode()), "action": "import"},
    )
    assert Enrolment.objects.get().user == trainee


def test_the_import_tells_how_to_save_a_file_in_utf_8(client, admin_user):
    client.force_login(admin_user)
    latin1 = "email,course,funding,reference,payer\nx@example.org,y,opco,R,Sèvres\n"

    response = client.post(
        "/admin/formations/inscriptions-financees/import/",
        {"file": SimpleUploadedFile("f.csv", latin1.encode("cp1252")), "action": "check"},
    )

    assert response.status_code == 200
    assert "« CSV UTF-8 »" in response.content.decode()


def test_an_invoice_s_page_labels_its_fields_and_writes_its_time_in_paris(client, admin_user, paid):
    import datetime
    import re

    from django.utils import timezone, translation

    from courses.models import Invoice
    from institut.formats import date_text

    invoice = Invoice.objects.get(payment=paid)
    client.force_login(admin_user)

    page = client.get(f"/admin/formations/factures/inspect/{invoice.pk}/").content.decode()

    for english in ("Seller name", "Vat mention", "Course key", "Stripe refund id"):
        assert english not in page
    assert not re.search(r"<dd>\s*None\s*</dd>", page)
    assert "Mention de TVA" in page
    assert "120,00\xa0€" in page
    with translation.override("fr"):
        paris = date_text(timezone.localtime(invoice.issued_at), "DATETIME_FORMAT")
        utc = date_text(invoice.issued_at.astimezone(datetime.UTC), "DATETIME_FORMAT")
    assert paris in page
    assert utc not in page


def test_the_import_check_names_each_funding_as_staff_read_it(
    client, admin_user, trainee, paid_course
):
    client.force_login(admin_user)
    text = (
        "email,course,funding,reference,payer\n" + f"{trainee.email},{paid_course.slug},opco,R,X\n"
    )

    response = client.post(
        "/admin/formations/inscriptions-financees/import/",
        {"file": SimpleUploadedFile("f.csv", text.encode()), "action": "check"},
    )

    html = response.content.decode()
    assert "<td>Opérateur de compétences (OPCO)</td>" in html
    assert "<td>training_fund</td>" not in html
