"""Small framework-free helpers, each with its own tests in tests/institut/."""
