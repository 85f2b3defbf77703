"""`cpaasx bench --http`: wrk's report read into figures, and the report's words (no timing here)."""

from __future__ import annotations

from api.bench_http import format_http, parse_wrk

WRK_OUT = """Running 5s test @ http://127.0.0.1:8123
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    15.21ms   10.02ms 120.00ms   90.00%
  Latency Distribution
     50%   12.50ms
     75%   18.00ms
     90%   25.00ms
     99%    1.20s
  5123 requests in 5.00s, 1.20MB read
  Non-2xx or 3xx responses: 7
Requests/sec:   1024.60
Transfer/sec:    245.00KB
"""


def test_wrk_report_read_as_figures():
    figures = parse_wrk(WRK_OUT, 5)
    assert figures == {"requests": 5123, "seconds": 5, "per_second": 1024.6, "p50_ms": 12.5, "p99_ms": 1200.0,
                       "non_2xx": 7}
    assert parse_wrk(WRK_OUT.replace("12.50ms", "850.00us"), 5)["p50_ms"] == 0.85


def test_report_names_figures_ratio_and_targets():
    single = {**parse_wrk(WRK_OUT, 5), "non_2xx": 0}
    report = {"baseline": {**single, "per_second": 2049.2}, "single": single,
              "bulk": {**single, "per_second": 12.0, "destinations_per_second": 12000.0}, "generator": "wrk",
              "single_vs_baseline": 0.5, "targets": {"single_per_second": 1000, "single_p99_ms": 50.0,
                                                     "bulk_destinations_per_second": 20000}}
    text = format_http(report)
    assert "load from wrk" in text
    assert "single-message sends           1,025 req/s   p50 12.5 ms   p99 1200.0 ms   (0.50× baseline; " \
           "target 1,000/s, p99 < 50 ms)" in text
    assert "1,000-destination sends       12,000 destinations/s" in text


def test_bench_recipients_are_valid_numbers_so_every_send_is_routed():
    from api.bench_http import LOCAL_BASE, LOCAL_SPAN, _bulk, _single, wrk_script
    from store.routing.destinations import fast_region

    tos = [_single(i)[2]["messages"][0]["destinations"][0]["to"] for i in (0, 1, LOCAL_SPAN - 1, 10**9)]
    tos += [d["to"] for d in _bulk(0)[2]["messages"][0]["destinations"][:3]]
    assert [fast_region("+" + to) for to in tos] == ["US"] * len(tos)
    # wrk's Lua draws the local part the same way: LOCAL_BASE plus a counter modulo LOCAL_SPAN
    script = wrk_script("bulk", "s")
    assert f"{LOCAL_BASE} + counter % {LOCAL_SPAN})" in script
    assert f"{LOCAL_BASE} + (counter * 1000 + j) % {LOCAL_SPAN})" in script
    report_logged = {"ROUTED": 3, "REJECTED": 1}
    single = {**parse_wrk(WRK_OUT, 5), "non_2xx": 0}
    text = format_http({"baseline": single, "single": single, "bulk": {**single, "destinations_per_second": 1.0},
                        "single_vs_baseline": 1.0, "logged": report_logged,
                        "targets": {"single_per_second": 1000, "single_p99_ms": 50.0,
                                    "bulk_destinations_per_second": 20000}})
    assert "messages logged: 3 routed, 1 rejected" in text


def test_rounds_are_read_as_their_medians_and_the_ratio_as_the_median_of_each_rounds_ratio(monkeypatch):
    from api import bench_http

    rates = iter([1000.0, 800.0, 600.0, 540.0, 1200.0, 900.0, 10.0, 12.0, 11.0])  # b, s, b, s, b, s, bulk ×3

    def fake_wrk(address, secret, kind, seconds, connections):
        if seconds == bench_http.WARM_UP:
            return parse_wrk(WRK_OUT, seconds)  # the untimed warm-up
        return {**parse_wrk(WRK_OUT, seconds), "per_second": next(rates)}

    monkeypatch.setattr(bench_http, "_wrk", fake_wrk)
    report = bench_http._measure_wrk("http://127.0.0.1:1", "s", 3, None)
    assert report["baseline"]["per_second"] == 1000.0 and report["baseline"]["rounds"] == [1000.0, 600.0, 1200.0]
    assert report["single"]["per_second"] == 800.0 and report["single"]["requests"] == 3 * 5123
    assert report["single_vs_baseline_rounds"] == [0.8, 0.9, 0.75] and report["single_vs_baseline"] == 0.8
    assert report["bulk"]["destinations_per_second"] == 11000.0
    assert "medians of 3 rounds; single/baseline by round: 0.80, 0.90, 0.75" in format_http(report)
