import pytest
from django.test import override_settings

from tests.factories import UserFactory

TOKEN = "health-token-for-the-monitoring"


@pytest.fixture
def monitoring(client, settings):
    """A caller with the health token, as the monitoring would be."""
    settings.HEALTH_TOKEN = TOKEN
    client.defaults["HTTP_X_HEALTH_TOKEN"] = TOKEN
    return client


@pytest.mark.django_db
def test_it_answers_200_when_everything_is_up(monitoring):
    response = monitoring.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"


@pytest.mark.django_db
def test_it_answers_503_when_the_broker_is_down(monitoring):
    # Nothing listens on port 1: the broker check must fail, fast.
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = monitoring.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"].startswith("error")
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_it_answers_503_when_the_cache_is_down(monitoring):
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=broken):
        response = monitoring.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error")


@pytest.mark.django_db
def test_it_reports_eager_mode_without_a_broker(monitoring):
    with override_settings(CELERY_BROKER_URL=""):
        response = monitoring.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "eager"


@pytest.mark.django_db
def test_it_reaches_the_real_broker_when_one_is_configured(monitoring):
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        pytest.skip("no CELERY_BROKER_URL: the broker check is exercised against Redis in CI")
    response = monitoring.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


@pytest.mark.django_db
def test_it_tells_an_anonymous_caller_the_overall_status_only(client, settings):
    settings.HEALTH_TOKEN = TOKEN
    up = client.get("/health/")
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        down = client.get("/health/")
    assert (up.status_code, up.json()) == (200, {"status": "ok"})
    assert (down.status_code, down.json()) == (503, {"status": "error"})


@pytest.mark.django_db
def test_it_hides_the_details_from_a_wrong_or_unset_token(client, settings):
    settings.HEALTH_TOKEN = TOKEN
    assert "checks" not in client.get("/health/", HTTP_X_HEALTH_TOKEN="guess").json()
    settings.HEALTH_TOKEN = ""
    assert "checks" not in client.get("/health/", HTTP_X_HEALTH_TOKEN="").json()


@pytest.mark.django_db
def test_it_shows_the_details_to_staff_but_not_to_other_people(client, trainee):
    client.force_login(trainee)
    assert "checks" not in client.get("/health/").json()
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/health/").json()["checks"]["database"] == "ok"
