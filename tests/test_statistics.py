"""--statistics: counts by rule and page, and the pages that need the most work."""

from __future__ import annotations

import json
from collections import Counter

from conftest import EXAMPLES, run


def test_statistics_in_json() -> None:
    data = json.loads(run("check", str(EXAMPLES), "--format", "json", "--statistics").stdout)
    stats = data["statistics"]
    assert stats["by_rule"] == dict(Counter(f["rule"] for f in data["findings"]))
    assert stats["by_page"] == dict(Counter(f["path"] for f in data["findings"]))
    worst = stats["worst_by_findings"]
    assert worst[0]["path"].endswith("bins-bad.html")
    assert [p["findings"] for p in worst] == sorted((p["findings"] for p in worst), reverse=True)
    ages = [p["reading_age"] for p in stats["worst_by_reading_age"]]
    assert ages == sorted(ages, reverse=True) and all(a is not None for a in ages)


def test_no_statistics_unless_asked() -> None:
    assert "statistics" not in json.loads(run("check", str(EXAMPLES), "--format", "json").stdout)


def test_statistics_in_the_rich_report() -> None:
    out = run("check", str(EXAMPLES), "--statistics").stdout
    for heading in ("Findings by rule", "Pages with the most findings", "Pages with the highest reading age"):
        assert heading in out
    assert out.index("Findings by rule") < out.index("Checked 5 pages")


def test_statistics_and_baseline_match_the_schema(tmp_path) -> None:
    import jsonschema

    from conftest import ROOT

    schema = json.loads((ROOT / "docs" / "json-report.schema.json").read_text())
    baseline = tmp_path / "b.json"
    run("check", str(EXAMPLES / "bins-bad.html"), "--write-baseline", str(baseline))
    data = json.loads(run("check", str(EXAMPLES), "--format", "json", "--statistics",
                          "--baseline", str(baseline)).stdout)
    jsonschema.validate(data, schema)
    assert data["summary"]["in_baseline"] > 0
