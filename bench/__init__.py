"""Load benchmark of the whole citizen journey: `python -m bench --help` (README, « Performances »)."""
