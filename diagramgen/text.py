"""Plain-text helpers shared by the CLI and the library; imports nothing heavy."""

from __future__ import annotations

_LINE_BREAKS = str.maketrans(
    {"\r": "\\r", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\x85": "\\x85",
     "\u2028": "\\u2028", "\u2029": "\\u2029"}
)  # fmt: skip


def one_line(text: str) -> str:
    """`text` with its line breaks shown as `\\n`: one finding or problem, one line, always
    (a label with a newline must not forge another `path:line:col:` line or a CI command)."""
    return text.translate(_LINE_BREAKS)
