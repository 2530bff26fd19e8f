"""The registry's demo data: every case can be seen, and loading it twice changes nothing."""

from __future__ import annotations

from datetime import timedelta

from certification.models import Certificate, CertificateStatus
from certification.registry import demo as registry_demo
from certification.registry.models import RegistryProfile
from certification.registry.selectors import registry_certificates
from institut import demo as institut_demo


def test_it_creates_practitioners_in_every_case_once(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cast = institut_demo.create_accounts()

    registry_demo.create_demo(cast)
    registry_demo.create_demo(cast)

    assert Certificate.objects.count() == len(registry_demo.PRACTITIONERS) >= 30
    assert registry_certificates().count() >= 25
    assert registry_certificates(query="celik").get().holder_name == "Elif Çelik"
    assert registry_certificates(query="odegaard").exists()
    statuses = set(Certificate.objects.values_list("status", flat=True))
    assert statuses == set(CertificateStatus.values)
    assert RegistryProfile.objects.filter(listed=False).count() == 2
    assert RegistryProfile.objects.filter(contact_enabled=True).exists()


def test_it_sorts_the_demo_registry_by_family_name(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    registry_demo.create_demo(institut_demo.create_accounts())

    names = [c.holder_name for c in registry_certificates()]

    assert names[:3] == ["Fatima Anli", "Bénédicte Aubé", "Anaïs Benoît"]
    assert names.index("Loïc Le Bihan") == names.index("Zoé Lefèvre") - 1


def test_it_records_expiries_as_the_daily_run_does(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    registry_demo.create_demo(institut_demo.create_accounts())

    expired = Certificate.objects.filter(status=CertificateStatus.EXPIRED)
    assert expired.exists()
    for certificate in expired:
        event = certificate.events.get(to_status=CertificateStatus.EXPIRED)
        assert (event.reason_code, event.actor_id) == ("expired", None)
        assert event.effective_on == certificate.valid_until + timedelta(days=1)
