"""DG405: static or media content served without a CDN."""

from __future__ import annotations

import re
from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_bandwidth

_MEDIA = re.compile(
    r"\b(images?|photos?|pictures?|videos?|media|static|assets?|thumbnails?|avatars?|"
    r"downloads?|files?|audio|songs?|tracks?|streams? video|js|css|fonts?)\b",
    re.IGNORECASE,
)


class MediaWithoutCdn(Rule):
    """Static or media content that clients fetch from the origin, with no CDN.

    ## What it does
    Finds object storage that a client reaches without passing a CDN, and connections on
    the request path whose labels speak of media or static content (images, video,
    assets, downloads) when no CDN sits between the client and them.

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
        """One hit per origin that serves media to clients without a CDN in between."""
        paths = ctx.client_paths
        cdn_origins = {getattr(c, "origin", None) for c in ctx.of_kind("cdn")}
        fired: set[str] = set()
        for c in ctx.of_kind("object_storage"):
            path = paths.get(c.id)
            if path is None or c.id in cdn_origins or self._via_cdn(ctx, path):
                continue
            fired.add(c.id)
            yield Hit(c.id, self._message(ctx, c.id, path, None))
        for conn in ctx.design.connections:
            m = _MEDIA.search(conn.label or "")
            if m is None:
                continue
            for target in ctx.graph.expand(conn.target):
                path = paths.get(target)
                kind = ctx.component(target).kind
                if path is None or target in fired or kind in ("cdn", "client", "external"):
                    continue
                if target in cdn_origins or self._via_cdn(ctx, path):
                    continue
                fired.add(target)
                yield Hit(target, self._message(ctx, target, path, conn.label))

    @staticmethod
    def _via_cdn(ctx: Context, path: list[str]) -> bool:
        return any(ctx.component(cid).kind == "cdn" for cid in path)

    @staticmethod
    def _message(ctx: Context, target: str, path: list[str], label: str | None) -> str:
        load = ctx.loads.get(target)
        traffic = (
            f" ({human_bandwidth(load.peak_bytes_per_second)} at peak)"
            if load and load.peak_bytes_per_second
            else ""
        )
        what = f"'{label}'" if label else "its objects"
        return (
            f"clients fetch {what} from {ctx.name(target)} along {ctx.chain(path)} with no "
            f"CDN in front: every byte is served from the origin{traffic}, far from most "
            f"users and paid as egress. Put a CDN in front (`origin: {target}`)."
        )
