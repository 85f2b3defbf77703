"""Delivery profiles: the shipped default, exact draws, and refusals that name the field."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from store.delivery_profile import Plan, default_profile, load_profile, parse_profile, shipped_profile
from store.errors import InvalidInput

ONLY_DELIVERED = "seed: 1\nmix:\n  - {status: DELIVERED, share: 1, delay: 5}\n"


def test_the_default_profile_reads_and_describes_itself():
    profile = default_profile()
    assert profile.describe() == (
        "default (seed 7): DELIVERED 94% 1-4 s, UNDELIVERABLE 5% 2-8 s, EXPIRED 1% 60 s; 2 rules"
    )
    assert [o.status.name for o in profile.mix_for("US", "SHORT_CODE")] == [
        "DELIVERED_TO_HANDSET", "UNDELIVERABLE_NOT_DELIVERED", "EXPIRED_EXPIRED"]
    assert profile.mix_for("US", "SHORT_CODE")[0].share == 0.97
    assert profile.mix_for("GB", "ALPHANUMERIC")[0].share == 0.9
    assert profile.mix_for("US", "TEN_DIGIT_LONG_CODE")[0].share == 0.94


def test_an_exact_delay_is_exact_and_draws_repeat():
    profile = parse_profile(ONLY_DELIVERED)
    plan = profile.plan("m-1", "US", None)
    assert (plan.status.name, plan.error.name, plan.delay) == ("DELIVERED_TO_HANDSET", "NO_ERROR", timedelta(seconds=5))
    default = default_profile()
    assert default.plan("m-1", "US", None) == default.plan("m-1", "US", None)


def test_shares_hold_over_many_messages():
    profile = default_profile()
    counts = Counter(profile.plan(f"m-{i}", "US", "TEN_DIGIT_LONG_CODE").status.group_name for i in range(10_000))
    assert abs(counts["DELIVERED"] / 10_000 - 0.94) < 0.02
    assert abs(counts["UNDELIVERABLE"] / 10_000 - 0.05) < 0.02
    assert abs(counts["EXPIRED"] / 10_000 - 0.01) < 0.02
    for i in range(200):
        delay = profile.plan(f"m-{i}", "US", None).delay
        assert timedelta(seconds=1) <= delay <= timedelta(seconds=60)


def test_another_seed_gives_other_draws():
    a = parse_profile("seed: 1\nmix: [{status: DELIVERED, share: 1, delay: {min: 0, max: 100}}]")
    b = parse_profile("seed: 2\nmix: [{status: DELIVERED, share: 1, delay: {min: 0, max: 100}}]")
    assert [a.plan(f"m{i}", None, None).delay for i in range(5)] != [b.plan(f"m{i}", None, None).delay for i in range(5)]


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("mix: [{status: DELIVERED, share: 0.5, delay: 1}, {status: EXPIRED, share: 0.4, delay: 1}]",
         "mix", "the shares sum to 0.9, not 1"),
        ("mix: [{status: DELIVERED, share: 1, delay: -1}]", "mix[0].delay", "must not be negative (got -1)"),
        ("mix: [{status: DELIVERED, share: 1, delay: {min: -2, max: 3}}]", "mix[0].delay.min",
         "must not be negative (got -2)"),
        ("mix: [{status: DELIVERED, share: 1, delay: {min: 3, max: 2}}]", "mix[0].delay.max",
         "must not be below delay.min (3)"),
        ("mix: [{status: SENT, share: 1}]", "mix[0].status",
         "unknown status 'SENT' (expected one of: DELIVERED, UNDELIVERABLE, EXPIRED)"),
        ("mix: [{status: DELIVERED, share: 1}]\nrules: [{senderType: PIGEON, mix: [{status: DELIVERED, share: 1}]}]",
         "rules[0].senderType", "unknown sender type 'PIGEON' (expected one of: ALPHANUMERIC, SHORT_CODE, "
         "TEN_DIGIT_LONG_CODE, TOLL_FREE_NUMBER, VIRTUAL_LONG_NUMBER)"),
        ("mix: [{status: DELIVERED, share: 1}]\nrules: [{country: USA, mix: [{status: DELIVERED, share: 1}]}]",
         "rules[0].country", "'USA' is not a two-letter country code"),
        ("mix: [{status: DELIVERED, share: 1}]\nrules: [{country: GB, mix: [{status: EXPIRED, share: 2}]}]",
         "rules[0].mix[0].share", "must be at most 1 (got 2)"),
        ("mix: [{status: UNDELIVERABLE, share: 1, errors: {NO_ERROR: 1}}]", "mix[0].errors",
         "unknown error 'NO_ERROR' for UNDELIVERABLE (expected one of: EC_ABSENT_SUBSCRIBER, "
         "EC_ABSENT_SUBSCRIBER_SM, EC_UNKNOWN_SUBSCRIBER)"),
        ("mix: [{status: DELIVERED, share: 1, colour: red}]", "mix[0].colour",
         "unknown field (expected one of: status, share, delay, errors)"),
        ("seed: x\nmix: [{status: DELIVERED, share: 1}]", "seed", "must be a whole number"),
        ("seed: 1", "mix", "is required"),
    ],
)
def test_a_bad_profile_names_the_field(text, field, message):
    with pytest.raises(InvalidInput) as caught:
        parse_profile(text)
    assert (caught.value.field, caught.value.message) == (field, message)


def test_a_file_that_is_not_yaml_or_missing_names_the_flag(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("mix: [unclosed\n")
    with pytest.raises(InvalidInput) as caught:
        load_profile(bad)
    assert caught.value.field == f"--delivery {bad}"
    assert caught.value.message.startswith("line 2, column 1: not valid YAML")
    with pytest.raises(InvalidInput) as caught:
        load_profile(tmp_path / "none.yaml")
    assert str(caught.value) == f"--delivery: cannot read {tmp_path / 'none.yaml'}: No such file or directory"
    good = tmp_path / "fast.yaml"
    good.write_text(ONLY_DELIVERED)
    assert load_profile(good).describe() == "fast (seed 1): DELIVERED 100% 5 s"
    with pytest.raises(InvalidInput) as caught:
        load_profile(tmp_path / "x.yaml" if (tmp_path / "x.yaml").write_text("mix: 3") else None)
    assert (caught.value.field, caught.value.message) == (f"--delivery {tmp_path / 'x.yaml'}: mix",
                                                          "must be a non-empty list of {status, share, delay}")


def test_a_seed_replays_the_same_plans_from_one_version_to_the_next():
    """Pinned draws: a run recorded with `--seed` must replay after an upgrade, so the draw itself
    (hash, thresholds, error pick, delay rounding) may not change."""
    flaky = shipped_profile("flaky")
    plans = [flaky.plan(f"m-{i}", "US", None) for i in range(8)]
    assert [(p.status.name, p.error.name, p.delay_ms) for p in plans] == [
        ("DELIVERED_TO_HANDSET", "NO_ERROR", 4919), ("DELIVERED_TO_HANDSET", "NO_ERROR", 9400),
        ("UNDELIVERABLE_NOT_DELIVERED", "EC_ABSENT_SUBSCRIBER_SM", 4869), ("DELIVERED_TO_HANDSET", "NO_ERROR", 5675),
        ("DELIVERED_TO_HANDSET", "NO_ERROR", 3195), ("EXPIRED_EXPIRED", "NO_ERROR", 30000),
        ("EXPIRED_EXPIRED", "NO_ERROR", 30000), ("DELIVERED_TO_HANDSET", "NO_ERROR", 5070),
    ]
    assert all(type(p) is Plan for p in plans)
