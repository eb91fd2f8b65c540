"""The simulator stands alone: importing its entry point loads nothing of the service."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_entry_point_loads_no_service_module():
    code = ("import json, sys\n"
            "from demarche_sandbox.impot_particulier import create_app\n"
            "create_app({'IP_SIM_TEST_CONTROLS': '1'})\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('demarche'))))\n")
    command = [sys.executable, "-c", code]  # our own interpreter and code
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=60)  # noqa: S603
    loaded = json.loads(result.stdout)
    assert "demarche_sandbox.impot_particulier.app" in loaded
    outside = [m for m in loaded if m == "demarche" or m.startswith("demarche.")]
    assert outside == []  # nothing of the service
    own = "demarche_sandbox.impot_particulier"
    shared = ("demarche_sandbox.defaults", "demarche_sandbox.controls")  # the demo's wiring, the /_sim/ controls
    others = [m for m in loaded if m.startswith("demarche_sandbox.") and not m.startswith(own) and m not in shared]
    assert others == []  # nor the internals of the other simulators
