"""Test settings: the production settings plus the development tools (tools/).

The tests cover the demo, the archive seeding and the benchmark helpers, which live in tools/;
DJANGO_DEV_TOOLS is set in the environment so that the servers and commands the tests start
in subprocesses load them too.
"""

import os

os.environ.setdefault("DJANGO_DEV_TOOLS", "1")

from actualites.settings import *  # noqa: E402, F403
