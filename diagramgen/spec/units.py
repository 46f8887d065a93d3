"""Quantities written as text in specs: rates (`100M/day`), sizes (`500B`), durations (`5y`).

Each parser returns a float in base units (per second, bytes, seconds); each `human_*`
function turns a base-unit float back into short text for notes and labels.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

SECOND = 1.0
MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0
WEEK = 7 * DAY
MONTH = 30 * DAY  # capacity-planning convention: 30-day months, 365-day years
YEAR = 365 * DAY

_COUNT_SUFFIX = {"": 1.0, "k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12}
_PER = {
    "s": SECOND, "sec": SECOND, "second": SECOND,
    "min": MINUTE, "minute": MINUTE,
    "h": HOUR, "hr": HOUR, "hour": HOUR,
    "d": DAY, "day": DAY,
    "w": WEEK, "week": WEEK,
    "mo": MONTH, "month": MONTH,
    "y": YEAR, "yr": YEAR, "year": YEAR,
}  # fmt: skip
_SIZE = {
    "b": 1.0, "": 1.0,
    "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "pb": 1e15,
    "kib": 2.0**10, "mib": 2.0**20, "gib": 2.0**30, "tib": 2.0**40, "pib": 2.0**50,
}  # fmt: skip
_DURATION = {
    "ms": 0.001, "s": SECOND, "sec": SECOND, "m": MINUTE, "min": MINUTE,
    "h": HOUR, "d": DAY, "w": WEEK, "mo": MONTH, "y": YEAR,
}  # fmt: skip


def _one_of(words: Iterable[str], any_case: bool = False) -> str:
    """A regular expression group matching exactly these words (JSON Schema compatible)."""
    ordered = sorted(words, key=lambda w: (-len(w), w))
    if any_case:
        ordered = ["".join(f"[{c.lower()}{c.upper()}]" for c in w) for w in ordered]
    return "(?:" + "|".join(ordered) + ")"


_NUM = r"(?P<num>\d+(?:\.\d+)?|\.\d+)"
# `s?` after the unit takes plurals: `5/days`, `1.2B per months`.
_RATE_RE = re.compile(
    _NUM + r"\s*(?P<mult>[kKMBGT]?)\s*(?:/|\s+per\s+)\s*(?P<per>" + _one_of(_PER) + ")s?"
)
_SIZE_RE = re.compile(_NUM + r"\s*(?P<unit>[a-zA-Z]*)")
_DURATION_RE = re.compile(_NUM + r"\s*(?P<unit>[a-z]+)")


def _pattern(regex: re.Pattern[str]) -> str:
    """The JSON Schema pattern of a whole quantity: no named groups, spaces around allowed."""
    return r"^\s*" + re.sub(r"\?P<\w+>", "", regex.pattern) + r"\s*$"


def _number(value: Any, what: str) -> float | None:
    """Accept plain numbers (already in base units); reject booleans and negatives."""
    if isinstance(value, bool):
        raise ValueError(f"expected a {what}, got a boolean")
    if isinstance(value, int | float):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"a {what} must be a finite number >= 0")
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a {what} such as {_EXAMPLES[what]}")
    return None


_EXAMPLES = {
    "count": "'300M' or '1.5k'",
    "rate": "'100M/day' or '5k/s'",
    "size": "'500B' or '2MB'",
    "duration": "'5y' or '24h'",
    "bandwidth": "'25Gbps' or '1.25GB/s'",
}


def parse_rate(value: Any) -> float:
    """Parse `100M/day`, `5k/s`, `1.2B per month` (or a plain number per second) to per-second."""
    number = _number(value, "rate")
    if number is not None:
        return number
    text = str(value).strip()
    m = _RATE_RE.fullmatch(text)
    if not m or m["per"] not in _PER:
        raise ValueError(
            f"invalid rate {text!r}: write a count per unit of time such as '100M/day' or '5k/s' "
            "(suffixes k M B T; units s min hour day week month year)"
        )
    return float(m["num"]) * _COUNT_SUFFIX[m["mult"]] / _PER[m["per"]]


_COUNT_RE = re.compile(_NUM + r"\s*(?P<mult>[kKMBGT]?)")


def parse_count(value: Any) -> float:
    """Parse `300M`, `1.5k` (or a plain number) to a number: how many of something."""
    number = _number(value, "count")
    if number is not None:
        return number
    text = str(value).strip()
    m = _COUNT_RE.fullmatch(text)
    if not m:
        raise ValueError(f"invalid count {text!r}: write a number such as '300M' (k M B T)")
    return float(m["num"]) * _COUNT_SUFFIX[m["mult"]]


def parse_size(value: Any) -> float:
    """Parse `500B`, `1.5KB`, `2GiB` (or a plain number of bytes) to bytes."""
    number = _number(value, "size")
    if number is not None:
        return number
    text = str(value).strip()
    m = _SIZE_RE.fullmatch(text)
    if not m or m["unit"].lower() not in _SIZE:
        raise ValueError(
            f"invalid size {text!r}: write bytes with a unit such as '500B', '2KB', '1.5GB' "
            "(B KB MB GB TB PB, or KiB MiB GiB TiB)"
        )
    return float(m["num"]) * _SIZE[m["unit"].lower()]


def parse_duration(value: Any) -> float:
    """Parse `5y`, `24h`, `30d`, `15m` (minutes), `250ms` (or plain seconds) to seconds."""
    number = _number(value, "duration")
    if number is not None:
        return number
    text = str(value).strip()
    m = _DURATION_RE.fullmatch(text)
    if not m or m["unit"] not in _DURATION:
        raise ValueError(
            f"invalid duration {text!r}: write a number with a unit such as '24h' or '5y' "
            "(ms s m h d w mo y)"
        )
    return float(m["num"]) * _DURATION[m["unit"]]


_BITS = {"bps": 1.0, "kbps": 1e3, "mbps": 1e6, "gbps": 1e9, "tbps": 1e12}
_BANDWIDTH_RE = re.compile(
    _NUM
    + r"\s*(?:(?P<bits>"
    + _one_of(_BITS, any_case=True)
    + r")|(?P<bytes>"
    + _one_of((u for u in _SIZE if u), any_case=True)
    + r")/s)"
)


def parse_bandwidth(value: Any) -> float:
    """Parse `25Gbps` (bits) or `1.25GB/s` (bytes), or a plain number of bytes/s, to bytes/s."""
    number = _number(value, "bandwidth")
    if number is not None:
        return number
    text = str(value).strip()
    m = _BANDWIDTH_RE.fullmatch(text)
    if not m:
        raise ValueError(
            f"invalid bandwidth {text!r}: write bits per second such as '10Gbps' or '25Gbps' "
            "(bps kbps Mbps Gbps Tbps), or bytes per second such as '1.25GB/s'"
        )
    if m["bits"]:
        return float(m["num"]) * _BITS[m["bits"].lower()] / 8
    return float(m["num"]) * _SIZE[m["bytes"].lower()]


_PERCENT_RE = re.compile(_NUM + r"\s*%")


def parse_percent(value: Any) -> float:
    """Parse `99.95%` (or a plain fraction such as 0.9995) to a fraction between 0 and 1.

    A plain number is the fraction itself, as stored, so a dumped spec loads back the same;
    `99.95` without `%` is refused rather than guessed.
    """
    if isinstance(value, bool):
        raise ValueError("expected a percentage, got a boolean")
    if isinstance(value, int | float):
        if not math.isfinite(value) or not 0 < value <= 1:
            raise ValueError(
                f"{value!r} is not a fraction between 0 and 1: write a percentage such as '99.95%'"
            )
        return float(value)
    if not isinstance(value, str):
        raise ValueError("expected a percentage such as '99.95%'")
    text = value.strip()
    m = _PERCENT_RE.fullmatch(text)
    if not m or not 0 < float(m["num"]) <= 100:
        raise ValueError(f"invalid percentage {text!r}: write a value up to 100%, such as '99.95%'")
    return float(m["num"]) / 100


def _schema(pattern: str, description: str, examples: list[str]) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": pattern},
                {"type": "number", "minimum": 0},
            ],
            "description": description,
            "examples": examples,
        }
    )


Rate = Annotated[
    float,
    BeforeValidator(parse_rate),
    _schema(
        _pattern(_RATE_RE),
        "A rate: a count per unit of time (`100M/day`, `5k/s`), or a number per second.",
        ["100M/day", "5k/s"],
    ),
]
Count = Annotated[
    float,
    BeforeValidator(parse_count),
    _schema(
        _pattern(_COUNT_RE),
        "A count, with an optional multiplier (`300M`, `1.5k`), or a plain number.",
        ["300M", "50k"],
    ),
]
Size = Annotated[
    float,
    BeforeValidator(parse_size),
    _schema(
        _pattern(re.compile(_NUM + r"\s*" + _one_of((u for u in _SIZE if u), any_case=True) + "?")),
        "A size in bytes with a unit (`500B`, `2KB`, `1.5GiB`), or a number of bytes.",
        ["500B", "2MB"],
    ),
]
Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    _schema(
        _pattern(re.compile(_NUM + r"\s*" + _one_of(_DURATION))),
        "A duration with a unit (`250ms`, `30s`, `15m`, `24h`, `30d`, `5y`), or seconds.",
        ["24h", "5y"],
    ),
]
Percent = Annotated[
    float,
    BeforeValidator(parse_percent),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": _pattern(_PERCENT_RE)},
                {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            ],
            "description": "A percentage (`99.95%`), or the fraction itself (0.9995).",
            "examples": ["99.95%", "99.9%"],
        }
    ),
]

Bandwidth = Annotated[
    float,
    BeforeValidator(parse_bandwidth),
    _schema(
        _pattern(_BANDWIDTH_RE),
        "Network bandwidth: bits per second (`10Gbps`, `25Gbps`) or bytes per second "
        "(`1.25GB/s`), or a number of bytes per second.",
        ["25Gbps", "1.25GB/s"],
    ),
]


def _scaled(value: float, steps: list[tuple[float, str]], digits: int = 3) -> tuple[str, str]:
    for factor, suffix in steps:
        if abs(value) >= factor:
            return _sig(value / factor, digits), suffix
    return _sig(value, digits), steps[-1][1] if steps[-1][0] == 1 else ""


def _sig(value: float, digits: int = 3) -> str:
    """Format with `digits` significant figures, no trailing zeros (`1.16`, `578`, `91.3`)."""
    if value == 0:
        return "0"
    if not math.isfinite(value):  # an estimate that overflowed: say so, never crash
        return "infinite" if value > 0 else "-infinite" if value < 0 else "undefined"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    # Half-up on the shortest decimal text, so 91.25 shows as 91.3 as a reader expects.
    # Precision for every integer digit (a float goes up to 309 of them).
    with localcontext(prec=max(28, magnitude + digits + 2)):
        quantum = Decimal(1).scaleb(-decimals)
        exact = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{exact:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def human_count(value: float) -> str:
    """`1157.4` -> `1.16k`; `3.2e9` -> `3.2B`."""
    num, suffix = _scaled(value, [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"), (1, "")])
    return num + suffix


def human_rate(per_second: float) -> str:
    """`1157.4` -> `1.16k/s`; below one per second falls back to per minute/hour/day."""
    if per_second >= 1 or per_second == 0:
        return human_count(per_second) + "/s"
    for unit, seconds in (("min", MINUTE), ("hour", HOUR), ("day", DAY)):
        if per_second * seconds >= 1:
            return human_count(per_second * seconds) + "/" + unit
    return human_count(per_second * DAY) + "/day"


def human_size(num_bytes: float) -> str:
    """`578703.7` -> `579 KB`; decimal units, as disks and bandwidth are sold."""
    steps = [(1e18, "EB"), (1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")]
    steps.append((1, "B"))
    num, suffix = _scaled(num_bytes, steps)
    return f"{num} {suffix or 'B'}"


def human_bandwidth(bytes_per_second: float) -> str:
    """`578703.7` -> `579 KB/s`."""
    return human_size(bytes_per_second) + "/s"


def human_duration(seconds: float) -> str:
    """`157680000` -> `5y`; `86400` -> `1d`; `0.25` -> `250ms`."""
    steps = [(YEAR, "y"), (MONTH, "mo"), (WEEK, "w"), (DAY, "d"), (HOUR, "h"), (MINUTE, "m")]
    for factor, suffix in steps:
        if seconds >= factor and (seconds / factor).is_integer():
            return f"{int(seconds // factor)}{suffix}"
    if seconds >= 1 or seconds == 0:
        return _sig(seconds) + "s"
    return _sig(seconds * 1000) + "ms"


def human_percent(fraction: float) -> str:
    """`0.998` -> `99.80%`; `0.99999` -> `99.999%`: two decimals, more rather than 100%."""
    if fraction >= 1:
        return "100%"
    pct = fraction * 100
    decimals = 2
    while decimals < 7 and float(f"{pct:.{decimals}f}") >= 100:
        decimals += 1
    return f"{pct:.{decimals}f}%"


def human_ms(seconds: float) -> str:
    """`0.0384` -> `38 ms`; `0.00042` -> `0.42 ms`; `12.5` -> `12.5 s`; infinity: `unbounded`."""
    if math.isinf(seconds):
        return "unbounded"
    if seconds >= 10:
        return _sig(seconds) + " s"
    ms = seconds * 1000
    if ms >= 10:
        return f"{ms:.0f} ms"
    return _sig(ms, 2) + " ms"


def human_money(amount: float, currency: str = "USD") -> str:
    """`1_900_000` -> `$1.9M`; `12.3` -> `$12.3`; other currencies as `EUR 1.9M`."""
    prefix = "$" if currency == "USD" else f"{currency} "
    if abs(amount) < 1000:
        return prefix + (_sig(amount) if amount else "0")
    num, suffix = _scaled(amount, [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")], digits=2)
    return f"{prefix}{num}{suffix}"


def human_downtime(seconds: float) -> str:
    """`31536` -> `8.76 h`; `262.8` -> `4.38 min`; `3.2` -> `3.2 s`: three figures."""
    for factor, unit in ((DAY, "d"), (HOUR, "h"), (MINUTE, "min")):
        if seconds >= factor:
            return f"{_sig(seconds / factor)} {unit}"
    return f"{_sig(seconds)} s"
