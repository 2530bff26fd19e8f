"""View decorators shared by the apps."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from institut.middleware import mfa_setup_redirect
from institut.roles import has_mfa


def role_required(check, *, mfa: bool = False):
    """Allow the view to people for whom `check(user)` is true; others get 404.

    Anonymous visitors are sent to log in; with `mfa=True`, people without a second factor
    are sent to set one up first (committee actions).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(user):
                raise Http404
            if mfa and not has_mfa(user):
                return mfa_setup_redirect(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
