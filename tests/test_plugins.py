"""Plugins: a department's package adds a step, a PII recogniser and a review detector
through a ``govai`` entry point, without editing GovAI; a broken plugin is reported."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govai.cli.main import app
from govai.pii.detector import _cached as _detectors
from govai.plugins import load_plugins, reset_plugins

PLUGIN = textwrap.dedent('''
    """A department's plugin: a step that tags a request, a recogniser for its case references."""
    import re

    from govai.pii.entities import Entity
    from govai.pii.registry import pii_recognisers
    from govai.pipeline.step import steps


    class TagDepartment:
        name = "tag_department"

        def __init__(self, tag):
            self.tag = tag

        def __call__(self, ctx):
            ctx.flag(self.tag)


    @steps.register("tag_department")
    def build(services, options):
        return TagDepartment(options.get("tag", "dept"))


    class CaseReference:
        name = "dept_case_reference"
        labels = ("CASE_REF",)
        order = 50

        def find(self, doc, found):
            return [Entity(m.start(), m.end(), "CASE_REF", 0.95, self.name)
                    for m in re.finditer(r"\\bDEPT-\\d{6}\\b", doc.text)]


    pii_recognisers.add("dept_case_reference", lambda options: CaseReference())
''')


@pytest.fixture
def installed_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A plugin 'installed' the way pip does it: a module and a dist-info with entry points."""
    (tmp_path / "govai_dept_plugin.py").write_text(PLUGIN, encoding="utf-8")
    (tmp_path / "govai_broken_plugin.py").write_text("raise RuntimeError('cannot start')\n", encoding="utf-8")
    dist = tmp_path / "govai_dept_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: govai-dept-plugin\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[govai]\ndept = govai_dept_plugin\nbroken = govai_broken_plugin\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    reset_plugins()
    _detectors.cache_clear()  # detectors built before the plugin was installed do not know it
    yield
    reset_plugins()
    _detectors.cache_clear()


def test_a_plugin_step_runs_in_a_service_pipeline(installed_plugin, db) -> None:
    from govai.profiles.model import DEFAULT_STEPS, ServiceProfile
    from govai.runtime import Runtime

    steps = [*DEFAULT_STEPS[:2], {"name": "tag_department", "options": {"tag": "dept_hmrc"}}, *DEFAULT_STEPS[2:]]
    rt = Runtime(ServiceProfile.model_validate({"name": "plugin-svc", "kb": "no-such-kb", "steps": steps}))
    ctx = rt.ask("Hello")
    assert "dept_hmrc" in ctx.flags


def test_a_plugin_recogniser_finds_its_entities(installed_plugin) -> None:
    from govai.pii.detector import get_detector

    found = get_detector().detect("Please quote DEPT-123456 on your letter.")
    assert [(e.label, e.start) for e in found] == [("CASE_REF", 13)]


def test_a_broken_plugin_is_reported_not_fatal(installed_plugin) -> None:
    statuses = {s.name: s for s in load_plugins()}
    assert statuses["dept"].loaded and statuses["dept"].distribution == "govai-dept-plugin"
    assert not statuses["broken"].loaded and "RuntimeError: cannot start" in (statuses["broken"].error or "")
    result = CliRunner().invoke(app, ["plugins", "--json"])
    assert result.exit_code == 0
    assert '"broken"' in result.stdout and "tag_department" in result.stdout
