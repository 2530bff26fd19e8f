import pytest
from django.utils import timezone

from certification.audits import services as audits
from certification.models import RenewalAudit
from tests.certification.audits.test_audits import renewed_last_month


@pytest.fixture
def audit(scheme):
    """The one audit of last month's one renewal, drawn today."""
    renewed_last_month(1, scheme)
    scheme.renewal_audit_percent = 100
    scheme.save()
    audits.audit_draw(month=audits.previous_month(timezone.localdate()))
    return RenewalAudit.objects.select_related("certificate__holder").get()
