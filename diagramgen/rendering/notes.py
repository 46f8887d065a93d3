"""The design notes in Markdown: summary, components and the decisions, ADR-style."""

from __future__ import annotations

from diagramgen.spec.models import Design
from diagramgen.view.builders import tech_name


def md_escape(text: str) -> str:
    """Escape text for a Markdown table cell or inline position."""
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for ch in "*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def components_table(design: Design) -> list[str]:
    """The components as a Markdown table."""
    groups = {g.id: g.display for g in design.groups}
    lines = ["| Component | Kind | Tech | Replicas | Group |", "|---|---|---|---|---|"]
    for c in design.components:
        lines.append(
            f"| {md_escape(c.display)} (`{c.id}`) | {c.KIND_LABEL} | "
            f"{md_escape(tech_name(c.tech) or '-')} | {c.replicas} | "
            f"{md_escape(groups.get(c.group or '', '-'))} |"
        )
    return lines


def decisions_section(design: Design) -> list[str]:
    """Each decision as a short ADR: context, decision, alternatives, consequences."""
    lines: list[str] = []
    for i, d in enumerate(design.decisions, start=1):
        lines += [f"### {i}. {md_escape(d.title)}", ""]
        if d.context:
            lines += [f"**Context.** {md_escape(d.context)}", ""]
        lines += [
            f"**Decision.** {md_escape(d.chosen)}"
            + (f", because {md_escape(d.because)}." if d.because else "."),
            "",
        ]
        if d.alternatives:
            lines += [
                "**Alternatives considered.** "
                + ", ".join(md_escape(a) for a in d.alternatives)
                + ".",
                "",
            ]
        if d.consequences:
            items = d.consequences if isinstance(d.consequences, list) else [d.consequences]
            lines += ["**Consequences.**", "", *[f"- {md_escape(c)}" for c in items], ""]
    return lines


def render_notes(design: Design) -> str:
    """The notes Markdown for a design; same design, same bytes."""
    lines = [f"# {md_escape(design.display_title)}", ""]
    if design.description:
        lines += [md_escape(design.description), ""]
    lines += ["## Components", "", *components_table(design), ""]
    if design.decisions:
        lines += ["## Decisions", "", *decisions_section(design)]
    if design.notes:
        notes = design.notes if isinstance(design.notes, list) else [design.notes]
        lines += ["## Notes", "", *[f"- {md_escape(n)}" for n in notes], ""]
    return "\n".join(lines).rstrip("\n") + "\n"
