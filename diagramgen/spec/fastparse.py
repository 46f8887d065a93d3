"""The loader's fast path: JSON through `json`, YAML through libyaml's C parser.

The exact path (ruamel, pure Python) spends about as long on each value as libyaml spends
on a thousand. This module reads the common case, a plain document, at C speed and gives
exactly what the exact path gives: the same plain data (YAML 1.2 scalars as ruamel reads
them, timestamps kept as the text written) and the same `(line, col)` for every key and
value, taken from libyaml's marks. Anything it cannot promise to read the same way (an
anchor or alias, an explicit tag, a `%YAML` or `%TAG` directive, a duplicate key, a
complex key, a merge key, nesting past the depth limit, a number too long to be a
quantity, NEL/LS/PS line breaks that YAML 1.1 and 1.2 count differently, any libyaml
error) raises `Fallback`, and the loader runs the exact path, which reports the problem
at its position with its usual message. `tests/spec/test_fast_loader.py` checks the two
paths agree on random specs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from diagramgen.errors import Problem, SpecError

MAX_NODES = 200_000  # expanded YAML values: 10x the largest catalogue-style spec measured
MAX_DIGITS = 30  # no count, rate or size needs more digits; Python refuses 4,300+
MAX_DEPTH = 64  # no legitimate spec nests deeper than a handful of levels

TOO_MANY = (
    f"the document has more than {MAX_NODES:,} values "
    "(YAML aliases that multiply?): split it or simplify it"
)

Loc = tuple[str | int, ...]
Pos = tuple[int, int]
Positions = tuple[dict[Loc, Pos], dict[Loc, Pos]]

SURROGATE = re.compile("[\ud800-\udfff]")
LONG_NUMBER = re.compile(rf"[-+]?[0-9][0-9_]{{{MAX_DIGITS},}}")


class Fallback(Exception):
    """The fast path cannot promise the exact path's result for this document."""


def join_surrogates(value: str) -> str:
    """JSON and YAML escape non-BMP characters (emoji) as surrogate pairs: join them."""
    if SURROGATE.search(value):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


class Located:
    """The position of every key and value of a spec's plain data.

    The exact path fills the tables as it converts ruamel's tree. The fast path leaves
    them to `build`, run on first use: validating and analysing a valid spec needs no
    position, only errors and located findings do.
    """

    def __init__(self, build: Callable[[], Positions] | None = None) -> None:
        self._key_pos: dict[Loc, Pos] = {}
        self._value_pos: dict[Loc, Pos] = {}
        self._build = build
        self.exact = build is None  # the tables come from the exact path (ruamel)
        self.nodes = 0

    @property
    def key_pos(self) -> dict[Loc, Pos]:
        """`(line, col)` of each key (of each item, for list items)."""
        self._ensure()
        return self._key_pos

    @property
    def value_pos(self) -> dict[Loc, Pos]:
        """`(line, col)` of each value."""
        self._ensure()
        return self._value_pos

    def _ensure(self) -> None:
        if self._build is not None:
            build, self._build = self._build, None
            self._key_pos, self._value_pos = build()


# ---------------------------------------------------------------- YAML 1.2 plain scalars

# ruamel's YAML 1.2 implicit resolvers (ruamel/yaml/resolver.py), each tried only for
# plain scalars starting with one of its first characters, as ruamel does.
_FIRST = frozenset("-+0123456789.tTfF~nN<=")
_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
    r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN)"
)
_INT = re.compile(r"[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+")
_NULL = re.compile(r"~|null|Null|NULL")
_TIMESTAMP = re.compile(
    r"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
    r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
    r"(?:[Tt]|[ \t]+)[0-9][0-9]?"
    r":[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?"
)
_INT_BASES = {"0b": 2, "0x": 16, "0o": 8}


