"""``python -m pate`` runs the ``pate`` command."""

import sys

from pate.cli import command

sys.exit(command())
