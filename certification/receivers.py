"""Writes of the certification app that change what the signed-in pages keep
(institut.person_cache): a person's charter acceptances, and the rules (scheme, charter)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save


def _rules_changed(sender, **kwargs) -> None:
    from institut import person_cache

    person_cache.forget_rules()


def connect() -> None:
    from certification.models import CertificationScheme, CharterAcceptance, CharterVersion
    from institut import person_cache

    person_cache.forget_records_on_save(CharterAcceptance, "user_id")
    for model in (CertificationScheme, CharterVersion):
        for signal in (post_save, post_delete):
            signal.connect(
                _rules_changed,
                sender=model,
                dispatch_uid=f"person-rules-{model._meta.label}-{signal is post_save}",
            )
