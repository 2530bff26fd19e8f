import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_it_answers_200_when_everything_is_up(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"


@pytest.mark.django_db
def test_it_answers_503_when_the_broker_is_down(client):
    # Nothing listens on port 1: the broker check must fail, fast.
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"].startswith("error")
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_it_answers_503_when_the_cache_is_down(client):
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=broken):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error")


@pytest.mark.django_db
def test_it_reports_eager_mode_without_a_broker(client):
    with override_settings(CELERY_BROKER_URL=""):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "eager"


@pytest.mark.django_db
def test_it_reaches_the_real_broker_when_one_is_configured(client):
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        pytest.skip("no CELERY_BROKER_URL: the broker check is exercised against Redis in CI")
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"
