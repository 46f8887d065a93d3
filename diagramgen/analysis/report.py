"""Findings as `path:line:col: DG101 warning: message` lines, as `check` prints them.

Shared by the CLI and the MCP server, so both give the same text. Each line is one line
whatever the spec's labels hold: a newline in a label must not forge another
`path:line:col:` line or a CI workflow command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from diagramgen.text import one_line

if TYPE_CHECKING:
    from diagramgen.analysis.engine import Analysis
    from diagramgen.spec.loader import LoadedSpec


_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def finding_lines(loaded: LoadedSpec, analysis: Analysis) -> list[str]:
    """`path:line:col: DG101 warning: message`, in line order, one line each."""
    located = []
    for f in analysis.findings:
        if f.loc is not None:
            line, col = loaded.position(*f.loc)
        elif f.component is not None:
            line, col = loaded.component_position(f.component)
        else:
            line, col = 1, 1  # about the design as a whole
        text = f"{loaded.path}:{line}:{col}: {f.code} {f.severity}: {f.message}"
        located.append((line, col, f.sort_key, one_line(text)))
    return [text for *_, text in sorted(located)]


def unknown_ignore_lines(loaded: LoadedSpec, analysis: Analysis) -> list[str]:
    """A warning line per `ignore:` entry naming a rule that does not exist."""
    from diagramgen.analysis import default_registry
    from diagramgen.spec.semantic import did_you_mean

    codes = default_registry().codes
    out = []
    for u in analysis.unknown_ignores:
        if u.component is None:
            line, col = loaded.position("ignore", u.code)
        else:
            index = [c.id for c in loaded.design.components].index(u.component)
            line, col = loaded.position("components", index, "ignore", u.code)
        # Codes are mistyped with look-alike letters (`DG1O1`): try the digits they stand for
        # before the nearest spelling, which may be another rule (`DG110`).
        digits = u.code[:2].upper() + u.code[2:].upper().translate(_LOOK_ALIKES)
        hint = f" (did you mean {digits!r}?)" if digits in codes else did_you_mean(u.code, codes)
        out.append(
            one_line(
                f"{loaded.path}:{line}:{col}: warning: `ignore` names an unknown rule "
                f"{u.code!r}{hint}"
            )
        )
    return out
