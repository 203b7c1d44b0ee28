"""Root test configuration, for every collected path (tests/, pate/, docs/, README.md).

matplotlib draws headless (Agg) in every test and doctest: set before any
test imports matplotlib, and forced so that a desktop MPLBACKEND in the
environment never opens windows during the test run.
"""

import os

os.environ["MPLBACKEND"] = "Agg"
