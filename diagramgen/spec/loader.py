"""Load a spec from YAML or JSON into a `Design`, reporting every problem at `path:line:col`."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from diagramgen.errors import Problem, SpecError
from diagramgen.spec.fastparse import MAX_DEPTH as MAX_DEPTH  # the limits, re-exported
from diagramgen.spec.fastparse import MAX_DIGITS as MAX_DIGITS
from diagramgen.spec.fastparse import MAX_NODES as MAX_NODES
from diagramgen.spec.fastparse import (
    Fallback,
    Positions,
    fast_parse,
    fast_positions,
)
from diagramgen.spec.fastparse import Located as _Located
from diagramgen.spec.models import (
    COMPONENT_CLASSES,
    KINDS,
    Design,
    FanOrigin,
    expand_fanout,
    is_valid_id,
)
from diagramgen.spec.paths import MAX_BYTES, expand_paths, read_spec_bytes
from diagramgen.spec.paths import SPEC_SUFFIXES as SPEC_SUFFIXES  # re-exported
from diagramgen.spec.prebuilt import ensure_validator
from diagramgen.spec.semantic import Loc, SemanticProblem, check_references, did_you_mean

Pos = tuple[int, int]


@dataclass(frozen=True)
class LoadedSpec:
    """A valid design with the file it came from and where each of its parts is written."""

    design: Design
    path: str
    located: _Located = field(repr=False)

    def position(self, *loc: str | int) -> tuple[int, int]:
        """`(line, col)` of a part, e.g. `position("components", 3)`; its parent's when unknown."""
        return _position(tuple(loc), self.located, at_key=False)

    def component_position(self, component_id: str) -> tuple[int, int]:
        """Where a component (or group) is written; `(1, 1)` for an unknown id."""
        for section in ("components", "groups"):
            for i, item in enumerate(getattr(self.design, section)):
                if item.id == component_id:
                    return self.position(section, i)
        return (1, 1)


def load(path: str | Path) -> Design:
    """Load and validate one spec file; raise `SpecError` listing every problem."""
    return load_located(path).design


def load_located(path: str | Path) -> LoadedSpec:
    """Like `load`, keeping the source positions (for `check` and other located reports)."""
    p = Path(path)
    raw = read_spec_bytes(p)
    return loads_located(raw, path=str(path), default_name=p.stem, base_dir=p.parent)


def loads_located(
    source: str | bytes,
    path: str = "<spec>",
    default_name: str | None = None,
    base_dir: str | Path | None = None,
) -> LoadedSpec:
    """Like `loads`, keeping the source positions."""
    if isinstance(source, str):
        source = str(source)  # a str subclass (an export's text) as a plain str for the parser
    data, located = parse(source, path)
    try:
        return _validated(data, located, path, default_name, base_dir)
    except SpecError:
        if located.exact:
            raise
    # Only an invalid spec reads the exact path again: its messages and positions are the
    # ones the golden tests fix.
    data, located = parse_exact(source, path)
    return _validated(data, located, path, default_name, base_dir)


def _validated(
    data: Any,
    located: _Located,
    path: str,
    default_name: str | None,
    base_dir: str | Path | None,
) -> LoadedSpec:
    if isinstance(data, dict) and "name" not in data and default_name:
        data["name"] = default_name
    return LoadedSpec(validate_data(data, located, path, base_dir), path, located)


def loads(
    source: str | bytes,
    path: str = "<spec>",
    default_name: str | None = None,
    base_dir: str | Path | None = None,
) -> Design:
    """Load and validate a spec from text; `path` only names it in messages.

    `base_dir` is the folder that relative files (custom icons) are read from; default: the
    current folder.
    """
    return loads_located(source, path, default_name, base_dir).design


def parse(source: str | bytes, path: str = "<spec>") -> tuple[Any, _Located]:
    """Parse YAML or JSON text into plain data and positions (no validation).

    The fast path (`json`, or libyaml's C parser) reads the document when it can promise
    the exact path's result; positions are then computed on first use. Anything else
    (anchors, tags, errors ...) goes through `parse_exact`.
    """
    text = _decode(source, path)
    _refuse_empty(text, path)
    try:
        data = fast_parse(text, path)
    except Fallback:
        return _parse_exact_text(text, path)
    if not isinstance(data, dict):
        return _parse_exact_text(text, path)  # its message
    return data, _Located(lambda: _positions(text, path))


def _positions(text: str, path: str) -> Positions:
    """Positions for the fast path's data: libyaml's marks, else the exact path's tables."""
    try:
        return fast_positions(text, path)
    except (Fallback, SpecError):
        pass
    try:
        located = _parse_exact_text(text, path)[1]
    except SpecError:  # the paths disagree on validity: no positions rather than a crash
        return {}, {}
    return located.key_pos, located.value_pos


def parse_exact(source: str | bytes, path: str = "<spec>") -> tuple[Any, _Located]:
    """`parse` by the exact path only: ruamel's pure-Python parser, positions as it goes."""
    text = _decode(source, path)
    _refuse_empty(text, path)
    return _parse_exact_text(text, path)


