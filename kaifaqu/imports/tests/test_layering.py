"""The spreadsheet machinery is one low layer: ``sheets`` knows no domain and no import run,
the import app knows no ledger (each registers itself), and every xlsx and CSV a page or
command writes goes through ``sheets.writer``."""

from __future__ import annotations

import ast
from pathlib import Path

import kaifaqu
from kaifaqu.imports.registry import KINDS, LEDGERS

ROOT = Path(kaifaqu.__file__).parent
# The apps whose records ledgers hold; zones and regions sit below them (an import is into a zone).
LEDGER_APPS = ("projects", "enterprises", "indicators", "campaigns", "services", "reports", "investment")
DOMAINS = (*LEDGER_APPS, "zones", "regions")


def imported_modules(package: str) -> dict[str, set[str]]:
    """Each non-test module of ``package`` → the kaifaqu modules it imports (absolute or relative)."""
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = path.relative_to(ROOT.parent).with_suffix("").parts[: -node.level]
                    base = ".".join([*parts, base]) if base else ".".join(parts)
                names.add(base)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(ROOT))] = {name for name in names if name.startswith("kaifaqu")}
    return found


def test_sheets_import_no_domain_and_no_import_run():
    for module, names in imported_modules("sheets").items():
        bad = {name for name in names if name.split(".")[1] in (*DOMAINS, "imports")}
        assert not bad, f"{module} imports {bad}"


def test_the_import_app_reaches_no_ledger_but_through_the_registry():
    for module, names in imported_modules("imports").items():
        bad = {name for name in names if name.split(".")[1] in LEDGER_APPS}
        assert not bad, f"{module} imports {bad}"
    assert KINDS == {
        "enterprises": "企业台账",
        "projects": "项目台账",
        "investment_targets": "招商目标企业清单",
        "investment_activities": "招商活动台账",
    }
    assert {key: ledger.list_url for key, ledger in LEDGERS.items()} == {
        "enterprises": "enterprises:list",
        "projects": "projects:list",
        "investment_targets": "investment:targets",
        "investment_activities": "investment:activities",
    }


def test_only_the_writer_builds_workbooks_and_csv():
    builders = []
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "browser_tests" in path.parts:
            continue
        text = path.read_text()
        if "Workbook(" in text or "csv.writer(" in text:
            builders.append(str(path.relative_to(ROOT)))
    # The error workbook too is written by the writer now (streamed from the upload, bounded memory).
    assert sorted(builders) == ["sheets/writer.py"]
