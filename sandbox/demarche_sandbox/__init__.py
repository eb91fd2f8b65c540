"""Local simulators of FranceConnect v2, ProConnect, API Particulier v3 and a demo mailbox, one package each,
importing nothing of the service (docs/simulateurs.md).
"""

from __future__ import annotations

from pathlib import Path

# The simulators' screens, shared: ProConnect's extend FranceConnect's base page.
TEMPLATES = Path(__file__).resolve().parent / "templates"
