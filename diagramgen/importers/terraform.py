"""Terraform -> `Imported`: `terraform show -json` (plan or state) and `.tf` folders.

Every source is first read into `Resource` records (address, type, values, references per
top-level attribute), then one builder makes the design:

- a resource type the alias table knows (`aws_lb`, `aws_db_instance`, `google_sql_...`)
  is a component; plumbing (IAM, route tables, listeners, target groups, security
  groups) is not, and is summed up in one warning;
- `count` instances are replicas; an auto-scaling group has `autoscaling` from its
  min/max size; RDS Multi-AZ counts its standby; Aurora counts its cluster instances;
- VPCs and subnets are groups (subnets of one tier, `public[0]`/`public[1]` or
  `public_a`/`public_b`, are one group);
- connections come from load balancer listeners and target groups (LB -> targets), from
  event sources and subscriptions (async), from security-group rules (members of the
  source group -> members of the target group), and from one component referring to
  another (a Lambda's environment naming a table).

References: a plan carries them in `configuration` (`expressions.*.references`); a state
has none, so a value equal to another resource's `id` or `arn` counts as a reference;
`.tf` files name them in `${type.name...}` expressions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diagramgen import techs
from diagramgen.importers.model import COMPUTE_KINDS, Imported, SourceError, make_id, tech_value

# Types that are components in the alias table but noise in an architecture picture.
_SKIP_TYPES = {
    "aws_internet_gateway", "aws_nat_gateway", "aws_cloudwatch_log_group",
    "aws_cloudwatch_metric_alarm", "aws_kms_key", "aws_secretsmanager_secret",
    "aws_route53_zone", "aws_storage_container",
}  # fmt: skip
# Attributes that place a resource (network, permissions), never a call between components.
_STRUCTURAL = {
    "vpc_id", "subnet_id", "subnet_ids", "subnets", "vpc_zone_identifier", "security_groups",
    "vpc_security_group_ids", "security_group_ids", "db_subnet_group_name",
    "subnet_group_name", "vpc_config", "launch_template", "launch_configuration", "role",
    "iam_role", "iam_instance_profile", "kms_key_id", "kms_master_key_id",
    "target_group_arns", "network_configuration", "load_balancer", "depends_on",
    "cluster_identifier", "broker_node_group_info", "execution_role_arn", "task_role_arn",
    "availability_zone", "availability_zones", "provider",
}  # fmt: skip
_SUBNET_ATTRS = ("subnet_id", "subnet_ids", "subnets", "vpc_zone_identifier", "vpc_config",
                 "broker_node_group_info", "network_configuration")  # fmt: skip
_SG_ATTRS = ("security_groups", "vpc_security_group_ids", "security_group_ids", "vpc_config",
             "network_configuration", "broker_node_group_info")  # fmt: skip
_SUBNET_GROUPS = ("aws_db_subnet_group", "aws_elasticache_subnet_group")
# Glue: resource type -> (attribute of the caller, attribute of the callee, async).
_GLUE = {
    "aws_lb_listener": ("load_balancer_arn", "default_action", False),
    "aws_alb_listener": ("load_balancer_arn", "default_action", False),
    "aws_lb_listener_rule": ("listener_arn", "action", False),
    "aws_lb_target_group_attachment": ("target_group_arn", "target_id", False),
    "aws_autoscaling_attachment": ("lb_target_group_arn", "autoscaling_group_name", False),
    "aws_api_gateway_integration": ("rest_api_id", "uri", False),
    "aws_apigatewayv2_integration": ("api_id", "integration_uri", False),
    "aws_lambda_event_source_mapping": ("event_source_arn", "function_name", True),
    "aws_sns_topic_subscription": ("topic_arn", "endpoint", True),
}
_TARGET_GROUPS = ("aws_lb_target_group", "aws_alb_target_group")
_ADDR = re.compile(
    r"((?:module\.[\w-]+(?:\[[^\]]*\])?\.)*(?:data\.)?[a-z][a-z0-9]*_[\w-]+\.[\w-]+)"
)


@dataclass
class Resource:
    """One resource (all its `count`/`for_each` instances): what the builder reads."""

    address: str  # without instance keys: `module.db.aws_db_instance.this`
    type: str
    name: str
    values: dict[str, Any]  # the first instance's values (literal ones, for `.tf`)
    instances: int = 1
    refs: dict[str, set[str]] = field(default_factory=dict)  # attribute -> addresses
    source: str = ""


def base_address(ref: str) -> str | None:
    """`aws_subnet.public[0].id` -> `aws_subnet.public`; None for `var.x`, `local.y`."""
    ref = re.sub(r"\[[^\]]*\]", "", ref)
    m = _ADDR.match(ref)
    if m is None:
        return None
    parts = m.group(1).split(".")
    # module.x.type.name or data.type.name or type.name: keep up to the resource name.
    out, i = [], 0
    while i < len(parts) and parts[i] == "module":
        out += parts[i : i + 2]
        i += 2
    if i < len(parts) and parts[i] == "data":
        out.append(parts[i])
        i += 1
    out += parts[i : i + 2]
    return ".".join(out) if len(parts[i : i + 2]) == 2 else None


# ---------------------------------------------------------------- plan / state JSON


def _walk_modules(module: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    yield module
    for child in module.get("child_modules") or []:
        yield from _walk_modules(child)


def _collect_refs(node: Any, prefix: str, out: set[str]) -> None:
    if isinstance(node, Mapping):
        for ref in node.get("references") or []:
            addr = base_address(str(ref))
            if addr:
                out.add(prefix + addr)
        for key, value in node.items():
            if key != "references":
                _collect_refs(value, prefix, out)
    elif isinstance(node, list):
        for item in node:
            _collect_refs(item, prefix, out)


def _config_refs(
    module: Mapping[str, Any], prefix: str, out: dict[str, dict[str, set[str]]]
) -> None:
    for res in module.get("resources") or []:
        address = prefix + str(res.get("address", ""))
        refs = out.setdefault(address, {})
        for attr, expr in (res.get("expressions") or {}).items():
            found: set[str] = set()
            _collect_refs(expr, prefix, found)
            if found:
                refs.setdefault(attr, set()).update(found)
    for name, call in (module.get("module_calls") or {}).items():
        _config_refs(call.get("module") or {}, f"{prefix}module.{name}.", out)


def _identities(values: Mapping[str, Any]) -> list[str]:
    return [str(values[k]) for k in ("id", "arn") if isinstance(values.get(k), str) and values[k]]


def _value_refs(values: Mapping[str, Any], ids: Mapping[str, str], own: str) -> dict[str, set[str]]:
    refs: dict[str, set[str]] = {}

    def scan(node: Any, attr: str) -> None:
        if isinstance(node, str):
            target = ids.get(node)
            if target and target != own:
                refs.setdefault(attr, set()).add(target)
        elif isinstance(node, Mapping):
            for v in node.values():
                scan(v, attr)
        elif isinstance(node, list):
            for v in node:
                scan(v, attr)

    for attr, value in values.items():
        if attr not in ("id", "arn", "tags", "tags_all"):
            scan(value, attr)
    return refs


def import_terraform_json(data: Mapping[str, Any], label: str, name: str) -> Imported:
    """A design from `terraform show -json`: a plan (`planned_values`) or a state (`values`)."""
    root = (data.get("planned_values") or data.get("values") or {}).get("root_module") or {}
    grouped: dict[str, Resource] = {}
    for module in _walk_modules(root):
        for res in module.get("resources") or []:
            if res.get("mode", "managed") != "managed":
                continue
            address = base_address(str(res.get("address", ""))) or str(res.get("address"))
            if address in grouped:
                grouped[address].instances += 1
                continue
            values = res.get("values") if isinstance(res.get("values"), dict) else {}
            grouped[address] = Resource(
                address, str(res.get("type")), str(res.get("name")), values,
                source=f"{label} {address}",
            )  # fmt: skip
    config: dict[str, dict[str, set[str]]] = {}
    _config_refs((data.get("configuration") or {}).get("root_module") or {}, "", config)
    if config:
        for address, res in grouped.items():
            res.refs = config.get(address, {})
    else:
        ids: dict[str, str] = {}
        for address, res in grouped.items():
            for ident in _identities(res.values):
                ids.setdefault(ident, address)
        for address, res in grouped.items():
            res.refs = _value_refs(res.values, ids, address)
    if not grouped:
        result = Imported(source=label, format="terraform", name=name)
        result.warnings.append(f"{label}: no managed resources")
        return result
    return build(list(grouped.values()), label, name)


# ---------------------------------------------------------------- .tf files


def _unquote(text: Any) -> str:
    return str(text).strip('"')


def _hcl_literal(value: Any) -> Any:
    """A value without `${...}` expressions, or None when it has any."""
    if isinstance(value, str):
        if "${" in value:
            return None
        return value.strip('"')
    if isinstance(value, list):
        items = [_hcl_literal(v) for v in value]
        return None if any(v is None for v in items) else items
    if isinstance(value, dict):
        return {_unquote(k): _hcl_literal(v) for k, v in value.items() if k != "__is_block__"}
    return value


def _hcl_refs(value: Any, known: set[str], out: set[str]) -> None:
    if isinstance(value, str):
        for m in _ADDR.finditer(re.sub(r"\[[^\]]*\]", "", value)):
            addr = base_address(m.group(1))
            if addr in known:
                out.add(addr)
    elif isinstance(value, dict):
        for v in value.values():
            _hcl_refs(v, known, out)
    elif isinstance(value, list):
        for v in value:
            _hcl_refs(v, known, out)


def import_hcl(files: list[Path], label: str, name: str) -> Imported:
    """A design from `.tf` files (no plan): counts from literals and variable defaults."""
    import hcl2
    from hcl2.utils import SerializationOptions

    blocks: list[tuple[str, str, dict[str, Any], str]] = []
    defaults: dict[str, Any] = {}
    warnings: list[str] = []
    for path in files:
        try:
            text = path.read_text("utf-8")
            data = hcl2.loads(
                text, serialization_options=SerializationOptions(strip_string_quotes=True)
            )
        except OSError as exc:
            raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from None
        except Exception as exc:  # the HCL parser raises lark's errors, of many types
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SourceError(f"{path}: not valid HCL: {first}") from None
        for var in data.get("variable") or []:
            for vname, body in var.items():
                if isinstance(body, dict) and "default" in body:
                    defaults[_unquote(vname)] = _hcl_literal(body["default"])
        for block in data.get("resource") or []:
            for rtype, named in block.items():
                for rname, body in (named or {}).items():
                    rtype_, rname_ = _unquote(rtype), _unquote(rname)
                    m = re.search(
                        rf'resource\s+"{re.escape(rtype_)}"\s+"{re.escape(rname_)}"', text
                    )
                    line = text.count("\n", 0, m.start()) + 1 if m else None
                    where = f"{path.name}:{line}" if line else path.name
                    blocks.append((rtype_, rname_, body if isinstance(body, dict) else {}, where))
    known = {f"{t}.{n}" for t, n, _, _ in blocks}
    resources = []
    for rtype, rname, body, where in blocks:
        address = f"{rtype}.{rname}"
        values = {k: _hcl_literal(v) for k, v in body.items() if k != "__is_block__"}
        refs: dict[str, set[str]] = {}
        for attr, value in body.items():
            found: set[str] = set()
            _hcl_refs(value, known - {address}, found)
            if found:
                refs[attr] = found
        instances = 1
        count = body.get("count")
        if isinstance(count, int):
            instances = count
        elif isinstance(count, str):
            var = re.fullmatch(r"\$\{var\.([\w-]+)\}", count)
            length = re.fullmatch(r"\$\{length\(var\.([\w-]+)\)\}", count)
            if var and isinstance(defaults.get(var.group(1)), int):
                instances = defaults[var.group(1)]
            elif length and isinstance(defaults.get(length.group(1)), list):
                instances = len(defaults[length.group(1)])
            else:
                warnings.append(
                    f"{where}: count of {address} is not known without a plan; read as 1"
                )
        if instances == 0:
            continue
        resources.append(Resource(address, rtype, rname, values, max(instances, 1), refs,
                                  f"{where} {address}"))  # fmt: skip
    result = build(resources, label, name)
    result.warnings = warnings + result.warnings
    return result


# ---------------------------------------------------------------- the builder


def _tier(res: Resource) -> str:
    """`public` for `aws_subnet.public`, `public_a`, `public-1`, `public_az2` alike."""
    name = res.name
    tag = (
        (res.values.get("tags") or {}).get("Name")
        if isinstance(res.values.get("tags"), dict)
        else None
    )
    base = re.sub(r"[-_](?:az)?(?:[a-f]|\d+)$", "", name) or name
    return base if base else str(tag or name)


# How a type reads as an id suffix where resource names repeat (`web-lb`, `web-asg`).
_SHORT = {
    "aws_autoscaling_group": "asg", "aws_db_instance": "db", "aws_rds_cluster": "db",
    "aws_elasticache_cluster": "cache", "aws_elasticache_replication_group": "cache",
    "aws_lambda_function": "fn", "aws_s3_bucket": "bucket", "aws_sqs_queue": "queue",
    "aws_sns_topic": "topic", "aws_dynamodb_table": "table", "aws_instance": "vm",
    "aws_cloudfront_distribution": "cdn", "aws_route53_record": "dns",
    "aws_kinesis_stream": "stream", "aws_msk_cluster": "kafka", "aws_ecs_service": "svc",
    "aws_api_gateway_rest_api": "api", "aws_apigatewayv2_api": "api",
}  # fmt: skip


def _short_type(rtype: str) -> str:
    return _SHORT.get(rtype) or (rtype.split("_", 1)[1] if "_" in rtype else rtype)


def build(resources: list[Resource], label: str, name: str) -> Imported:
    """The design the resources describe (see the module docstring)."""
    result = Imported(source=label, format="terraform", name=name)
    by_addr = {r.address: r for r in resources}
    is_comp: dict[str, techs.Tech] = {}
    skipped: dict[str, int] = defaultdict(int)
    has_records = any(r.type == "aws_route53_record" for r in resources)
    for r in resources:
        tech = techs.lookup(r.type)
        if tech is None or tech.kind is None or r.type in _SKIP_TYPES:
            if not (r.type == "aws_route53_zone" and not has_records):
                skipped[r.type] += 1
                continue
            tech = techs.lookup(r.type)
            assert tech is not None
        if r.type == "aws_route53_record" and not (r.refs.get("alias") or r.values.get("alias")):
            skipped[r.type] += 1  # validation and plain records: not part of the picture
            continue
        is_comp[r.address] = tech
    if skipped:
        total = sum(skipped.values())
        kinds = ", ".join(sorted(skipped))
        result.warnings.append(
            f"{label}: {total} resources of {len(skipped)} types are not components "
            f"(plumbing or unknown): {kinds}"
        )

    # Ids: the resource name, made unique with its type where names repeat.
    names = defaultdict(int)
    for addr in is_comp:
        names[_comp_name(by_addr[addr])] += 1
    taken: set[str] = set()
    ids: dict[str, str] = {}
    for addr in is_comp:
        r = by_addr[addr]
        base = _comp_name(r)
        if names[base] > 1 or base in ("this", "main", "default"):
            base = f"{base}-{_short_type(r.type)}".replace("_", "-")
        ids[addr] = make_id(base, taken)

    # Groups: VPCs, then subnet tiers inside them.
    groups: dict[str, str] = {}
    for r in resources:
        if r.type == "aws_vpc":
            gid = make_id(f"vpc-{r.name}" if r.name not in ("this", "main") else "vpc", taken)
            groups[r.address] = gid
            tags = r.values.get("tags") if isinstance(r.values.get("tags"), dict) else {}
            result.groups.append({"id": gid, "label": f"VPC {tags.get('Name') or r.name}"})
    subnet_tier: dict[str, str] = {}
    tier_groups: dict[tuple[str | None, str], str] = {}
    for r in resources:
        if r.type != "aws_subnet":
            continue
        vpcs = [a for a in r.refs.get("vpc_id", set()) if a in groups]
        vpc = vpcs[0] if vpcs else None
        key = (vpc, _tier(r))
        if key not in tier_groups:
            gid = make_id(f"{key[1]}-subnets".replace("_", "-"), taken)
            tier_groups[key] = gid
            group: dict[str, Any] = {"id": gid, "label": f"{key[1]} subnets".replace("_", " ")}
            if vpc:
                group["parent"] = groups[vpc]
            result.groups.append(group)
        subnet_tier[r.address] = tier_groups[key]

    def subnets_of(r: Resource) -> set[str]:
        found: set[str] = set()
        for attr in _SUBNET_ATTRS:
            found |= {a for a in r.refs.get(attr, set()) if a in subnet_tier}
        for attr in ("db_subnet_group_name", "subnet_group_name"):
            for a in r.refs.get(attr, set()):
                sg = by_addr.get(a)
                if sg is not None and sg.type in _SUBNET_GROUPS:
                    found |= {s for s in sg.refs.get("subnet_ids", set()) if s in subnet_tier}
        for a in r.refs.get("cluster_identifier", set()):  # Aurora instances: their cluster's
            if a in by_addr and a != r.address:
                found |= subnets_of(by_addr[a])
        return found

    # Security groups of each component (directly, or through its launch template).
    def sgs_of(r: Resource) -> set[str]:
        found: set[str] = set()
        for attr in _SG_ATTRS:
            found |= {
                a
                for a in r.refs.get(attr, set())
                if by_addr.get(a) and by_addr[a].type == "aws_security_group"
            }
        for attr in ("launch_template", "launch_configuration"):
            for a in r.refs.get(attr, set()):
                if a in by_addr and a != r.address:
                    found |= sgs_of(by_addr[a])
        return found

    comp_by_addr: dict[str, dict[str, Any]] = {}
    cluster_members: dict[str, int] = defaultdict(int)
    for r in resources:
        if r.type == "aws_rds_cluster_instance":
            for a in r.refs.get("cluster_identifier", set()):
                cluster_members[a] += r.instances
    for addr, tech in is_comp.items():
        r = by_addr[addr]
        comp: dict[str, Any] = {"id": ids[addr], "kind": tech.kind, "tech": tech_value(tech)}
        tiers = {subnet_tier[s] for s in subnets_of(r)}
        if len(tiers) == 1:
            comp["group"] = tiers.pop()
        elif tiers:
            parents = {g.get("parent") for g in result.groups if g["id"] in tiers}
            if len(parents) == 1 and None not in parents:
                comp["group"] = parents.pop()
        _sizes(r, comp, cluster_members.get(addr))
        comp["source"] = r.source
        comp_by_addr[addr] = comp
        result.components.append(comp)

    _connect(result, resources, by_addr, ids, sgs_of)
    if len(result.components) > 300:
        result.warnings.append(
            f"{label}: {len(result.components)} components; consider importing one stack at a time"
        )
    return result


def _comp_name(r: Resource) -> str:
    if r.address.startswith("module.") and r.name in ("this", "main", "default"):
        return r.address.split(".")[1]
    return r.name


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _sizes(r: Resource, comp: dict[str, Any], members: int | None) -> None:
    """Replicas, autoscaling and version from what the resource declares."""
    v = r.values
    replicas = r.instances
    if r.type == "aws_autoscaling_group":
        low, high = _int(v.get("min_size")), _int(v.get("max_size"))
        desired = _int(v.get("desired_capacity")) or low
        if desired:
            replicas = desired
        if low is not None and high is not None and high >= max(low, 1):
            comp["autoscaling"] = {"min": max(low, 1), "max": high}
    elif r.type == "aws_db_instance" and v.get("multi_az") is True:
        replicas = 2 * r.instances
        comp["note"] = "Multi-AZ: a standby in a second zone"
    elif r.type == "aws_rds_cluster" and members:
        replicas = members
    elif r.type == "aws_elasticache_replication_group":
        replicas = _int(v.get("num_cache_clusters")) or _int(v.get("number_cache_clusters")) or 1
    elif r.type == "aws_elasticache_cluster":
        replicas = _int(v.get("num_cache_nodes")) or 1
    elif r.type == "aws_msk_cluster":
        replicas = _int(v.get("number_of_broker_nodes")) or 1
    elif r.type == "aws_ecs_service":
        replicas = _int(v.get("desired_count")) or 1
    if replicas > 1:
        comp["replicas"] = min(replicas, 100_000)
    version = v.get("engine_version") or v.get("kafka_version") or v.get("runtime")
    if isinstance(version, str) and version:
        comp["version"] = version[:64]
    engine = v.get("engine")
    if isinstance(engine, str) and engine:
        comp["description"] = f"Engine: {engine}."
    if comp.get("autoscaling") and comp["kind"] not in COMPUTE_KINDS:
        del comp["autoscaling"]


def _connect(
    result: Imported,
    resources: list[Resource],
    by_addr: Mapping[str, Resource],
    ids: Mapping[str, str],
    sgs_of: Any,
) -> None:
    """Connections: glue resources, target groups, direct references, security groups."""
    # A small graph over addresses; components are its ends, glue resources its middle.
    flow: dict[str, set[tuple[str, bool]]] = defaultdict(set)
    for r in resources:
        glue = _GLUE.get(r.type)
        if glue is not None:
            src_attr, dst_attr, is_async = glue
            for a in r.refs.get(src_attr, set()):
                flow[a].add((r.address, is_async))
            for b in r.refs.get(dst_attr, set()):
                flow[r.address].add((b, is_async))
        # A target group's members name it: traffic flows from the group to them.
        for attr in ("target_group_arns", "load_balancer"):
            for tg in r.refs.get(attr, set()):
                if tg in by_addr and by_addr[tg].type in _TARGET_GROUPS:
                    flow[tg].add((r.address, False))

    def reach(start: str) -> set[tuple[str, bool]]:
        out: set[tuple[str, bool]] = set()
        stack, seen = [(start, False)], {start}
        while stack:
            node, is_async = stack.pop()
            for nxt, a in flow.get(node, ()):
                if nxt in ids:
                    out.add((nxt, is_async or a))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, is_async or a))
        return out

    for addr in ids:
        for target, is_async in sorted(reach(addr)):
            result.connect(ids[addr], ids[target], **{"async": is_async})
    # Direct references between components, outside the placing attributes.
    for addr in ids:
        r = by_addr[addr]
        for attr, targets in sorted(r.refs.items()):
            if attr in _STRUCTURAL:
                continue
            for t in sorted(targets):
                if t in ids and t != addr:
                    result.connect(ids[addr], ids[t])
    # Security groups: members of a source group may call members of the group it opens.
    members: dict[str, set[str]] = defaultdict(set)
    for addr in ids:
        for sg in sgs_of(by_addr[addr]):
            members[sg].add(addr)
    allowed: set[tuple[str, str]] = set()
    for r in resources:
        if r.type == "aws_security_group":
            for src in r.refs.get("ingress", set()):
                allowed.add((src, r.address))
        elif r.type in ("aws_security_group_rule", "aws_vpc_security_group_ingress_rule"):
            if r.type == "aws_security_group_rule" and r.values.get("type") not in (
                "ingress",
                None,
            ):
                continue
            dst = r.refs.get("security_group_id", set())
            src = r.refs.get("source_security_group_id", set()) | r.refs.get(
                "referenced_security_group_id", set()
            )
            allowed |= {(s, d) for s in src for d in dst}
    for src_sg, dst_sg in sorted(allowed):
        for a in sorted(members.get(src_sg, ())):
            for b in sorted(members.get(dst_sg, ())):
                if a != b:
                    result.connect(ids[a], ids[b])
