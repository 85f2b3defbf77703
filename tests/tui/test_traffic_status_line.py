"""The Traffic area's top line: thousands separated, the setup version named, sticky bindings not
shown as 0 before they are counted (issue 12 item 22)."""

from __future__ import annotations

from store.traffic_stats import TrafficStats
from tui.widgets.traffic_status import RunState, status_text


def test_the_status_line_names_the_setup_version_and_separates_thousands():
    stats = TrafficStats()
    stats.decisions, stats.sticky_bindings = 1_234_567, 6383
    line = status_text(RunState(True, 1000, 7, 12_345), stats).plain
    assert line == " ▶ RUNNING  1,000 msg/s seed 7 │ 1,234,567 decisions │ sticky bindings 6,383 │ setup #12,345"


def test_bindings_not_counted_yet_are_not_shown_as_zero():
    line = status_text(RunState(False, 20, 7, 1), TrafficStats()).plain
    assert line == " ❚❚ PAUSED  20 msg/s seed 7 │ 0 decisions │ sticky bindings … │ setup #1"
