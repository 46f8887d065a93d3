import pytest

from diagramgen.spec.units import (
    human_bandwidth,
    human_duration,
    human_rate,
    human_size,
    parse_count,
    parse_duration,
    parse_rate,
    parse_size,
)


@pytest.mark.parametrize(
    ("text", "per_second"),
    [
        ("100M/day", 100e6 / 86400),
        ("10B/day", 10e9 / 86400),
        ("5k/s", 5000.0),
        ("1.5K / min", 25.0),
        ("12 per hour", 12 / 3600),
        ("3M/month", 3e6 / (30 * 86400)),
        ("1T/year", 1e12 / (365 * 86400)),
        (250, 250.0),
    ],
)
def test_parse_rate(text, per_second):
    assert parse_rate(text) == pytest.approx(per_second)


@pytest.mark.parametrize(
    ("text", "num_bytes"),
    [("500B", 500), ("2KB", 2000), ("1.5GB", 1.5e9), ("1KiB", 1024), ("3 MB", 3e6), (42, 42)],
)
def test_parse_size(text, num_bytes):
    assert parse_size(text) == pytest.approx(num_bytes)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("5y", 5 * 365 * 86400), ("24h", 86400), ("30d", 30 * 86400), ("15m", 900), ("250ms", 0.25)],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("text", "count"), [("300M", 3e8), ("1.5k", 1500), ("2 B", 2e9), ("40", 40), (7, 7)]
)
def test_parse_count(text, count):
    assert parse_count(text) == pytest.approx(count)


@pytest.mark.parametrize(
    ("parser", "bad"),
    [(parse_count, "lots"), (parse_count, "3 MB"), (parse_count, -2),
     (parse_rate, "fast"), (parse_rate, "5/fortnight"), (parse_size, "5 parsecs"),
     (parse_duration, "forever"), (parse_rate, True), (parse_size, -1), (parse_rate, [1])],
)  # fmt: skip
def test_rejects_nonsense(parser, bad):
    with pytest.raises(ValueError):
        parser(bad)


def test_human_units_match_the_design_examples():
    assert human_rate(100e6 / 86400) == "1.16k/s"
    assert human_bandwidth(578703.7) == "579 KB/s"
    assert human_size(9.125e13) == "91.3 TB"
    assert human_duration(5 * 365 * 86400) == "5y"
    assert human_rate(0.5 / 60) == "30/hour"
