"""The Institut's platform: project package and site-wide app."""

from institut.celery import app as celery_app

__all__ = ["celery_app"]
