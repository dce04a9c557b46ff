"""Real council and GOV.UK pages from ../shared/corpus: no crash, valid JSON, exact positions."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from lgcontent.loaders import load_file
from lgcontent.inputs import expand

from conftest import CORPUS, ROOT, assert_matches_at_positions, needs_corpus, run
from test_positions import assert_source_map

pytestmark = needs_corpus()
SCHEMA = json.loads((ROOT / "docs" / "json-report.schema.json").read_text())


def _decoded(path: str) -> str:
    from lgcontent.loaders.decoding import decode

    data = Path(path).read_bytes()
    return decode(data, path, html=path.endswith((".html", ".htm")))[0]


@pytest.fixture(scope="module")
def report() -> tuple[int, dict]:
    result = run("check", str(CORPUS), "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_corpus_report_is_valid(report) -> None:
    code, data = report
    assert code in (0, 1)
    jsonschema.validate(data, SCHEMA)
    assert data["unchecked"] == []
    assert data["summary"]["pages"] >= 300


def test_every_match_is_at_its_position(report) -> None:
    _, data = report
    findings = data["findings"]
    assert sum(1 for f in findings if f["match"]) > 1000
    sources = {p: _decoded(p) for p in {f["path"] for f in findings}}
    assert_matches_at_positions(findings, sources)


def test_every_block_maps_to_its_source() -> None:
    pages = [item.path for item in expand([str(CORPUS)])]
    assert len(pages) >= 300
    for path in pages:
        assert_source_map(load_file(path))


def test_corpus_junit_and_sarif_validate(tmp_path) -> None:
    import junitparser
    from lxml import etree

    schemas = ROOT / "tests" / "schemas"
    junit, sarif = tmp_path / "r.xml", tmp_path / "r.sarif"
    result = run("check", str(CORPUS), "--format", "json", "--output", f"junit:{junit}",
                 "--output", f"sarif:{sarif}")
    data = json.loads(result.stdout)
    xsd = etree.XMLSchema(etree.parse(str(schemas / "junit-ant.xsd")))
    assert xsd.validate(etree.parse(str(junit))), xsd.error_log.last_error
    suites = list(junitparser.JUnitXml.fromfile(str(junit)))
    site_suites = [s for s in suites if s.name.endswith("(site-wide checks)")]
    assert len(suites) - len(site_suites) == data["summary"]["pages"]
    assert sum(s.failures for s in suites) == data["summary"]["error"]
    assert sum(s.skipped for s in suites) == data["summary"]["warning"] + data["summary"]["suggestion"]
    sarif_data = json.loads(sarif.read_text())
    jsonschema.validate(sarif_data, json.loads((schemas / "sarif-schema-2.1.0.json").read_text()))
    assert len(sarif_data["runs"][0]["results"]) == data["summary"]["findings"]
