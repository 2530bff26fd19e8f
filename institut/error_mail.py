"""Server errors e-mailed to the operators (ADMINS, from DJANGO_ADMINS) in production.

Django's AdminEmailHandler writes the report; the e-mail is owed to the outbox like every other
(EMAIL_BACKEND), so it is retried and listed with them. The report keeps as little personal data
as the reports to Sentry (institut/sentry.py): the exception, its traceback and the path, the
names of the query's and form's fields but not their values, the user's id alone; no request
headers, cookies, settings or server time; every e-mail or IP address left is replaced by a
placeholder. The report is plain text of our own (templates/institut/error_report.txt): what it
leaves out leaves no empty heading behind, and a part of the request with nothing in it is not
named. Without a time or a request's headers, the same error again reads the same, and the
outbox owes one e-mail for it per few minutes (services.REPEAT_WINDOW_SECONDS), not one per hit.
"""

from __future__ import annotations

from pathlib import Path
from tokenize import detect_encoding

from django.conf import settings
from django.utils import log
from django.views.debug import ExceptionReporter

from institut.sentry import FILTERED, scrub_text

REPORTER = "institut.error_mail.PrivateExceptionReporter"

# The parts of the request the report names the fields of, and where Django's report holds them.
REQUEST_SECTIONS = (
    ("GET", "request_GET_items"),
    ("POST", "filtered_POST_items"),
    ("FILES", "request_FILES_items"),
    ("COOKIES", "request_COOKIES_items"),
)


def _names(items) -> list[tuple[str, str]]:
    return [(name, FILTERED) for name, _value in items or ()]


class SourceExceptionReporter(ExceptionReporter):
    """Django's report, whose traceback reads a source file as Python does: UTF-8 unless the
    file says otherwise (Django reads a file it opens itself as ASCII, « é » turned to « �� »)."""

    def _get_source(self, filename, loader, module_name):
        source = super()._get_source(filename, loader, module_name)
        if not source or not isinstance(source[0], bytes):
            return source
        first_lines = iter([line + b"\n" for line in source[:2]])
        try:  # the coding line (PEP 263) or the BOM, else UTF-8 (PEP 3120)
            encoding, _lines = detect_encoding(lambda: next(first_lines, b""))
        except SyntaxError:  # a coding line naming no known encoding: Django's reading
            return source
        # Line by line: the lines stay the file's (str.splitlines would also split at a \f).
        return [line.decode(encoding, "replace") for line in source]


class PrivateExceptionReporter(SourceExceptionReporter):
    """Django's text report of an error, without the request's values, settings or time."""

    @property
    def text_template_path(self) -> Path:
        return Path(settings.BASE_DIR) / "templates" / "institut" / "error_report.txt"

    def get_traceback_data(self) -> dict:
        data = super().get_traceback_data()
        user = getattr(self.request, "user", None)
        for frame in data.get("frames", []):
            frame["exc_cause"] = str(frame["exc_cause"]) if frame.get("exc_cause") else None
            frame["vars"] = []
        sections = {title: _names(data.get(key)) for title, key in REQUEST_SECTIONS}
        data.update(
            settings={},
            server_time=None,
            sys_path=[],
            request_meta={},
            request_insecure_uri=self.request.path if self.request is not None else "",
            user_str=f"id {user.pk}" if getattr(user, "is_authenticated", False) else "",
            request_GET_items=[],
            filtered_POST_items=[],
            request_FILES_items=[],
            request_COOKIES_items=[],
            request_sections=[(title, names) for title, names in sections.items() if names],
        )
        return scrub_text(data)


class AdminEmailHandler(log.AdminEmailHandler):
    """Django's handler with that report, and no address in its subject or first line."""

    def __init__(self, include_html=False, email_backend=None, reporter_class=None):
        super().__init__(include_html=False, reporter_class=reporter_class or REPORTER)

    def send_mail(self, subject, message, *args, **kwargs):
        super().send_mail(scrub_text(subject), scrub_text(message), *args, **kwargs)
