"""The setup benchmark's file is valid throughout and its report has every figure."""

from __future__ import annotations

from store.bench_setup import format_setup, run_setup_bench
from store.bench_setup_data import setup_data
from store.setup_apply import apply_text
from store.setup_export import dump_setup


def test_the_generated_file_applies_whole(store):
    data = setup_data(300)
    report = apply_text(store, dump_setup(data))
    assert len(report.created) == 10 + 1_000 + 300 + 300 + 300  # 300 entities have a first number
    assert len({r["resourceId"] for r in data["resources"]}) == 300


def test_the_report_names_each_step():
    report = run_setup_bench(50)
    assert set(report["seconds"]) == {"first", "unchanged", "oneChange", "export", "readYaml"}
    assert report["resources"] == 50 and report["items"] == 10 + 1_000 + 50 + 50 + 50
    text = format_setup(report)
    assert "apply again (same)" in text and "export to a file" in text