def plain_scalar(text: str) -> Any:
    """A plain (unquoted) YAML 1.2 scalar as ruamel's round-trip loader reads it."""
    if not text:
        return None
    first = text[0]
    if first not in _FIRST:
        return text
    if first in "tTfF":
        return text[0] in "tT" if _BOOL.fullmatch(text) else text
    if first in "~nN":
        return None if _NULL.fullmatch(text) else text
    if first in "<=":
        if text in ("<<", "="):  # merge keys and the `value` tag: the exact path decides
            raise Fallback(text)
        return text
    if _FLOAT.fullmatch(text):
        return _float(text)
    if _INT.fullmatch(text):
        return _int(text)
    # Timestamps stay the text written (YAML would turn `2024-01-01 10:00` into a datetime).
    return text


def _int(text: str) -> int:
    if len(text) > MAX_DIGITS and LONG_NUMBER.fullmatch(text):
        raise Fallback("a number too long to be a quantity")
    digits = text.replace("_", "")
    sign = -1 if digits[:1] == "-" else 1
    digits = digits.lstrip("+-")
    base = _INT_BASES.get(digits[:2], 10)
    try:
        return sign * int(digits[2:] if base != 10 else digits, base)
    except ValueError:  # `-_`, `0b_`: odd enough for the exact path to decide
        raise Fallback(text) from None


def _float(text: str) -> float:
    lower = text.replace("_", "").lower()
    sign = -1.0 if lower[:1] == "-" else 1.0
    unsigned = lower.lstrip("+-")
    if unsigned == ".inf":
        return sign * float("inf")
    if unsigned == ".nan":
        return float("nan")
    try:
        return float(lower)
    except ValueError:
        raise Fallback(text) from None


# ---------------------------------------------------------------- YAML through libyaml


def yaml_available() -> bool:
    """True when PyYAML was built with libyaml (the C parser)."""
    try:
        from yaml.cyaml import CParser  # noqa: F401
    except ImportError:
        return False
    return True


def parse_yaml(text: str, path: str, positions: bool) -> tuple[Any, Positions | None]:
    """Plain data (and, when asked, key and value positions) of a YAML document.

    Raises `Fallback` for anything the exact path must read, and `SpecError` for a document
    with more than `MAX_NODES` values (located at the value past the limit, as the exact
    path's count locates it).
    """
    if any(ch in text for ch in "\x85\u2028\u2029"):
        raise Fallback("NEL/LS/PS line breaks")
    from yaml import YAMLError
    from yaml.cyaml import CParser

    parser = CParser(text)
    try:
        return _build(parser, path, positions)
    except YAMLError:
        raise Fallback("libyaml refused the document") from None
    except (RecursionError, MemoryError, UnicodeError):
        raise Fallback("the exact path reports it") from None
    finally:
        parser.dispose()


def _build(parser: Any, path: str, positions: bool) -> tuple[Any, Positions | None]:
    """Assemble the document from the parser's events without recursion."""
    from yaml.events import (
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
        StreamStartEvent,
    )

    node_events = (ScalarEvent, MappingStartEvent, SequenceStartEvent)
    get = parser.get_event
    if type(get()) is not StreamStartEvent:
        raise Fallback("no stream")
    start = get()
    if type(start) is not DocumentStartEvent or start.version or start.tags:
        raise Fallback("a directive or no document")
    key_pos: dict[Loc, Pos] = {}
    value_pos: dict[Loc, Pos] = {}
    # One frame per open collection: [container, its loc, is_mapping, pending key, key mark]
    stack: list[list[Any]] = []
    root: Any = None
    done = False
    values = 0
    while not done:
        event = get()
        kind = type(event)
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            if not stack:
                done = True
            continue
        if kind not in node_events:
            raise Fallback("an alias or an unexpected event")  # AliasEvent included
        values += 1
        if values > MAX_NODES:
            mark = event.start_mark
            raise SpecError([Problem(path, mark.line + 1, mark.column + 1, TOO_MANY)])
        if event.anchor is not None or event.tag is not None:
            raise Fallback("an anchor or an explicit tag")
        if kind is ScalarEvent:
            if event.style:
                value: Any = join_surrogates(event.value)
            elif event.value:
                value = plain_scalar(event.value)
            elif positions:  # libyaml and ruamel place an empty value differently
                raise Fallback("an empty value")
            else:
                value = None
        elif len(stack) >= MAX_DEPTH:
            raise Fallback("nested past the depth limit")
        else:
            value = {} if kind is MappingStartEvent else []
        loc: Loc = ()
        if stack:
            frame = stack[-1]
            container = frame[0]
            if frame[2]:  # a mapping
                if frame[3] is _NO_KEY:
                    if kind is not ScalarEvent:
                        raise Fallback("a complex key")
                    if value in container or isinstance(value, float):
                        raise Fallback("a duplicate key")  # or a key like `.nan`
                    frame[3] = value
                    frame[4] = event.start_mark
                    continue
                key, key_mark = frame[3], frame[4]
                frame[3] = _NO_KEY
                container[key] = value
                if positions:
                    loc = (*frame[1], key)
                    mark = event.start_mark
                    key_pos[loc] = (key_mark.line + 1, key_mark.column + 1)
                    value_pos[loc] = (mark.line + 1, mark.column + 1)
            else:
                if positions:
                    loc = (*frame[1], len(container))
                    mark = event.start_mark
                    key_pos[loc] = value_pos[loc] = (mark.line + 1, mark.column + 1)
                container.append(value)
            if kind is not ScalarEvent:
                stack.append([value, loc, kind is MappingStartEvent, _NO_KEY, None])
        else:
            root = value
            if kind is ScalarEvent:
                done = True
            else:
                stack.append([value, (), kind is MappingStartEvent, _NO_KEY, None])
    if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
        raise Fallback("more than one document")
    return root, ((key_pos, value_pos) if positions else None)


