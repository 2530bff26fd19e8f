"""Staff pages: the evidence pack of a session (built in the background) and the BPF figures."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from courses.payments.services.fundings import funded_enrolment_create
from courses.training import selectors
from courses.training.models import EvidencePack
from tests.courses.training.conftest import make_session, place, slots
from tests.courses.training.helpers import pdf_text, run_session

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


@pytest.fixture
def held(
    session,
    course,
    trainee,
    other_trainee,
    third_trainee,
    trainer,
    staff,
    django_capture_on_commit_callbacks,
):
    """A closed session: Camille free, Yanis funded by an OPCO (with an invoice), Inès by
    her employer; Inès is absent on the last afternoon."""
    funded_enrolment_create(
        actor=staff,
        user=other_trainee,
        course=course,
        source="training_fund",
        payer_name="OPCO Cohésion sociale",
        reference="OPCO-118",
        amount_cents=90000,
    )
    funded_enrolment_create(
        actor=staff,
        user=third_trainee,
        course=course,
        source="employer",
        payer_name="Ville de Montreuil",
        amount_cents=0,
    )
    placements = [
        place(session, person, course) for person in (trainee, other_trainee, third_trainee)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        run_session(
            session,
            trainer,
            {
                placements[0]: ("present", 0),
                placements[1]: ("present", 0),
                placements[2]: lambda i: ("absent", 0) if i == 5 else ("present", 0),
            },
        )
    return session


def test_staff_build_the_evidence_pack_and_download_it(
    client, held, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    url = reverse("courses:training_pack", args=[held.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    pack = EvidencePack.objects.get()
    assert (pack.status, pack.progress) == ("ready", 100)
    page = client.get(url).content.decode()
    assert "Télécharger le dossier (ZIP)" in page
    download = client.get(reverse("courses:training_pack_download", args=[held.pk, pack.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert "01-programme.pdf" in names
    assert "02-convocations/convocations.csv" in names
    sheets = sorted(n for n in names if n.startswith("03-emargement/"))
    first_day = slots(held)[0].date.isoformat()
    assert len(sheets) == 6
    assert sheets[:2] == [
        f"03-emargement/{first_day}-1-matin.pdf",
        f"03-emargement/{first_day}-2-apres-midi.pdf",
    ]
    assert len([n for n in names if n.startswith("04-certificats/")]) == 3
    assert {"05-satisfaction/a-chaud.csv", "05-satisfaction/a-froid.csv", "06-heures.csv"} <= set(
        names
    )
    assert any(n.startswith("07-factures/F-") for n in names)
    assert "07-factures/financements.csv" in names
    hours = list(
        csv.reader(io.StringIO(archive.read("06-heures.csv").decode("utf-8-sig")), delimiter=";")
    )
    # Half-days in ISO 8601 (a spreadsheet sorts them; no day-first « 05/03/2026 »).
    assert hours[0][5] == f"{held.slots.order_by('starts_at')[0].date.isoformat()} matin"
    by_name = {row[0]: row for row in hours[1:]}
    assert by_name["Inès Lambert"][4] == "17,50"
    assert by_name["Camille Martin"][4] == "21,00"
    sheet = pdf_text(archive.read(sorted(n for n in names if n.startswith("03-"))[0]))
    assert "Camille Martin" in sheet and "Yanis Benali" in sheet
    convocations = archive.read("02-convocations/convocations.csv").decode("utf-8-sig")
    assert convocations.count("Convocation") >= 3
    rows = list(csv.reader(io.StringIO(convocations), delimiter=";"))
    assert rows[0][3] == "Envoyée le"
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row[3]) for row in rows[1:])


def test_the_evidence_pack_downloads_under_a_name_in_the_page_s_language(
    client, held, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("courses:training_pack", args=[held.pk]))
    url = reverse("courses:training_pack_download", args=[held.pk, EvidencePack.objects.get().pk])

    french = client.get(url)["Content-Disposition"]
    english = client.get(f"/en{url}")["Content-Disposition"]

    assert f'filename="dossier-preuves-session-{held.pk}.zip"' in french
    assert f'filename="evidence-pack-session-{held.pk}.zip"' in english


def test_a_trainer_cannot_ask_for_the_evidence_pack(client, held, trainer):
    client.force_login(trainer)
    assert client.get(reverse("courses:training_pack", args=[held.pk])).status_code == 404
    assert client.post(reverse("courses:training_pack", args=[held.pk])).status_code == 404


def test_the_bpf_counts_trainees_and_hours_of_a_known_year_by_funder(
    client, held, staff, course, trainer
):
    year = slots(held)[0].date.year
    figures = selectors.bpf_figures(year)
    assert figures["trainees"] == 3
    assert figures["hours"] == Decimal("59.50")  # 21 + 21 + 17.5
    by_funder = {row["key"]: (row["trainees"], row["hours"]) for row in figures["by_funder"]}
    assert by_funder["opco"] == (1, Decimal("21.00"))
    assert by_funder["employer"] == (1, Decimal("17.50"))
    assert by_funder["institut"] == (1, Decimal("21.00"))
    assert by_funder["individual"] == (0, Decimal("0.00"))
    assert {row["key"]: row["trainees"] for row in figures["by_mode"]} == {
        "in_person": 3,
        "remote": 0,
    }
    assert selectors.bpf_figures(year - 1)["trainees"] == 0
    client.force_login(staff)
    page = client.get(reverse("courses:training_bpf") + f"?annee={year}").content.decode()
    assert "59 h 30" in page  # hours as every page writes them (institut.formats.duration)
    rows = client.get(
        reverse("courses:training_bpf") + f"?annee={year}&format=csv"
    ).content.decode()
    assert "Opérateurs de compétences (OPCO);1;21,00" in rows  # a French spreadsheet's comma
    client.force_login(trainer)
    assert client.get(reverse("courses:training_bpf")).status_code == 404


def test_the_bpf_page_writes_every_hour_figure_one_way_in_each_language(client, held, staff):
    year = slots(held)[0].date.year
    client.force_login(staff)
    url = reverse("courses:training_bpf") + f"?annee={year}"

    for prefix, total, whole, half in (
        ("", "59 h 30", "21 h", "17 h 30"),
        ("/en", "59 h 30 min", "21 h", "17 h 30 min"),
    ):
        page = client.get(prefix + url).content.decode()
        cells = re.findall(r'data-label="[^"]*">([^<]*)</td>', page)
        assert total in page
        assert whole in cells and half in cells
        # No decimal hours left beside hours and minutes ("59.50", "21,00", "17,5").
        assert not re.search(r"<(?:dd|td)[^>]*>\d+[.,]\d+</", page)


def test_the_english_bpf_csv_writes_hours_with_a_decimal_point(client, held, staff):
    year = slots(held)[0].date.year
    client.force_login(staff)

    content = client.get(
        "/en" + reverse("courses:training_bpf") + f"?annee={year}&format=csv"
    ).content.decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[1][1:] == ["3", "59.50"]
    assert ["1", "17.50"] in [row[1:] for row in rows[2:]]


@pytest.mark.parametrize(
    ("language", "hours_file", "fundings_file", "hours", "amount"),
    [
        ("fr", "06-heures.csv", "07-factures/financements.csv", "17,50", "900,00"),
        ("en", "06-hours.csv", "07-invoices/fundings.csv", "17.50", "900.00"),
    ],
)
def test_the_evidence_pack_writes_numbers_as_its_language_s_spreadsheets_read_them(
    client,
    held,
    staff,
    django_capture_on_commit_callbacks,
    language,
    hours_file,
    fundings_file,
    hours,
    amount,
):
    client.force_login(staff)
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("courses:training_pack", args=[held.pk]))
    pack = EvidencePack.objects.get()
    download = client.get(reverse("courses:training_pack_download", args=[held.pk, pack.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))

    def sheet(name):
        text = archive.read(name).decode("utf-8-sig")
        return {row[0]: row for row in csv.reader(io.StringIO(text), delimiter=";")}

    assert sheet(hours_file)["Inès Lambert"][4] == hours
    assert sheet(fundings_file)["Yanis Benali"][4] == amount


def test_an_unsigned_or_cancelled_session_adds_nothing_to_the_bpf(course, trainer, trainee):
    session = make_session(course, trainer, days_ahead=5)
    place(session, trainee, course)
    year = slots(session)[0].date.year
    assert selectors.bpf_figures(year)["trainees"] == 0


def test_the_satisfaction_questions_list_says_yes_or_no_for_asked(client, staff):
    from courses.training.models import SatisfactionQuestion

    SatisfactionQuestion.objects.update(is_active=True)
    SatisfactionQuestion.objects.create(kind="hot", text="Question retirée", is_active=False)
    client.force_login(staff)

    page = client.get("/admin/training_satisfaction_questions/").content.decode()

    assert "Question retirée" in page
    assert ">True<" not in page and ">False<" not in page
    assert re.search(r"<td[^>]*>\s*non\s*</td>", page)


@pytest.mark.parametrize(
    ("language", "names"),
    [
        (
            "fr",
            {
                "00-sommaire.txt",
                "01-programme.pdf",
                "02-convocations/convocations.csv",
                "03-emargement/{day}-1-matin.pdf",
                "03-emargement/{day}-2-apres-midi.pdf",
                "05-satisfaction/a-chaud.csv",
                "05-satisfaction/a-froid.csv",
                "06-heures.csv",
                "07-factures/financements.csv",
            },
        ),
        (
            "en",
            {
                "00-contents.txt",
                "01-programme.pdf",
                "02-convocations/convocations.csv",
                "03-attendance-sheets/{day}-1-morning.pdf",
                "03-attendance-sheets/{day}-2-afternoon.pdf",
                "05-satisfaction/hot.csv",
                "05-satisfaction/cold.csv",
                "06-hours.csv",
                "07-invoices/fundings.csv",
            },
        ),
    ],
)
def test_the_evidence_pack_s_files_are_named_in_the_language_of_its_page(
    client, held, staff, django_capture_on_commit_callbacks, language, names
):
    client.force_login(staff)
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("courses:training_pack", args=[held.pk]))
    pack = EvidencePack.objects.get()
    with translation.override(language):
        download = client.get(reverse("courses:training_pack_download", args=[held.pk, pack.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))

    day = slots(held)[0].date.isoformat()
    assert {name.format(day=day) for name in names} <= set(archive.namelist())
    folders = {name.split("/")[0] for name in archive.namelist() if "/" in name}
    assert {"04-certificats", "04-certificates"} & folders == {
        "04-certificats" if language == "fr" else "04-certificates"
    }


def test_the_bpf_csv_reads_like_the_page_its_year_and_tables_named(client, held, staff):
    # One table, yet an auditor sees which rows are funders and which are formats, and the
    # year of the figures, as on the page; formats written « En présentiel », capitalised.
    year = slots(held)[0].date.year
    client.force_login(staff)

    content = client.get(
        reverse("courses:training_bpf") + f"?annee={year}&format=csv"
    ).content.decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0] == [f"Bilan pédagogique et financier {year}", "Stagiaires", "Heures-stagiaires"]
    assert rows[1] == ["Total", "3", "59,50"]
    assert ["Financeur", "Stagiaires", "Heures-stagiaires"] in rows
    assert ["Modalité", "Stagiaires", "Heures-stagiaires"] in rows
    assert ["En présentiel", "3", "59,50"] in rows
    modes = rows.index(["Modalité", "Stagiaires", "Heures-stagiaires"])
    assert rows.index(["Financeur", "Stagiaires", "Heures-stagiaires"]) < modes
    assert rows[modes - 1] == []