def _refuse_empty(text: str, path: str) -> None:
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise SpecError(
            [Problem(path, 1, 1, "the spec is empty: write at least `components:` (see README)")]
        )


def _parse_exact_text(text: str, path: str) -> tuple[Any, _Located]:
    from diagramgen.spec.exactparse import parse_exact_text

    data, located = parse_exact_text(text, path)
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {_type_name(data)}"
        raise SpecError(
            [
                Problem(
                    path,
                    1,
                    1,
                    f"a spec must be a mapping with keys such as 'components', not {what}",
                )
            ]
        )
    return data, located


def validate_data(
    data: Any,
    located: _Located | None = None,
    path: str = "<spec>",
    base_dir: str | Path | None = None,
) -> Design:
    """Validate plain data as a `Design`, mapping every error back to its position."""
    located = located or _Located()
    context = {"skip_references": True, "base_dir": base_dir}
    ensure_validator(Design)
    try:
        design = Design.model_validate(data, context=context)
    except ValidationError as exc:
        origins = _fanout_origins(data)
        errors = exc.errors()
        problems = [_from_pydantic(_unfan(err, origins), data, located, path) for err in errors]
        problems += [
            _from_semantic(p, data, located, path)
            for p in _references_despite(errors, data, context)
        ]
        raise SpecError(_dedupe(problems)) from None
    problems = [_from_semantic(p, data, located, path) for p in check_references(design)]
    if problems:
        raise SpecError(_dedupe(problems))
    return design


_PATCHABLE = ("components", "groups")


def _references_despite(errors: list[Any], data: Any, context: dict[str, Any]) -> list[Any]:
    """Reference problems of a spec whose only structural errors are in some groups/components.

    Each broken item is replaced by a minimal stand-in that keeps its id (and group), so a
    typo in one component's kind does not hide a dangling connection elsewhere: the user
    sees every problem in one run.
    """
    broken: set[tuple[str, int]] = set()
    for err in errors:
        loc = err["loc"]
        if len(loc) < 2 or loc[0] not in _PATCHABLE or not isinstance(loc[1], int):
            return []
        broken.add((str(loc[0]), loc[1]))
    if not isinstance(data, dict) or not broken:
        return []
    patched = dict(data)
    for section in _PATCHABLE:
        items = data.get(section)
        if not isinstance(items, list):
            continue
        patched[section] = [
            _stand_in(item, section, i) if (section, i) in broken else item
            for i, item in enumerate(items)
        ]
    try:
        design = Design.model_validate(patched, context=context)
    except ValidationError:
        return []
    return check_references(design)


def _stand_in(item: Any, section: str, index: int) -> dict[str, Any]:
    fields = item if isinstance(item, dict) else {}
    ident = fields.get("id")
    if not (isinstance(ident, str) and is_valid_id(ident)):
        ident = f"_broken_{section}_{index}"
    out: dict[str, Any] = {"id": ident}
    link = "group" if section == "components" else "parent"
    if isinstance(fields.get(link), str) and is_valid_id(fields[link]):
        out[link] = fields[link]
    if section == "components":
        out["kind"] = "external"
    return out


def iter_load(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Design | SpecError]]:
    """Load every spec under `paths`; yield each path with its design or its error."""
    for p in expand_paths(paths):
        try:
            yield p, load(p)
        except SpecError as exc:
            yield p, exc


# ---------------------------------------------------------------- parsing helpers


def _decode(source: str | bytes, path: str) -> str:
    if isinstance(source, str):
        text = source
    else:
        if len(source) > MAX_BYTES:
            raise SpecError([Problem(path, 1, 1, f"the file is larger than {MAX_BYTES >> 20} MB")])
        if b"\x00" in source[:8192]:
            raise SpecError([Problem(path, 1, 1, "not a text file (binary content)")])
        try:
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = source[: exc.start].count(b"\n") + 1
            col = exc.start - (source.rfind(b"\n", 0, exc.start) + 1) + 1
            raise SpecError([Problem(path, line, col, "not UTF-8 text")]) from None
    bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]", text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise SpecError(
            [Problem(path, line, col, f"control character {bad.group()!r} is not allowed")]
        )
    return text


def _type_name(value: Any) -> str:
    return {
        str: "string",
        int: "number",
        float: "number",
        bool: "boolean",
        list: "list",
        dict: "mapping",
        type(None): "null",
    }.get(type(value), type(value).__name__)


# ---------------------------------------------------------------- locating errors


def _resolve(loc: Loc, data: Any) -> Loc:
    """Drop the parts of a pydantic loc that are not in the data (union tags and the like)."""
    out: list[str | int] = []
    cur = data
    for part in loc:
        if (isinstance(cur, dict) and part in cur) or (
            isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        ):
            out.append(part)
            cur = cur[part]
    return tuple(out)


