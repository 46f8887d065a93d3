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
    the component carries: its `capacity` per instance when given, else a rule of thumb
    for its `tech` or kind, times its instances (autoscaling counts at its maximum, read
    replicas add to a SQL database's, a database with `sharding.shards` runs `replicas`
    copies of each shard). The rules of thumb and their sources:

    - load balancer 50k/s per instance (HAProxy: ~31k/s per core,
      https://www.haproxy.com/blog/haproxy-forwards-over-2-million-http-requests-per-second-on-a-single-aws-arm-instance);
      nginx the same (https://www.nginx.com/blog/testing-the-performance-of-nginx-and-nginx-plus-web-servers/)
    - API gateway 10k/s, AWS's default account throttle
      (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html)
    - service 2k/s per instance: Little's law with Tomcat's default 200 threads at 100 ms
      (https://tomcat.apache.org/tomcat-10.1-doc/config/http.html)
    - function 10k/s: Lambda's default 1,000 concurrent executions at 100 ms
      (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)
    - SQL database 5k/s per node (https://www.postgresql.org/docs/current/pgbench.html)
    - NoSQL database 10k/s per node, ScyllaDB 50k/s (Netflix's Cassandra benchmark,
      https://netflixtechblog.com/benchmarking-cassandra-scalability-on-aws-over-a-million-writes-per-second-39f45f066c9e);
      DynamoDB 40k/s per table (default quota,
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
        """One hit per component whose peak load is above its capacity."""
        for load in ctx.loads.values():
            cap = load.capacity_per_second
            if cap is None or load.per_instance is None or load.peak_per_second <= cap:
                continue
            c = ctx.component(load.component)
            needed = math.ceil(load.peak_per_second / load.per_instance)
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
            if undeclared:
                reads, writes = load.read_peak_per_second, load.write_peak_per_second
                share = 1 - (cap - writes) / reads if reads and cap > writes else 0
                if 0 < share < 1:
                    hint = (
                        f"; or {undeclared[0]} must absorb >= {math.ceil(share * 100)}% of the "
                        f"reads (declare its `hit_ratio`)"
                    )
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} is saturated at peak: {human_rate(load.peak_per_second)} "
                f"({load.breakdown()}) against {load.capacity_text()}, "
                f"{load.peak_per_second / cap:.1f}x over. It needs >= {needed} instances at "
                f"that figure, or a measured `capacity`{hint}.",
            )
