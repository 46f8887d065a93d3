"""A design's entry in the site's index, kept beside its pages between builds.

Kept apart from `pages.py` (and its imports of the models and the analysis), so that a
build that finds every design up to date reads these and loads nothing else.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class DesignSummary:
    """What the index shows and filters on for one design."""

    slug: str
    title: str
    description: str | None
    kinds: tuple[str, ...]  # kind labels, sorted
    techs: tuple[str, ...]  # tech names, sorted
    codes: tuple[str, ...]  # finding codes, sorted
    counts: dict[str, int]  # per severity
    components: int
    flows: int
    search: str  # lower-case text the search box matches


def summary_to_json(summary: DesignSummary, icons: set[str]) -> str:
    """A design's index entry and icon names, as the site keeps them between builds."""
    data = {"summary": dataclasses.asdict(summary), "icons": sorted(icons)}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def summary_from_json(text: str) -> tuple[DesignSummary, set[str]]:
    """What `summary_to_json` wrote (ValueError or KeyError when it is not that)."""
    data = json.loads(text)
    fields = dict(data["summary"])
    for name in ("kinds", "techs", "codes"):
        fields[name] = tuple(fields[name])
    return DesignSummary(**fields), set(data["icons"])
