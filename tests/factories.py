"""Shared factories: people with their roles."""

from __future__ import annotations

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.utils import timezone

from institut.models import User
from institut.roles import Role

PASSWORD = "correct-horse-battery-staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the demo accounts' authenticator secret


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified e-mail address; pass roles=[Role.TRAINER] for roles, and
    second_factor=True for a TOTP authenticator (as trainers, staff and the committee need)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)
    # Joined long ago: a logbook entry may not be dated before its trainee's account.
    date_joined = factory.LazyFunction(lambda: timezone.now() - timedelta(days=730))

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                self.groups.add(Group.objects.get(name=Role(role).value))

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        if create and extracted:
            TOTP.activate(self, TOTP_SECRET)