def _position(loc: Loc, located: _Located, at_key: bool) -> Pos:
    """The most precise known position for `loc`: itself, else its nearest ancestor."""
    table = located.key_pos if at_key else located.value_pos
    for n in range(len(loc), 0, -1):
        prefix = loc[:n]
        if prefix in table:
            return table[prefix]
        if prefix in located.value_pos:
            return located.value_pos[prefix]
    return (1, 1)


def _problem(path: str, loc: Loc, located: _Located, message: str, at_key: bool) -> Problem:
    line, col = _position(loc, located, at_key)
    return Problem(path, line, col, message)


def _from_semantic(p: SemanticProblem, data: Any, located: _Located, path: str) -> Problem:
    return _problem(path, _resolve(p.loc, data), located, p.message, p.at_key)


def _fanout_origins(data: Any) -> list[FanOrigin] | None:
    connections = data.get("connections") if isinstance(data, dict) else None
    return expand_fanout(connections)[1] if isinstance(connections, list) else None


def _unfan(err: Any, origins: list[FanOrigin] | None) -> Any:
    """An error about an expanded fan-out connection, located at the spec entry it came from."""
    loc = tuple(err["loc"])
    if not origins or len(loc) < 2 or loc[0] != "connections" or not isinstance(loc[1], int):
        return err
    if not 0 <= loc[1] < len(origins):
        return err
    entry, si, ti = origins[loc[1]]
    rest = loc[2:]
    if rest[:1] in (("from",), ("source",)) and si is not None:
        rest = (rest[0], si, *rest[1:])
    elif rest[:1] in (("to",), ("target",)) and ti is not None:
        rest = (rest[0], ti, *rest[1:])
    return {**err, "loc": ("connections", entry, *rest)}


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems))


def _from_pydantic(err: Any, data: Any, located: _Located, path: str) -> Problem:
    kind = err["type"]
    loc = tuple(err["loc"])
    where = _resolve(loc, data)
    ctx = err.get("ctx") or {}
    field = next((p for p in reversed(where) if isinstance(p, str)), None)

    if kind == "union_tag_invalid":
        tag = str(ctx.get("tag", ""))
        message = f"unknown component kind {tag!r}{did_you_mean(tag, KINDS)}"
        if not did_you_mean(tag, KINDS):
            message += f" (kinds: {', '.join(KINDS)})"
        return _problem(path, (*where, "kind"), located, message, False)
    if kind == "union_tag_not_found":
        return _problem(
            path, where, located, f"component has no 'kind' (one of: {', '.join(KINDS)})", False
        )
    if kind == "extra_forbidden":
        key = str(loc[-1])
        fields, owner = _fields_at(loc[:-1])
        hint = did_you_mean(key, fields)
        return _problem(path, where, located, f"unknown field {key!r}{owner}{hint}", True)
    if kind == "missing":
        return _problem(path, where, located, f"missing required field {loc[-1]!r}", False)
    if kind == "literal_error":
        value = err.get("input")
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = did_you_mean(str(value), options) if isinstance(value, str) else ""
        return _problem(
            path,
            where,
            located,
            f"invalid {field or 'value'} {value!r}: expected one of {', '.join(options)}{hint}",
            False,
        )
    if kind == "string_pattern_mismatch" and field in ("id", "parent"):
        return _problem(
            path,
            where,
            located,
            f"invalid id {err.get('input')!r}: start with a letter or '_', then use letters, "
            "digits, '_' or '-' (at most 64)",
            False,
        )
    if kind == "list_type":
        what = _type_name(err.get("input"))
        return _problem(
            path, where, located, f"{field or 'value'!r} must be a list, not a {what}", False
        )
    if kind in ("model_type", "dict_type"):
        what = _type_name(err.get("input"))
        name = f"{field!r} " if field else ""
        return _problem(path, where, located, f"{name}must be a mapping, not a {what}", False)
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    msg = msg[:1].lower() + msg[1:]
    if field and field not in msg and not msg.startswith("invalid "):
        msg = f"{field}: {msg}"
    return _problem(path, where, located, msg, False)


def _fields_at(loc: Loc) -> tuple[list[str], str]:
    """Field names (and aliases) of the model at `loc`, and ` for kind 'x'` for components."""
    model: Any = Design
    owner = ""
    for part in loc:
        if isinstance(part, int):
            continue
        if model is _COMPONENT_UNION:
            cls = COMPONENT_CLASSES.get(str(part))
            if cls is None:
                return [], ""
            model, owner = cls, f" for kind {part!r}"
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return [], ""
        field = model.model_fields.get(str(part)) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        if field is None:
            return [], ""
        model = _unwrap(field.annotation)
        owner = ""
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return [], ""
    names = [f.alias or n for n, f in model.model_fields.items()]
    return names, owner


_COMPONENT_UNION = object()


def _unwrap(annotation: Any) -> Any:
    """The model class behind `list[X]`, `X | None`, or the component union marker."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin is list:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        models = [
            a
            for a in typing.get_args(annotation)
            if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        if len(models) > 1:
            return _COMPONENT_UNION
        return models[0] if models else None
    return annotation
