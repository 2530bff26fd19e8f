"""The certification's fixtures (an eligible trainee, a scheme) for the hooks' tests."""

from tests.certification.conftest import (  # noqa: F401
    _module_site,
    charter,
    course,
    eligible,
    home,
    scheme,
    signing_key,
)
