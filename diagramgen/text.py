"""Plain-text helpers shared by the CLI and the library; imports nothing heavy."""

from __future__ import annotations

import re

_LINE_BREAKS = str.maketrans(
    {"\r": "\\r", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\x85": "\\x85",
     "\u2028": "\\u2028", "\u2029": "\\u2029"}
)  # fmt: skip


def one_line(text: str) -> str:
    """`text` with its line breaks shown as `\\n`: one finding or problem, one line, always
    (a label with a newline must not forge another `path:line:col:` line or a CI command)."""
    return text.translate(_LINE_BREAKS)


_MD_LINE_BREAKS = re.compile("[\r\n\v\f\x85\u2028\u2029]+")
# A bullet (`- x`, `+ x`) or a rule / setext underline (`---`, `==`); a lone `-` is a cell.
_LIST_MARK = re.compile(r"^(\s*)([-+=])(?=[\s=-])")
_ENTITY = re.compile(r"&(?=#?\w+;)")  # `&lt;` would show as `<`; a lone `&` is fine
_TILDES = re.compile("~{2,}")
_NUMBERED = re.compile(r"^(\s*)(\d+)([.)])")  # `1. x` / `1) x` starts an ordered list
# Any character one of the rules below changes, or a start that may open a block.
_MD_SPECIAL = re.compile("[\\\\|&~*_`\\[\\]<>#\r\n\v\f\x85\u2028\u2029]|^\\s*[-+=\\d]")


def md_escape(text: str) -> str:
    """Escape text for a Markdown table cell or inline position.

    User text stays one inline run: line breaks become spaces, and what would open a
    block where the text starts a line (a `~~~` or ``` fence that swallows the rest of
    the page, `---` rules and Marp slide breaks, `+ x` and `1. x` lists) is escaped, as are
    entities (`&lt;b&gt;` shows as written, not as `<b>`).
    """
    if not _MD_SPECIAL.search(text):
        return text  # most names and labels: nothing to escape, and no regex pass each
    return _md_escape_all(text)


def _md_escape_all(text: str) -> str:
    """`md_escape` without its shortcut: every rule applied in turn."""
    out = text.replace("\\", "\\\\").replace("|", "\\|")
    out = _ENTITY.sub("&amp;", _MD_LINE_BREAKS.sub(" ", out))
    for ch in "*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    out = _TILDES.sub(lambda m: "\\~" * len(m[0]), out)  # fences and strike-through; `~5` stays
    out = _LIST_MARK.sub(lambda m: f"{m[1]}\\{m[2]}", out)
    return _NUMBERED.sub(lambda m: f"{m[1]}{m[2]}\\{m[3]}", out)
