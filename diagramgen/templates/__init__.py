"""Starter specs for `diagramgen new`: commented templates shipped as package data.

Each `<template>.yaml` beside this module is a `string.Template` with the placeholders
`${name}`, `${title}` (YAML-quoted values), `${title_text}`, `${path}` and `${schema}`
(plain text for the comments). Only the standard library is imported here, so the CLI
can list the templates without loading the heavy stages.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from string import Template

# The order `--help` shows them in; a test checks that it matches the files shipped.
TEMPLATES: dict[str, str] = {
    "web": "CDN, load balancer, API, cache, SQL database, workers",
    "pipeline": "collector, stream, batch ETL, data lake, warehouse",
    "event-driven": "services reacting to events on a stream",
    "minimal": "a client, a service, a database",
}
DEFAULT_TEMPLATE = "web"

# The schema's published address: used when no local copy is found above the spec's folder.
SCHEMA_URL = "https://diagramgen.dev/schemas/design.schema.json"
SCHEMA_FILE = Path("schemas") / "design.schema.json"

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def check_name(name: str) -> str:
    """The design name for `NAME` (a trailing `.yaml`/`.yml` dropped); ValueError if unsafe.

    A name becomes a file name, so it is letters, digits, `-` and `_` only: never a path,
    never hidden, never `..`.
    """
    stem = re.sub(r"\.ya?ml$", "", name)
    if not _NAME_RE.match(stem):
        raise ValueError(
            f"invalid name {name!r}: use letters, digits, '-' and '_' (at most 64, "
            "starting with a letter or digit); it names the file <name>.yaml"
        )
    return stem


def title_from_name(name: str) -> str:
    """`checkout-service` -> `Checkout service`."""
    words = re.sub(r"[-_]+", " ", name).strip()
    return words[:1].upper() + words[1:]


def template_text(template: str) -> str:
    """The raw text of a template; KeyError for an unknown one."""
    if template not in TEMPLATES:
        raise KeyError(f"unknown template {template!r}: choose from {', '.join(TEMPLATES)}")
    from importlib.resources import files  # 6 ms: paid by `new` only, not every start

    return files(__name__).joinpath(f"{template}.yaml").read_text("utf-8")


def schema_reference(directory: str | Path) -> str:
    """Where a spec written into `directory` should point its `$schema` line.

    The nearest `schemas/design.schema.json` in `directory` or above it (up to the
    repository root, the first folder holding `.git`), as a relative POSIX path; else
    the schema's published URL.
    """
    start = Path(os.path.abspath(directory))
    for folder in (start, *start.parents):
        candidate = folder / SCHEMA_FILE
        if candidate.is_file():
            return Path(os.path.relpath(candidate, start)).as_posix()
        if (folder / ".git").exists():
            break
    return SCHEMA_URL


def starter_spec(
    name: str,
    template: str = DEFAULT_TEMPLATE,
    *,
    schema: str = SCHEMA_URL,
    path: str | None = None,
) -> str:
    """The text of a starter spec named `name` from `template`.

    `schema` goes into the `# yaml-language-server: $schema=` line; `path` is the spec's
    path as the user will type it in the example commands of the comments.
    """
    stem = check_name(name)
    title = title_from_name(stem)
    if "\n" in schema or "\r" in schema:
        raise ValueError("the schema reference must be one line")
    return Template(template_text(template)).substitute(
        # JSON strings are valid YAML: quoting keeps names such as `true` or `1e3` text.
        name=json.dumps(stem),
        title=json.dumps(title),
        title_text=title,
        schema=schema,
        path=path or f"{stem}.yaml",
    )
