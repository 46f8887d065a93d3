"""Typed errors raised by the library; the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a spec, located at `path:line:col` (1-based; 0 when unknown)."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}: {self.message}"
        return f"{self.path}: {self.message}"


class DiagramgenError(Exception):
    """Base class of every error the library raises on purpose."""


class SpecError(DiagramgenError):
    """A spec is invalid; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RenderError(DiagramgenError):
    """Rendering failed (Graphviz missing, crashed or timed out)."""


class GraphvizNotFoundError(RenderError):
    """The Graphviz `dot` binary is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "Graphviz is not installed: run 'sudo apt-get install graphviz' "
            "(or 'make render', which installs it when run as root)"
        )


class OutputError(DiagramgenError):
    """The output location cannot be written."""


class GitError(DiagramgenError):
    """A `path@rev` could not be read from git."""
