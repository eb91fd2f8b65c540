"""Local simulators of FranceConnect v2, ProConnect and API Particulier v3, and a demo mailbox.

One package per simulator, each a WSGI app of its own that imports nothing of the service (see
docs/simulateurs.md); the service is pointed at them by URL, exactly as at the real platforms.
"""

from __future__ import annotations

from pathlib import Path

# The simulators' screens, shared: ProConnect's extend FranceConnect's base page.
TEMPLATES = Path(__file__).resolve().parent / "templates"
