"""Two versions of one design, used across the diff tests."""

from __future__ import annotations

from diagramgen.analysis import Registry, default_registry


def dg101_only() -> Registry:
    """Only the single-point-of-failure rule: goldens must not change when rules are added."""
    registry = Registry()
    rule = default_registry().get("DG101")
    assert rule is not None
    registry.register(type(rule))
    return registry


OLD_SPEC = """\
name: shop
title: Shop
workload:
  peak_factor: 3
  operations:
    - {name: order, rate: 100M/day, size: 500B, retention: 5y}
    - {name: browse, rate: 1B/day, size: 2KB}
groups:
  - {id: edge, label: Edge}
  - {id: app, label: Application}
  - {id: data, label: Data}
components:
  - {id: web, kind: client, label: Browser}
  - {id: lb, kind: load_balancer, group: edge, replicas: 2}
  - {id: api, kind: service, group: app, replicas: 3}
  - {id: legacy, kind: service, group: app, replicas: 2, label: Legacy billing}
  - {id: db, kind: sql_database, tech: postgresql, group: data, replicas: 1}
  - {id: cache, kind: cache, tech: redis, group: data, replicas: 2, ttl: 1h}
connections:
  - web -> lb
  - lb -> api
  - "api -> db: orders"
  - "api -> cache: lookup"
  - "api -> legacy: invoice"
flows:
  - name: checkout
    steps:
      - {from: web, to: lb}
      - {from: lb, to: api}
      - {from: api, to: db, label: insert}
decisions:
  - {title: Postgres for orders, chosen: PostgreSQL, alternatives: [MySQL]}
"""

# Changes: db replicas 1 -> 3 (no longer a single point of failure), cache renamed to
# session_cache (same attributes and connections), legacy removed, search added, api moved
# from group app to data, retention of orders 5y -> 10y (storage doubles), a label change.
NEW_SPEC = """\
name: shop
title: Shop
workload:
  peak_factor: 3
  operations:
    - {name: order, rate: 100M/day, size: 500B, retention: 10y}
    - {name: browse, rate: 1B/day, size: 2KB}
groups:
  - {id: edge, label: Edge}
  - {id: app, label: Application}
  - {id: data, label: Data}
components:
  - {id: web, kind: client, label: Browser}
  - {id: lb, kind: load_balancer, group: edge, replicas: 2}
  - {id: api, kind: service, group: data, replicas: 3}
  - {id: db, kind: sql_database, tech: postgresql, group: data, replicas: 3}
  - {id: session_cache, kind: cache, tech: redis, group: data, replicas: 2, ttl: 1h}
  - {id: search, kind: search_index, tech: elasticsearch, group: data, replicas: 2}
connections:
  - web -> lb
  - lb -> api
  - "api -> db: orders and refunds"
  - "api -> session_cache: lookup"
  - "api -> search: query"
flows:
  - name: checkout
    steps:
      - {from: web, to: lb}
      - {from: lb, to: api}
      - {from: api, to: db, label: insert}
decisions:
  - {title: Postgres for orders, chosen: PostgreSQL, alternatives: [MySQL]}
"""
