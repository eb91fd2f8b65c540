"""The shape of demarche/ (docs/architecture.md) cannot drift: import-linter's contracts in pyproject.toml hold,
and they do fail when a feature imports the back-office or a layer imports one above it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def lint(root: Path) -> subprocess.CompletedProcess:
    """import-linter on the `demarche` package found first in `root`, with its pyproject.toml's contracts."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
    return subprocess.run([sys.executable, "-c", code], cwd=root, env={"PYTHONPATH": str(root)},  # noqa: S603
                          capture_output=True, text=True, timeout=120)


def test_the_contracts_hold():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the package and its contracts, to break on purpose."""
    shutil.copytree(ROOT / "demarche", tmp_path / "demarche", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("dossiers/drift.py", "from demarche.backoffice import views", "The back-office is optional"),
    ("messages/drift.py", "from demarche.backoffice import services", "The back-office is optional"),
    ("tasks/drift.py", "from demarche import mail", "Layers"),
    ("api/drift.py", "from demarche.corrections import services", "never import each other"),
    ("journey/drift.py", "import demarche.journey.views", "No import circle"),
])
def test_a_drift_breaks_a_contract(copy: Path, module: str, line: str, broken: str):
    (copy / "demarche" / module).write_text(f'"""Drift."""\n\n{line}\n')
    if module == "journey/drift.py":  # and views imports it back: a circle inside the package
        views = copy / "demarche" / "journey" / "views.py"
        anchor = "from __future__ import annotations\n"
        views.write_text(views.read_text().replace(anchor, f"{anchor}\nimport demarche.journey.drift\n", 1))
    result = lint(copy)
    assert result.returncode == 1
    assert broken in result.stdout.split("Broken contracts")[1]


def test_every_feature_is_a_package_plugged_in_with_init_app_alone():
    import inspect

    from demarche.app import FEATURES

    for feature in FEATURES:
        infrastructure = feature.__name__ == "demarche.ratelimit"  # shared by the pages it limits
        assert hasattr(feature, "__path__") or infrastructure, f"{feature.__name__} is a module, not a package"
        assert list(inspect.signature(feature.init_app).parameters) == ["app"], feature.__name__


def test_no_module_at_the_package_root_belongs_to_a_feature():
    from demarche.app import FEATURES

    features = {feature.__name__.rsplit(".", 1)[1] for feature in FEATURES}
    root = {path.stem for path in (ROOT / "demarche").glob("*.py")}
    assert root & features == {"ratelimit"}  # infrastructure plugged in like a feature
    # The feature modules that lived at the root before issue 17 now live in their feature's package.
    moved = {"pages", "my_data", "transparency", "coulisses", "statuses", "retention"}
    assert not root & moved
