"""Requirement: the import contracts hold, and a deliberate violation of each one is caught by lint-imports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

PACKAGES = [
    "pension_engine",
    "minasidor",
    "minasidor.core",
    "minasidor.conf",
    "minasidor.security",
    "minasidor.ui",
    "minasidor.audit",
    "minasidor.identity",
    "minasidor.identity.contrib",
    "minasidor.identity.contrib.bankid",
    "minasidor.identity.contrib.bankid.rp",
    "minasidor.registers",
    "minasidor.minpension",
    "minasidor.pension_data",
    "minasidor.pensions",
    "minasidor.privacy",
    "minasidor.housing",
    "minasidor.temporary_access",
    "minasidor.applications",
    "minasidor.cases",
    "minasidor.casehandling",
    "minasidor.personal_code",
    "minasidor.staff",
    "minasidor.console",
    "minasidor.personal_code",
    "minasidor.signing",
    "backoffice",
    "backoffice.register",
    "backoffice.casework",
    "backoffice.casework.tests",
    "backoffice.api",
    "backoffice.api.tests",
    "backoffice.statements",
    "backoffice.statements.tests",
    "backoffice.synthetic",
    "backoffice.notices",
    "backoffice.notices.tests",
    "simulators",
    "simulators.mail",
    "kernel",
]
# The imports the contracts allow, so that the clean miniature shows them passing: the portal's doorway to
# the back office, and within the back office synthetic → statement run → register, the API → casework →
# register, with the tests of the API, of casework and of the statement run using the synthetic people, and
# the notices' tests driving a simulator.
ALLOWED_IMPORTS = {
    "minasidor.registers.client": "backoffice.models",
    "backoffice.register.models": "",
    "backoffice.register.services": "backoffice.register.models",
    "backoffice.statements.run": "backoffice.register.models",
    "backoffice.synthetic.seed": "backoffice.statements.run",
    "backoffice.api.views": "backoffice.casework.services",
    "backoffice.casework.services": "backoffice.register.services",
    "backoffice.casework.tests.test_services": "backoffice.synthetic.seed",
    "backoffice.api.tests.test_api": "backoffice.synthetic.seed",
    "backoffice.statements.tests.test_run": "backoffice.synthetic.seed",
    "backoffice.notices.tests.test_dispatch": "simulators.mail",
    "minasidor.signing.documents": "",
    "minasidor.signing.bankid_evidence": "",
    "minasidor.signing.seal": "",
    "minasidor.signing.development_seal": "",
    "minasidor.signing.sigservice": "",
}
# Modules a contract names one by one, or a violation below imports: the miniature has them (empty).
MODULES = ["minasidor.urls", "minasidor.identity.views", "minasidor.pensions.views", "minasidor.staff.sites"]
# The doorways to outside systems: protocol, client, codec, errors, contract tests; never a page.
DOORWAYS = ["minasidor/registers", "minasidor/minpension", "minasidor/identity/contrib/bankid/rp"]


def _named_in_contracts() -> set[str]:
    """Every module the contracts name (as a source, a forbidden module, an independent module or a layer):
    the miniature has each, so that a room added to a contract needs no line here."""
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    named: set[str] = set()
    for contract in config["tool"]["importlinter"]["contracts"]:
        for key in ("source_modules", "forbidden_modules", "modules", "layers", "containers"):
            named.update(name for name in contract.get(key, []) if name.split(".")[0] in {"minasidor", "backoffice"})
    return named


def _lint(source_root: Path, config: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(source_root)}
    return subprocess.run(  # noqa: S603 - our own linter on our own config
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        cwd=source_root,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def _tree(tmp_path: Path, violation: tuple[str, str] | None) -> Path:
    """A miniature copy of the project's package layout, optionally with one forbidden import."""
    for package in sorted(set(PACKAGES) | _named_in_contracts()):
        folder = tmp_path.joinpath(*package.split("."))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("")
    for module in MODULES:
        tmp_path.joinpath(*module.split(".")).with_suffix(".py").write_text("")
    (tmp_path / "backoffice" / "models.py").write_text("")
    for module, imported in ALLOWED_IMPORTS.items():
        tmp_path.joinpath(*module.split(".")).with_suffix(".py").write_text(f"import {imported}\n" if imported else "")
    if violation:
        module, imported = violation
        tmp_path.joinpath(*module.split(".")).with_suffix(".py").write_text(f"import {imported}\n")
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path / "pyproject.toml"


