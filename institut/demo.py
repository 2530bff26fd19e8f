"""Demo accounts: one per role, with a verified e-mail and, for the roles that certify or
publish (trainers, committee, editors, staff), a known TOTP secret."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from institut.models import User
from institut.roles import Role, requires_mfa

DEMO_PASSWORD = "demo-tst-2026"
# Base32 secret of the demo staff accounts' authenticator: add it to any TOTP app (demo only).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_ACCOUNTS = [
    # e-mail, full name, roles, staff, superuser
    ("stagiaire@demo.institut.test", "Camille Martin", [Role.TRAINEE], False, False),
    ("formatrice@demo.institut.test", "Hélène Duprè", [Role.TRAINER], False, False),
    ("commission@demo.institut.test", "Jérôme Lefèvre", [Role.COMMITTEE], False, False),
    ("redaction@demo.institut.test", "Anaïs Roux", [Role.EDITOR], False, False),
    ("admin@demo.institut.test", "Équipe technique", [], True, True),
]


def ensure_user(
    email: str, full_name: str, roles: list[Role], *, staff: bool = False, superuser: bool = False
) -> User:
    """Get or create a demo user with a verified address, the demo password and these roles."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "is_staff": staff,
            "is_superuser": superuser,
            # The demo's logbooks go back months: their accounts are older still.
            "date_joined": timezone.now() - timedelta(days=730),
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    for role in roles:
        user.groups.add(Group.objects.get(name=role.value))
    if requires_mfa(user):
        # Trainers, the committee, editors and staff sign in with the demo secret's codes.
        ensure_totp(user)
    return user


def ensure_totp(user: User) -> None:
    """The demo authenticator (DEMO_TOTP_SECRET), for an account that certifies or publishes."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


@transaction.atomic
def create_accounts() -> dict[str, User]:
    """The demo cast, keyed by role name ("trainee", "trainer", ...)."""
    cast = {}
    for email, name, roles, staff, superuser in DEMO_ACCOUNTS:
        user = ensure_user(email, name, roles, staff=staff, superuser=superuser)
        key = roles[0].name.lower() if roles else "admin"
        cast[key] = user
    return cast
