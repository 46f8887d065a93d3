"""`bench/run.py` runs end to end (quick mode) and owns only its block of the results page.

No timing is asserted: the numbers depend on the machine. What is checked is that every
measurement ran and was reported, and that the page keeps the sections other scripts write.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench import run as bench_run
from bench.layout import SECTION, write_section

LEGACY = """\
# Benchmark results

Written by `python bench/run.py` (`make bench`); old intro.

## Generated designs

| old | table |

## Targets

| old | targets |

## Start-up

| old | start-up |

## Layout quality

Written by `python bench/layout.py`. Kept.

| target | measured | |
"""


def test_block_replaces_the_old_sections_and_keeps_layout_quality(tmp_path: Path) -> None:
    page = tmp_path / "RESULTS.md"
    page.write_text(LEGACY, "utf-8")
    block = f"{bench_run.BEGIN}\n\n## Speed at scale (issue 18)\n\nfirst\n\n{bench_run.END}"
    bench_run.write_block(page, block)
    text = page.read_text("utf-8")
    assert text.startswith("# Benchmark results\n\n" + bench_run.BEGIN)
    assert "old table" not in text and "old targets" not in text and "old intro" not in text
    assert "## Layout quality\n\nWritten by `python bench/layout.py`. Kept." in text
    # Run again: only the marked block changes.
    bench_run.write_block(page, block.replace("first", "second"))
    again = page.read_text("utf-8")
    assert again == text.replace("first", "second")
    # And bench/layout.py rewriting its section leaves the block alone.
    write_section(page, f"{SECTION}\n\nnew layout numbers\n")
    final = page.read_text("utf-8")
    assert "second" in final and "new layout numbers" in final and "Kept." not in final
    assert final.count(bench_run.BEGIN) == 1 and final.count(bench_run.END) == 1


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_quick_bench_measures_everything(tmp_path: Path) -> None:
    page = tmp_path / "RESULTS.md"
    page.write_text(LEGACY, "utf-8")
    assert bench_run.main(["--quick", "--out", str(page)]) == 0
    text = page.read_text("utf-8")
    for heading in (
        "## Speed at scale (issue 18)",
        "## Loading",
        "## Start-up",
        "## Big designs with cross-group traffic",
        "## The catalogue",
        "## Layout quality",
    ):
        assert heading in text
    block = text[text.index(bench_run.BEGIN) : text.index(bench_run.END)]
    # Every CLI measurement ran: a time (with its CPU time) in each row, none failed.
    for row in ("| 20 | YAML |", "| 20 | JSON |", "| 60 | YAML |", "| 60 | JSON |"):
        line = next(x for x in block.splitlines() if x.startswith(row))
        assert "failed" not in line and line.count("CPU") == 3  # validate, notes, first start
    catalogue = block[block.index("## The catalogue") :]
    assert "failed" not in catalogue
    assert "| raw dot, summed |" in catalogue
    assert "`render --gallery` with nothing to do" in catalogue
    big = next(x for x in block.splitlines() if x.startswith("| 30 |"))
    assert big.count(" | ") == 7  # reported, whatever the layout stage made of it
