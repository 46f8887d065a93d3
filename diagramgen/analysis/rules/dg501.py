"""DG501: peak load above what a component carries."""

from __future__ import annotations

import math
from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_rate


class SaturatedComponent(Rule):
    """A component whose peak load exceeds its capacity.

    ## What it does
    Puts each workload operation's peak rate (average x `peak_factor`) on the components
    of the flow with the same name (a CDN passes on only its misses, a cache only its
    misses to the data stores after it; see `hit_ratio`) and compares the sum with what
    the component carries at its most: its `capacity` per instance when given, else a rule
    of thumb for its `tech` or kind, times its instances at `autoscaling.max` (DG506
    checks the instances running before autoscaling). A data store carries its reads on
    the nodes that serve reads and its writes on its primaries (a SQL primary commits
    ~2k/s, https://www.postgresql.org/docs/current/pgbench.html). A quota (per table, per
    account and Region) is one figure however many replicas run. The rules of thumb and
    their sources:

    - load balancer 50k/s per instance (HAProxy: ~31k/s per core,
      https://www.haproxy.com/blog/haproxy-forwards-over-2-million-http-requests-per-second-on-a-single-aws-arm-instance);
      nginx the same (https://www.nginx.com/blog/testing-the-performance-of-nginx-and-nginx-plus-web-servers/)
    - API gateway 50k/s per instance, an L7 proxy as above; Amazon API Gateway 10k/s,
      AWS's default throttle per account and Region, a quota
      (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html)
    - service 2k/s per instance: Little's law with Tomcat's default 200 threads at 100 ms
      (https://tomcat.apache.org/tomcat-10.1-doc/config/http.html)
    - function 10k/s: Lambda's default 1,000 concurrent executions per account and Region
      at 100 ms, a quota (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)
    - SQL database 5k/s per node (https://www.postgresql.org/docs/current/pgbench.html)
    - NoSQL database 10k/s per node, ScyllaDB 50k/s (Netflix's Cassandra benchmark,
      https://netflixtechblog.com/benchmarking-cassandra-scalability-on-aws-over-a-million-writes-per-second-39f45f066c9e);
      DynamoDB 40k/s per table, a quota however many shards (default quota,
      https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html)
    - cache 100k/s per Redis instance
      (https://redis.io/docs/latest/operate/oss_and_stack/management/optimization/benchmarks/)
    - queue 20k/s per RabbitMQ node
      (https://www.rabbitmq.com/blog/2012/04/25/rabbitmq-performance-measurements-part-2)
    - stream 100k/s per Kafka broker
      (https://engineering.linkedin.com/kafka/benchmarking-apache-kafka-2-million-writes-second-three-cheap-machines);
      Kinesis 1k records/s per shard
      (https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html)
    - search index 1k queries/s per node (measure with Rally, https://esrally.readthedocs.io/)

    Workers, clients, DNS, CDNs, object storage, monitoring and external systems have no
    default figure: give them a `capacity` to have them checked.

    ## Why is this bad?
    At peak the component queues requests until timeouts cascade upstream: the design
    as drawn cannot carry the workload it states. The fix is more instances, a cache or
    CDN in front that absorbs part of the load, or a measured `capacity` that shows the
    rule of thumb is too pessimistic for this component.

    ## Example
    ```yaml
    workload: {peak_factor: 3, operations: [{name: search, rate: 500M/day}]}
    components:
      - {id: web, kind: client}
      - {id: api, kind: service, replicas: 4}
    flows: [{name: search, steps: [web -> api]}]
    ```

    Use instead:
    ```yaml
      - {id: api, kind: service, replicas: 4, autoscaling: {min: 4, max: 12}}
    ```
    or, measured: `{id: api, kind: service, replicas: 4, capacity: 5k/s}`.
    """

    code = "DG501"
    name = "saturated-component"
    severity = "warning"
    topic = "capacity"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per component whose peak load is above its capacity at the maximum."""
        for load in ctx.loads.values():
            util = load.utilization_max
            if util is None or util <= 1:
                continue
            c = ctx.component(load.component)
            cap = load.capacity_max_per_second or 0.0
            hint = ""
            read_flows = [
                f for op in ctx.operations_through(c.id, "read") for f in ctx.flows_of[op.name]
            ]
            undeclared = [
                cdn.id
                for cdn in ctx.of_kind("cdn")
                if getattr(cdn, "hit_ratio", None) is None
                and any(
                    cdn.id in {e for s in f.steps for e in (s.source, s.target)} for f in read_flows
                )
            ]
            if undeclared and load.topology is None and not load.is_quota:
                reads, writes = load.read_peak_per_second, load.write_peak_per_second
                share = 1 - (cap - writes) / reads if reads and cap > writes else 0
                if 0 < share < 1:
                    hint = (
                        f"; or {undeclared[0]} must absorb >= {math.ceil(share * 100)}% of the "
                        f"reads (declare its `hit_ratio`)"
                    )
            if load.is_quota:
                fix = (
                    f"Its figure is a quota per {load.scope} that replicas do not multiply: "
                    "request a higher quota, split the load over more "
                    f"{'tables' if load.scope == 'table' else 'accounts or regions'}, or give a "
                    "measured `capacity`"
                )
            else:
                needed = math.ceil(load.maximum * util - 1e-9)
                unit = "nodes" if load.topology is not None else "instances"
                fix = f"It needs >= {needed} {unit} at that figure, or a measured `capacity`"
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} is saturated at peak: {human_rate(load.peak_per_second)} "
                f"({load.breakdown()}) against {load.capacity_text(at_maximum=True)}, "
                f"{util:.1f}x over. {fix}{hint}.",
            )
