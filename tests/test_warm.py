"""Each app server worker is warmed before it takes a request: its first requests do not
pay for importing the views and compiling the templates (wsoa_tracker.warm)."""

import runpy
from pathlib import Path

from django.template import engines

from wsoa_tracker import warm

ROOT = Path(__file__).resolve().parent.parent


def cached_names():
    loader = engines["django"].engine.template_loaders[0]
    return set(loader.get_template_cache)  # keyed on the name (nothing is skipped here)


def test_warming_compiles_every_template_of_the_project_and_its_form_pack():
    engines["django"].engine.template_loaders[0].reset()
    names = list(warm.project_templates())
    assert {"base.html", "actions/grid.html", "findings/finding_detail.html"} <= set(names)
    assert any(name.startswith("gds/") for name in names)  # crispy-forms-gds
    assert "admin/change_list.html" not in names  # the admin's own are left alone
    compiled, _ = warm.warm()
    assert compiled == len(names)
    assert set(names) <= cached_names()


def test_each_gunicorn_worker_is_warmed_before_it_takes_a_request(monkeypatch):
    calls = []
    monkeypatch.setattr(warm, "warm", lambda: calls.append("warm") or (0, 0.0))

    class Worker:
        class log:
            info = staticmethod(lambda *args: calls.append("logged"))

    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    conf["post_worker_init"](Worker())
    assert calls == ["warm", "logged"]
