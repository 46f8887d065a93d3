"""Markdown escaping: the shortcut for plain text changes nothing the rules would change."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from diagramgen.text import _md_escape_all, md_escape

# Every character a rule looks at, plus ordinary ones, so that random text hits each rule.
_ALPHABET = st.sampled_from(list("ab 1.)-+=~&#;*_`[]<>|\\\t\r\n\v\f\x85\u2028\u2029\u00a0x"))


@settings(max_examples=2000, deadline=None)
@given(text=st.one_of(st.text(_ALPHABET, max_size=12), st.text(max_size=12)))
def test_shortcut_agrees_with_every_rule(text: str) -> None:
    assert md_escape(text) == _md_escape_all(text)


def test_plain_text_is_returned_as_is_and_markup_is_escaped() -> None:
    assert md_escape("api gateway (v2)") == "api gateway (v2)"
    assert md_escape("web_1") == "web\\_1"
    assert md_escape("1. first") == "1\\. first"
    assert md_escape("  - item") == "  \\- item"
    assert md_escape("a\nb") == "a b"
