"""The notes Markdown as plain text (pptx speaker notes) and as safe HTML (html deck)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    # Raw HTML stays text: notes quote user input, which must never become markup.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_html(markdown: str) -> str:
    """Markdown to HTML, with raw HTML in the input escaped rather than passed through."""
    return str(_parser().render(markdown))


def _inline(token: Any) -> str:
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
    return "".join(out)


def markdown_text(markdown: str) -> str:
    """Markdown to readable plain text: headings and paragraphs as lines, `•` bullets,
    numbered items, table rows with cells joined by ` | `; no escapes or emphasis marks."""
    blocks: list[str] = []
    lists: list[list[int]] = []  # per open list: [next number] or [-1] for bullets
    row: list[str] | None = None
    prefix = ""
    for token in _parser().parse(markdown):
        kind = token.type
        if kind == "bullet_list_open":
            lists.append([-1])
        elif kind == "ordered_list_open":
            lists.append([int(token.attrs.get("start", 1) or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                blocks.append("")
        elif kind == "list_item_open":
            indent = "  " * (len(lists) - 1)
            if lists[-1][0] < 0:
                prefix = f"{indent}• "
            else:
                prefix = f"{indent}{lists[-1][0]}. "
                lists[-1][0] += 1
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            blocks.append(" | ".join(row))
            row = None
        elif kind == "inline":
            text = _inline(token)
            if row is not None:
                row.append(text)
            else:
                blocks.append(prefix + text)
                prefix = ""
        elif kind in ("fence", "code_block"):
            blocks.append(token.content.rstrip("\n"))
        elif kind in ("heading_close", "table_close") or (kind == "paragraph_close" and not lists):
            blocks.append("")
    text = "\n".join(blocks)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n" if text.strip() else ""
