"""The platform harnesses of tests/adapters, for the fault tests that drive them."""

from tests.adapters.line.conftest import line
from tests.adapters.slack.conftest import _clean_env, fake, make_harness

__all__ = ["_clean_env", "fake", "line", "make_harness"]
