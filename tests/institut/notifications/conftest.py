"""The certification's fixtures (an eligible trainee, a scheme) for the hooks' tests."""

from tests.certification.conftest import (  # noqa: F401
    charter,
    course,
    eligible,
    scheme,
    signing_key,
)