def test_the_project_keeps_its_contracts() -> None:
    result = _lint(PROJECT_ROOT / "src", PROJECT_ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_clean_miniature_passes(tmp_path: Path) -> None:
    result = _lint(tmp_path, _tree(tmp_path, None))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "imported", "contract"),
    [
        ("pension_engine.rules", "django", "The pension engine is a pure library"),
        ("pension_engine.rules", "minasidor", "The pension engine is a pure library"),
        ("minasidor.ui.views", "backoffice.models", "only through minasidor.registers"),
        ("backoffice.models2", "minasidor.ui", "The back office knows nothing of the portal"),
        ("backoffice.notices.dispatch", "simulators", "The back office knows nothing of the portal or the simulators"),
        ("simulators.bankid", "minasidor", "Simulators stand outside"),
        ("kernel.clock", "django", "The shared kernel depends on nothing of ours"),
        ("minasidor.ui.views", "simulators", "Portal code never depends on the simulators"),
        ("backoffice.register.selectors", "backoffice.synthetic", "The systems of record (the register, casework"),
        ("backoffice.register.models", "backoffice.statements", "The systems of record (the register, casework"),
        ("backoffice.api.views", "backoffice.synthetic", "The systems of record (the register, casework"),
        ("backoffice.casework.grant", "backoffice.synthetic", "The systems of record (the register, casework"),
        ("backoffice.register.services", "backoffice.casework", "The register knows nothing of casework"),
        ("backoffice.statements.run", "backoffice.synthetic", "The statement run works on whatever the register"),
        ("minasidor.signing.seal", "django", "The signing blocks are Django-free"),
        ("minasidor.identity.contrib.bankid.rp.client", "django", "The BankID protocol client"),
        ("minasidor.minpension.client", "minasidor.pensions.views", "Doorways hold no pages"),
        ("minasidor.registers.client2", "minasidor.identity.views", "Doorways hold no pages"),
        ("minasidor.identity.contrib.bankid.rp.qr", "minasidor.ui", "Doorways hold no pages"),
        ("minasidor.pension_data.session", "minasidor.pensions.views", "The session's pension data knows no page"),
        ("minasidor.ui.views", "minasidor.identity.views", "The base (core, ui, conf, security) knows no feature"),
        ("minasidor.core.middleware", "minasidor.pension_data", "The base (core, ui, conf, security) knows no feature"),
        ("minasidor.pensions.views", "minasidor.staff.sites", "Page apps do not use each other's internals"),
    ],
)
def test_a_deliberate_violation_fails(tmp_path: Path, module: str, imported: str, contract: str) -> None:
    result = _lint(tmp_path, _tree(tmp_path, (module, imported)))
    assert result.returncode != 0
    assert f"{contract}" in result.stdout
    assert "BROKEN" in result.stdout
    assert contract in result.stdout.split("Broken contracts", 1)[1], "another contract broke than the one meant"


@pytest.mark.parametrize("doorway", DOORWAYS)
def test_a_doorway_holds_no_pages(doorway: str) -> None:
    """A doorway has no views, URLs, forms, templates or template tags of its own (the pages that show what it
    gives live in a page app)."""
    folder = PROJECT_ROOT / "src" / doorway
    assert folder.is_dir()
    pages = [
        path.relative_to(folder)
        for path in folder.rglob("*")
        if path.name in {"views.py", "urls.py", "forms.py", "templates", "templatetags"}
    ]
    assert pages == []
