"""View decorators shared by the apps."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from institut.second_factor import policy


def second_factor_required(view):
    """Privileged people (trainers, committee, editors, staff) reach the view only once this
    session completed a second factor; they are sent to set one up, or to prove it, then back.
    Anyone else passes (the view's own checks decide)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and not policy.satisfied(request):
            return policy.challenge(request)
        return view(request, *args, **kwargs)

    return wrapped


def role_required(check, *, mfa: bool = False):
    """Allow the view to people for whom `check(user)` is true; others get 404.

    Anonymous visitors are sent to log in; with `mfa=True`, the view certifies something:
    whoever passes `check` must also have completed a second factor in this session.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(user):
                raise Http404
            if mfa and not policy.completed_in_session(request):
                return policy.challenge(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
