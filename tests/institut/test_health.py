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
        from institut.celery import app

        app.conf.broker_url = "redis://127.0.0.1:1/0"
        try:
            response = client.get("/health/")
        finally:
            from django.conf import settings

            app.conf.broker_url = settings.CELERY_BROKER_URL or None
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
