"""The record loader's package: a generic sync engine and one small reader per record file."""

import ast
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

import actions.record

PACKAGE = Path(actions.record.__file__).parent
COMMAND = PACKAGE.parent / "management" / "commands" / "load_record.py"
MODULES = sorted(PACKAGE.glob("*.py"))


def test_the_package_keeps_its_public_names():
    from actions.record import RecordError, RecordLoader

    assert issubclass(RecordError, Exception) and callable(RecordLoader)


def test_one_reader_per_record_file_besides_the_engine():
    assert {path.stem for path in MODULES} == {
        "__init__",
        "sync",
        "area",
        "reviews",
        "plan",
        "ratings",
        "roles",
        "wsoa",
        "measures",
    }


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_each_module_says_what_it_owns_and_stays_small(path):
    source = path.read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(source))
    assert docstring and docstring.splitlines()[0].strip(), "no docstring"
    assert source.startswith('"""'), "the docstring is not the first line"
    assert len(source.splitlines()) <= 400


@pytest.mark.parametrize("path", [*MODULES, COMMAND], ids=lambda path: path.name)
def test_the_loader_and_its_command_import_no_view(path):
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported |= {f"{node.module or ''}.{alias.name}" for alias in node.names}
            imported.add(node.module or "")
    assert not [name for name in imported if "views" in name.split(".")]


@pytest.mark.django_db
def test_an_error_in_the_plan_file_names_the_plan_file(tmp_path):
    record = shutil.copytree(settings.RECORD_DIR, tmp_path / "record")
    path = record / "wsoa/plan.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["plan"]["titel"] = data["plan"].pop("title")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("load_record", directory=str(record), stdout=StringIO())
    assert "Nothing was loaded. wsoa/plan.yaml, plan: missing field(s): title" in str(refused.value)