_NO_KEY = object()


# ---------------------------------------------------------------- JSON through json


def parse_json(text: str) -> Any:
    """Plain data of a JSON document, exactly as the exact (YAML) path reads it.

    `NaN` and `Infinity` (which YAML reads as text), duplicate keys, numbers too long to be
    quantities and nesting past the limit fall back to the exact path.
    """
    try:
        data = json.loads(
            text,
            parse_int=_json_int,
            parse_constant=_json_constant,
            object_pairs_hook=_json_object,
        )
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        raise Fallback("invalid JSON") from None
    if _count(data, 0) > MAX_NODES:
        raise Fallback("too many values")
    return data


def _json_int(text: str) -> int:
    if len(text) > MAX_DIGITS and LONG_NUMBER.fullmatch(text):
        raise Fallback("a number too long to be a quantity")
    return int(text)


def _json_constant(text: str) -> Any:
    raise Fallback(f"{text} is text in YAML")


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise Fallback("a duplicate key")
    return out


def _count(value: Any, depth: int) -> int:
    """Values in the document (keys included, as the YAML count has them).

    Strings with surrogates (JSON escapes) are joined in place, as the exact path does.
    """
    if depth > MAX_DEPTH:
        raise Fallback("nested past the depth limit")
    if type(value) is dict:
        if any(type(key) is str and SURROGATE.search(key) for key in value):
            raise Fallback("a surrogate in a key")
        slots: list[tuple[Any, Any]] = list(value.items())
        n = 1 + len(value)
    elif type(value) is list:
        slots, n = list(enumerate(value)), 1
    else:
        return 1
    for slot, item in slots:
        if type(item) is str:
            n += 1
            if SURROGATE.search(item):
                value[slot] = join_surrogates(item)
        else:
            n += _count(item, depth + 1)
    return n


# ---------------------------------------------------------------- entry points


def fast_parse(text: str, path: str) -> Any:
    """Plain data of a spec by the fast path; `Fallback` when the exact path must read it."""
    if path.endswith(".json"):
        return parse_json(text)
    if not yaml_available():
        raise Fallback("PyYAML without libyaml")
    return parse_yaml(text, path, positions=False)[0]


def fast_positions(text: str, path: str) -> Positions:
    """Key and value positions of every part, by libyaml (JSON is YAML); `Fallback` if not."""
    if not yaml_available():
        raise Fallback("PyYAML without libyaml")
    _, found = parse_yaml(text, path, positions=True)
    assert found is not None
    return found


PositionsFn = Callable[[], Positions]
