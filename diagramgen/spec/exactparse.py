"""The loader's exact path: ruamel's pure-Python parser, exact for every YAML and JSON.

It reads what the fast path (`fastparse`) leaves to it (anchors, tags, directives,
duplicate keys ...) and every invalid spec, whose messages and positions the golden tests
fix. It refuses, at their position: alias bombs and documents past `MAX_NODES` values,
explicit tags other than the plain core ones, `%YAML` versions other than 1.2, integers
too long to be quantities, nesting past `MAX_DEPTH`, duplicate keys.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, ScalarEvent
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.tag import Tag

from diagramgen.errors import Problem, SpecError
from diagramgen.spec.fastparse import LONG_NUMBER as _LONG_NUMBER
from diagramgen.spec.fastparse import MAX_DEPTH, MAX_DIGITS, MAX_NODES, Located, join_surrogates
from diagramgen.spec.fastparse import TOO_MANY as _TOO_MANY
from diagramgen.spec.semantic import Loc


def parse_exact_text(text: str, path: str) -> tuple[Any, Located]:
    """Plain data and positions of a spec by ruamel's pure-Python parser (any YAML or JSON)."""
    if path.endswith(".json"):
        _check_json(text, path)
    _count_values(text, path)
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    yaml.Composer = _BoundedComposer
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem if isinstance(exc, _Refused) else _yaml_message(exc)
        raise SpecError([Problem(path, line, col, str(message))]) from None
    except ValueError as exc:  # a constructor's own check, e.g. Python's int digit limit
        raise SpecError([Problem(path, 1, 1, f"invalid value: {exc}")]) from None
    except YAMLError as exc:
        raise SpecError([Problem(path, 1, 1, f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise SpecError([Problem(path, 1, 1, "the document is nested too deeply")]) from None
    located = Located()
    return _plain(tree, (), located, path, 0), located


_CORE = "tag:yaml.org,2002:"
# Explicit tags that only restate a plain JSON-like value; every other tag (`!!binary`,
# `!!set`, `!!timestamp`, `!!python/...`, custom `!thing`) would be coerced into something
# the author did not write, so it is refused.
_ALLOWED_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq"))


def _count_values(text: str, path: str) -> None:
    """Refuse a document with more than `MAX_NODES` values before the slow parse starts.

    ruamel's pure-Python parser (kept for its exact positions) spends about as long on
    each value as libyaml spends on a thousand, so a quick libyaml pass over the events
    counts them first; its syntax errors are left to ruamel, which reports them better.
    Aliases are counted by `_BoundedComposer`, which also holds the limit without libyaml.
    """
    try:
        from yaml import YAMLError
        from yaml.cyaml import CParser
        from yaml.events import CollectionStartEvent, ScalarEvent
    except ImportError:  # PyYAML built without libyaml: the composer's count still applies
        return
    parser = CParser(text)
    values = 0
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, ScalarEvent | CollectionStartEvent):
                values += 1
                if values > MAX_NODES:
                    mark = event.start_mark
                    raise SpecError([Problem(path, mark.line + 1, mark.column + 1, _TOO_MANY)])
    except YAMLError:
        return
    finally:
        parser.dispose()


class _Refused(MarkedYAMLError):
    """A document refused while it is being read (limits, tags), located at its mark."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(problem=message, problem_mark=mark)


class _BoundedComposer(Composer):
    """ruamel's composer, stopping as soon as the document passes the limits.

    The checks run on parser events before any node is built, so a huge flow list or an
    alias bomb stops after `MAX_NODES` values rather than after the whole tree is built;
    an alias counts as every value it repeats. Also refused here, at their position:
    explicit tags other than the plain core ones, `%YAML` versions other than 1.2 (1.1
    reads `yes` as true), and integers too long to be quantities. Timestamps are kept as
    the text written (YAML would rewrite `2024-01-01 10:00` as a datetime).
    """

    def compose_document(self) -> Any:
        self._values = 0
        self._sizes: dict[Any, int] = {}
        start = self.parser.peek_event()
        version = getattr(start, "version", None)
        if version is not None and tuple(version) != (1, 2):
            found = ".".join(map(str, version))
            raise _Refused(f"%YAML {found} is not supported: specs are YAML 1.2", start.start_mark)
        if getattr(start, "tags", None):
            raise _Refused("%TAG directives are not supported", start.start_mark)
        return super().compose_document()

    def _count(self, n: int, mark: Any) -> None:
        self._values += n
        if self._values > MAX_NODES:
            raise _Refused(_TOO_MANY, mark)

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            self._count(self._sizes.get(event.anchor, 1), event.start_mark)
            return super().compose_node(parent, index)
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
            shown = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
            raise _Refused(
                f"YAML tag {shown} is not supported: write the plain value", event.start_mark
            )
        if isinstance(event, ScalarEvent) and tag in _ALLOWED_TAGS and tag != _CORE + "str":
            # `!!int`, `!!bool` ... only restate what the plain value already is.
            plain = self.resolver.resolve(ScalarNode, event.value, (True, False))
            if str(plain) != tag:
                shown = tag.removeprefix(_CORE)
                raise _Refused(
                    f"YAML tag !!{shown} does not match the value {event.value!r}",
                    event.start_mark,
                )
        if (
            isinstance(event, ScalarEvent)
            and event.style is None
            and len(event.value) > MAX_DIGITS
            and _LONG_NUMBER.fullmatch(event.value)
        ):
            raise _Refused(f"a number of more than {MAX_DIGITS} digits", event.start_mark)
        before = self._values
        self._count(1, event.start_mark)
        node = super().compose_node(parent, index)
        if event.anchor is not None:
            self._sizes[event.anchor] = self._values - before
        if isinstance(node, ScalarNode) and node.tag == _CORE + "timestamp" and tag is None:
            node.tag = Tag(suffix=_CORE + "str")
        return node


def _check_json(text: str, path: str) -> None:
    try:
        # parse_int=str: the syntax check needs no numbers (and Python refuses 4,300+ digits;
        # the YAML pass reports long numbers at their position).
        json.loads(text, parse_int=str)
    except json.JSONDecodeError as exc:
        raise SpecError(
            [Problem(path, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}")]
        ) from None
    except RecursionError:
        raise SpecError([Problem(path, 1, 1, "the document is nested too deeply")]) from None


def _yaml_message(exc: MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    if "found duplicate key" in problem:
        key = re.search(r'duplicate key "(.*?)"', problem)
        return f"duplicate key {key.group(1)!r}" if key else "duplicate key"
    context = (exc.context or "").strip()
    text = f"{context}: {problem}" if context and problem else problem or context
    return f"invalid YAML: {text}" if text else "invalid YAML"


def _plain(node: Any, loc: Loc, located: Located, path: str, depth: int) -> Any:
    """Turn ruamel's round-trip objects into dicts, lists and scalars, recording positions."""
    located.nodes += 1
    if located.nodes > MAX_NODES:
        raise SpecError([Problem(path, 1, 1, _TOO_MANY)])
    if depth > MAX_DEPTH:
        line, col = located.value_pos.get(loc, (1, 1))
        raise SpecError([Problem(path, line, col, f"nested more than {MAX_DEPTH} levels deep")])
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key in node:
            k = _scalar(key)
            if isinstance(k, list | dict):
                k = str(k)
            child = (*loc, k)
            try:
                kl, kc = node.lc.key(key)
                located.key_pos[child] = (kl + 1, kc + 1)
                vl, vc = node.lc.value(key)
                located.value_pos[child] = (vl + 1, vc + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            out[k] = _plain(node[key], child, located, path, depth + 1)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, item in enumerate(node):
            child = (*loc, i)
            try:
                il, ic = node.lc.item(i)
                located.key_pos[child] = located.value_pos[child] = (il + 1, ic + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            items.append(_plain(item, child, located, path, depth + 1))
        return items
    if isinstance(node, dict):  # sets and other mappings ruamel may build
        return {
            str(k): _plain(v, (*loc, str(k)), located, path, depth + 1) for k, v in node.items()
        }
    if isinstance(node, list | tuple):
        return [_plain(v, (*loc, i), located, path, depth + 1) for i, v in enumerate(node)]
    return _scalar(node)


def _scalar(value: Any) -> Any:
    """Plain Python scalars: ruamel's bool-as-int, timestamps and tagged values normalised."""
    if isinstance(value, str):
        value = join_surrogates(value)
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, TaggedScalar):
        return str(value.value)
    if isinstance(value, bool) or type(value).__name__ == "ScalarBoolean":
        return bool(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, _dt.date | _dt.datetime):
        return value.isoformat()
    return str(value)
