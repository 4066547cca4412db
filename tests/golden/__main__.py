"""`python -m tests.golden` (or `make golden`): rebuild tests/golden/expected from tests/golden/catalog."""

import sys

from . import regenerate

sys.exit(regenerate())
