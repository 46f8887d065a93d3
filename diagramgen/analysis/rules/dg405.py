"""DG405: static or media content served without a CDN."""

from __future__ import annotations

import re
from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.models import Connection
from diagramgen.spec.units import human_bandwidth

_MEDIA = re.compile(
    r"\b(images?|photos?|pictures?|videos?|media|static|assets?|thumbnails?|avatars?|"
    r"downloads?|audio|songs?|js|css|fonts?)\b",
    re.IGNORECASE,
)
_READS = re.compile(r"\b(get|download|fetch|read|serve|view|load|play|stream)s?\b", re.I)
_UPLOADS = re.compile(
    r"\b(put|post|upload|uploads|write|writes|store|stores|save|archive|ingest|backup)\b", re.I
)


def _serves(label: str | None) -> bool:
    """True when an edge label reads as content going out to a client, not coming in."""
    text = label or ""
    return bool((_READS.search(text) or _MEDIA.search(text)) and not _UPLOADS.search(text))


class MediaWithoutCdn(Rule):
    """Static or media content that clients fetch from the origin, with no CDN.

    ## What it does
    Finds object storage that serves clients (a read operation's flow reaches it, or an
    edge into it reads `GET`, `download`, `serve` ... and not `PUT`, `upload`, `store` ...)
    through synchronous calls with no CDN on the way, and other components on the request
    path whose incoming edges serve media or static content (images, video, assets).

    ## Why is this bad?
    Media is most of the bytes a product serves. From the origin, every byte crosses the
    internet from one region (slow far away, expensive egress), and every request costs
    origin capacity even though the content is identical for everyone and rarely changes.
    A CDN serves it from the edge with hit ratios above 90% for such content.

    ## Example
    ```yaml
    components:
      - {id: app, kind: client}
      - {id: media, kind: object_storage, tech: s3}
    connections: ["app -> media: GET image"]
    ```

    Use instead:
    ```yaml
      - {id: cdn, kind: cdn, origin: media, ttl: 30d, invalidation: versioned_urls}
    connections: ["app -> cdn: GET image", "cdn -> media: miss"]
    ```
    """

    code = "DG405"
    name = "media-without-cdn"
    severity = "warning"
    topic = "performance"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per origin that serves content to clients without a CDN in between."""
        paths = ctx.sync_client_paths
        cdn_origins = {getattr(c, "origin", None) for c in ctx.of_kind("cdn")}
        edges = ctx.links
        # The edges reaching each component, built once: a scan of every edge per component
        # was 90% of the analysis time at 1,000 components.
        incoming: dict[str, list[Connection]] = {}
        for e in edges:
            for end in ctx.graph.expand(e.target):
                incoming.setdefault(end, []).append(e)
        for c in ctx.components:
            path = paths.get(c.id)
            if path is None or c.kind in ("cdn", "client", "external", "dns"):
                continue
            if c.id in cdn_origins or any(ctx.component(p).kind == "cdn" for p in path):
                continue
            served = [e for e in incoming.get(c.id, []) if _serves(e.label)]
            if c.kind == "object_storage":
                if not served and not ctx.operations_through(c.id, "read"):
                    continue
            else:
                served = [e for e in served if _MEDIA.search(e.label or "")]
                if not served:
                    continue
            yield Hit(c.id, self._message(ctx, c.id, path, served))

    @staticmethod
    def _message(ctx: Context, target: str, path: list[str], served: list[Connection]) -> str:
        """Who hands the content to clients, along which path, and how many bytes at peak."""
        paths = ctx.sync_client_paths
        # The edge that serves the content, from a component on the request path: the path
        # through it, not the shortest one (which may run through the write side).
        edge = next(
            (e for e in served if any(s in paths for s in ctx.graph.expand(e.source))), None
        )
        label = edge.label if edge is not None else None
        if edge is not None:
            source = next(s for s in ctx.graph.expand(edge.source) if s in paths)
            path = [*paths[source], target] if source != target else path
        load = ctx.loads.get(target)
        read_bytes = (
            sum(s.peak_bytes_per_second or 0.0 for s in load.shares if s.access == "read")
            if load
            else 0.0
        )
        traffic = f" ({human_bandwidth(read_bytes)} of reads at peak)" if read_bytes else ""
        what = f"content ('{label}')" if label else "its objects"
        caller = path[-2] if len(path) > 1 else None
        if caller is None or ctx.component(caller).kind == "client":
            who = f"clients fetch {what} from {ctx.name(target)}"
        else:
            who = f"{ctx.name(caller)} serves clients {what} read from {ctx.name(target)}"
        return (
            f"{who} along {ctx.chain(path)} with no CDN in front: every byte is served from "
            f"the origin{traffic}, far from most users and paid as egress. Put a CDN in front "
            f"(`origin: {target}`)."
        )
