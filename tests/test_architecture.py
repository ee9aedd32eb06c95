"""The shape the README's architecture section describes: apps that depend one way
(reviews <- weaknesses <- actions), no management command importing a view, and small
modules whose first line says what they own."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["reviews", "weaknesses", "actions"]
# What each app may import of ours: only the apps before it (and the project package).
MAY_IMPORT = {"reviews": set(), "weaknesses": {"reviews"}, "actions": {"reviews", "weaknesses"}}


def modules(app):
    return sorted(p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def imported(path):
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("app", APPS)
def test_apps_depend_one_way(app):
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules(app)
        for name in imported(path)
        if name.split(".")[0] in set(APPS) - {app} - MAY_IMPORT[app]
    }
    assert not wrong


def test_no_management_command_imports_a_view():
    commands = [p for app in APPS for p in modules(app) if "commands" in p.parts]
    assert commands
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in commands
        for name in imported(path)
        if ".views" in name or name.endswith("views")
    }
    assert not wrong


def test_every_module_says_what_it_owns_and_stays_small():
    project = [*(p for app in APPS for p in modules(app)), *modules("wsoa_tracker")]
    silent = [
        str(p.relative_to(ROOT))
        for p in project
        if p.read_text().strip()
        and ast.get_docstring(ast.parse(p.read_text())) is None
        and p.name != "__init__.py"
    ]
    large = [
        f"{p.relative_to(ROOT)}: {n} lines"
        for p in project
        if (n := len(p.read_text().splitlines())) > 400
    ]
    assert (silent, large) == ([], [])
