"""axe-core on every key page, in French and in English, as the person who sees it: not one
violation of WCAG 2.1 A/AA (axe's wcag2a, wcag2aa, wcag21a and wcag21aa rules).

axe-core comes from the npm registry at the version of the committed lock file
(`make axe`, which `make test` runs); it is injected into each page after it loaded, so the
browser context bypasses the page's CSP for that one script (the CSP itself is checked by
test_csp_pages.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from wagtail.models import Site

from certification.models import Certificate
from courses.models import CoursePage, LessonPage
from courses.training.demo import NEXT_TITLE, PAST_TITLE
from courses.training.models import TrainingSession
from home.models import ContentPage, InstitutSettings
from supervision.models import Booking
from tests.browser.test_csp_pages import ADMIN, TRAINEE, TRAINER, sign_in

COMMITTEE = "commission@demo.institut.test"
HOLDER = "certifiee@demo.institut.test"  # her renewal audit waits for her evidence
SENT = "fatou.sy@demo.institut.test"  # her evidence waits for the committee's decision

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run `make axe`"),
]

RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def seeded(demo, settings, tmp_path):
    """The whole demo, as `make seed` loads it (courses, training, supervision, certification)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return demo


def violations_on(page, url: str) -> list[str]:
    """axe's violations on the page at `url`, one line each (rule, impact, first target)."""
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", RULES
    )
    return [
        f"{url}: {v['id']} ({v['impact']}) at {v['nodes'][0]['target']} — {v['help']}"
        for v in result["violations"]
    ]


def localised(page_model, translation_key, language: str) -> str | None:
    page = (
        page_model.objects.live()
        .filter(translation_key=translation_key, locale__language_code=language)
        .first()
    )
    return page.url if page is not None else None


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_key_page_has_an_accessibility_violation(page, live_server, seeded, language):
    base = live_server.url
    prefix = "" if language == "fr" else f"/{language}"
    certificate = Certificate.objects.get(holder_name="Elif Çelik")
    number = certificate.number
    holder_certificate = Certificate.objects.filter(holder__email=HOLDER).latest("pk")
    # The trainee's sessions: the autumn one they attended (its days offered to the logbook),
    # the winter one they are placed in.
    past = TrainingSession.objects.get(title=PAST_TITLE)
    upcoming = TrainingSession.objects.get(title=NEXT_TITLE)
    held = Booking.objects.filter(session__trainer__email=TRAINER, status="attended").first()
    lesson_fr = LessonPage.objects.live().get(
        locale__language_code="fr", slug="quand-la-cooperation-se-bloque"
    )
    course_fr = CoursePage.objects.live().get(
        locale__language_code="fr", slug="decouvrir-la-therapie-sociale"
    )
    course = localised(CoursePage, course_fr.translation_key, language) or course_fr.url
    # A course whose page publishes its satisfaction and completion rates (Qualiopi indicator 2).
    rated_fr = CoursePage.objects.live().get(
        locale__language_code="fr", slug="animer-des-espaces-de-conflits-constructifs"
    )
    rated = localised(CoursePage, rated_fr.translation_key, language) or rated_fr.url
    lesson = localised(LessonPage, lesson_fr.translation_key, language) or lesson_fr.url
    # The legal notice, privacy policy and terms of sale the demo chooses (footer links).
    details = InstitutSettings.for_site(Site.objects.get(is_default_site=True))
    legal = [
        localised(ContentPage, chosen.translation_key, language) or chosen.url
        for chosen in (
            details.legal_notice_page,
            details.privacy_policy_page,
            details.terms_of_sale_page,
        )
    ]

    # Who visits (None: a visitor), and the pages they see.
    visits = [
        (
            None,
            [
                f"{prefix}/",
                course,
                rated,
                f"{prefix}/registre/",
                f"{prefix}/registre/?q=gaetan%20moreu",  # no exact match: the near matches
                f"{prefix}/registre/verifier/{number}/",
                f"{prefix}/registre/verifier/fichier/",
                f"{prefix}/comptes/login/",
                f"{prefix}/comptes/signup/",
                *legal,
            ],
        ),
        (
            TRAINEE,
            [
                lesson,
                f"{prefix}/espace/",
                f"{prefix}/carnet-de-pratique/",
                f"{prefix}/carnet-de-pratique/nouvelle-entree/",
                f"{prefix}/carnet-de-pratique/periodes/cloturer/",
                f"{prefix}/espace/factures/",
                f"{prefix}/certification/",
                f"{prefix}/espace/sessions/",
                f"{prefix}/sessions-de-formation/{past.pk}/",
                f"{prefix}/sessions-de-formation/{upcoming.pk}/",
            ],
        ),
        (
            TRAINER,
            [
                f"{prefix}/espace/",
                f"{prefix}/supervision/",
                f"{prefix}/supervision/carnets/",
                f"{prefix}/supervision/carnets/stagiaires/",
                f"{prefix}/supervision/seances/{held.session_id}/",
                f"{prefix}/formation/sessions/",
                f"{prefix}/formation/sessions/{upcoming.pk}/",
                f"{prefix}/formation/sessions/{past.pk}/satisfaction/",
                f"{prefix}/certification/avis/",
            ],
        ),
        (
            COMMITTEE,
            [
                f"{prefix}/certification/commission/",
                f"{prefix}/certification/commission/certificats/",
                f"{prefix}/certification/commission/certificats/{certificate.pk}/",
                f"{prefix}/certification/commission/audits/",
            ],
        ),
        (
            HOLDER,
            [
                f"{prefix}/espace/",
                f"{prefix}/certification/certificats/{holder_certificate.number}/",
                f"{prefix}/certification/",
            ],
        ),
        (SENT, [f"{prefix}/espace/", f"{prefix}/certification/"]),
        (ADMIN, [f"{prefix}/formation/bpf/"]),
    ]
    found: list[str] = []
    for person, paths in visits:
        if person is not None:
            sign_in(page, base, person)
        for path in paths:
            found += violations_on(page, base + path)

    assert found == [], "\n".join(found)
