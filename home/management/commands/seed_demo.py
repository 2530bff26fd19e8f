"""Load the demo content: site, accounts, and each app's demo data, in dependency order."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from certification import demo as certification_demo
from certification.audits import demo as audits_demo
from certification.registry import demo as registry_demo
from courses import demo as courses_demo
from courses.training import demo as training_demo
from home import demo as home_demo
from institut import demo as institut_demo
from supervision import demo as supervision_demo
from supervision.logbook import demo as logbook_demo


class Command(BaseCommand):
    help = "Create or complete the demo content. Safe to run again: it changes nothing twice."

    def handle(self, *args, **options):
        # Demo people are not real: what the demo would e-mail them is kept in memory, not sent.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            cast = institut_demo.create_accounts()
            home_demo.create_site()
            for step in self.later_steps():
                step(cast)
        self.stdout.write(self.style.SUCCESS(f"Demo content ready on {settings.SITE_URL}/"))
        self.stdout.write(f"Demo password for every account: {institut_demo.DEMO_PASSWORD}")
        for email, name, roles, _staff, _superuser in institut_demo.DEMO_ACCOUNTS:
            label = ", ".join(role.value for role in roles) or "administrateur·rice"
            self.stdout.write(f"  {email:<34} {name} ({label})")
        email, name = audits_demo.HOLDER
        self.stdout.write(f"  {email:<34} {name} (certified, renewal audit to answer)")
        self.stdout.write(
            "Trainer, committee, editor and staff accounts ask for a TOTP code after the "
            f"password: add the secret {institut_demo.DEMO_TOTP_SECRET} to an authenticator app."
        )

    def later_steps(self):
        """Each app's demo loader, in dependency order; apps add theirs here."""
        return [
            courses_demo.create_demo,
            training_demo.create_demo,
            supervision_demo.create_supervision,
            logbook_demo.create_demo,
            certification_demo.create_demo,
            registry_demo.create_demo,  # after certification's own step
            audits_demo.create_demo,  # after certification's own step
            home_demo.create_legal_pages,
            home_demo.synchronise_english_tree,  # last: every page is translated by then
        ]
