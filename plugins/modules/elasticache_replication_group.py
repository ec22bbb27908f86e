#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elasticache_replication_group
version_added: 0.1.0
short_description: Manage ElastiCache (Redis OSS and Valkey) replication groups
description:
  - Creates, modifies and deletes an Amazon ElastiCache replication group of the Redis OSS or Valkey engine,
    with cluster mode disabled (one shard) or enabled (several shards).
  - Settings that AWS can change in place are changed with C(ModifyReplicationGroup), the shard count with
    C(ModifyReplicationGroupShardConfiguration) and the replica count with C(IncreaseReplicaCount) /
    C(DecreaseReplicaCount). Settings that AWS cannot change in place (cluster mode, port, subnet group,
    encryption at rest and in transit, KMS key) make the module fail and say so; it never replaces a group.
  - An option left unset keeps the value the group has (or the AWS default when the group is created).
author:
  - aws_intro.stack developers (@aws-intro)
options:
  state:
    description:
      - V(present) creates or updates the group, V(absent) deletes it.
    type: str
    choices: ["present", "absent"]
    default: present
  replication_group_id:
    description:
      - Identifier of the replication group (1 to 40 lower-case letters, digits and hyphens, starting with a letter).
    type: str
    required: true
    aliases: ["name"]
  description:
    description:
      - Description of the group. Required to create a group.
    type: str
  engine:
    description:
      - Cache engine. A Redis OSS group may be upgraded to Valkey in place; the other way is refused.
    type: str
    choices: ["redis", "valkey"]
  engine_version:
    description:
      - Engine version, for example V(7.1). From Redis OSS 6 on, and for Valkey, give major.minor; ElastiCache runs
        the latest patch of it and reports that (V(7.1) reads back as C(7.1.0), later as C(7.1.1) and so on).
        Older versions are given in full, for example V(5.0.6).
      - The version is compared as AWS reports it, so a requested V(7.1) is satisfied by any C(7.1.x) and changes
        nothing. A higher version (V(7.0) -> V(7.1)) is an in-place upgrade. A version lower than the one the
        group runs (or has pending) makes the module fail before any change, since AWS cannot downgrade an engine.
    type: str
  cache_node_type:
    description:
      - Node type of every node, for example V(cache.t3.micro). Changed in place (scaling).
    type: str
    aliases: ["node_type"]
  cluster_mode:
    description:
      - V(enabled) spreads the keys over O(num_node_groups) shards and gives a configuration endpoint;
        V(disabled) is one shard with a primary and a reader endpoint.
      - Cannot change after creation.
    type: str
    choices: ["enabled", "disabled"]
  num_node_groups:
    description:
      - Number of shards. More than one needs O(cluster_mode=enabled).
    type: int
  replicas_per_node_group:
    description:
      - Number of read replicas in each shard, 0 to 5.
    type: int
  automatic_failover:
    description:
      - Promote a replica when the primary fails. Needs at least one replica; cluster mode needs it on.
    type: bool
  multi_az:
    description:
      - Place replicas in other availability zones than their primary. Needs O(automatic_failover) and a replica.
    type: bool
  at_rest_encryption:
    description:
      - Encrypt data at rest. Cannot change after creation.
    type: bool
  kms_key_id:
    description:
      - KMS key for encryption at rest; the AWS managed key when unset. Cannot change after creation.
    type: str
  transit_encryption:
    description:
      - Encrypt traffic with TLS. Needed for O(auth_token). Cannot change after creation with this module.
    type: bool
  auth_token:
    description:
      - Password of the Redis AUTH command (16 to 128 printable characters without C(@), C(") or C(/)).
      - Used when the group is created. AWS never returns a token, so on an existing group it is only sent when
        O(auth_token_update_strategy) is set (each such run reports a change).
    type: str
  auth_token_update_strategy:
    description:
      - V(ROTATE) adds O(auth_token) next to the current token (both are accepted until the next V(SET)),
        V(SET) makes O(auth_token) the only token.
    type: str
    choices: ["ROTATE", "SET"]
  cache_subnet_group_name:
    description:
      - Cache subnet group (the VPC subnets of the nodes). Cannot change after creation.
    type: str
  security_group_ids:
    description:
      - VPC security groups of the nodes; the list replaces the current one.
    type: list
    elements: str
  cache_parameter_group_name:
    description:
      - Cache parameter group; the engine's default group when unset at creation.
    type: str
  port:
    description:
      - Port of the nodes. Cannot change after creation.
    type: int
  snapshot_retention_limit:
    description:
      - Days to keep automatic snapshots; V(0) turns them off.
    type: int
  snapshot_window:
    description:
      - Daily UTC time range of the automatic snapshot, C(hh24:mi-hh24:mi), for example V(05:00-06:00).
    type: str
  preferred_maintenance_window:
    description:
      - Weekly UTC maintenance window, C(ddd:hh24:mi-ddd:hh24:mi), for example V(sun:23:00-mon:01:30).
    type: str
  apply_immediately:
    description:
      - Apply changes of O(cache_node_type), O(engine_version) and the like now instead of in the maintenance
        window. Shard and replica count changes are always immediate (AWS requires it).
    type: bool
    default: false
  wait:
    description:
      - Wait until the group is C(available) (or gone, for O(state=absent)). Never waits in check mode.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait before failing.
    type: int
    default: 1800
notes:
  - Check mode reports the predicted group and makes no change; C(--diff) shows the settings before and after.
  - Read replicas count, shards, engine version and node type of a running group can be changed;
    AWS may keep a change pending until the maintenance window unless O(apply_immediately=true).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Create a Redis OSS group with one replica, failover, encryption at rest
  aws_intro.stack.elasticache_replication_group:
    replication_group_id: sample-cache
    description: sample Rails cache
    engine: redis
    engine_version: "7.1"
    cache_node_type: cache.t3.micro
    cluster_mode: disabled
    replicas_per_node_group: 1
    automatic_failover: true
    multi_az: true
    at_rest_encryption: true
    cache_subnet_group_name: sample-cache
    security_group_ids: [sg-0123456789abcdef0]
    snapshot_retention_limit: 1
    snapshot_window: "17:00-18:00"
    preferred_maintenance_window: "sun:18:00-sun:19:00"
    tags:
      Stack: sample
  register: cache

- name: Create a group with TLS and an AUTH token
  aws_intro.stack.elasticache_replication_group:
    replication_group_id: sample-tls
    description: TLS and AUTH
    cache_node_type: cache.t3.micro
    replicas_per_node_group: 1
    automatic_failover: true
    transit_encryption: true
    auth_token: "{{ cache_auth_token }}"
  no_log: true

- name: Rotate the AUTH token (old and new both work until the next SET)
  aws_intro.stack.elasticache_replication_group:
    replication_group_id: sample-tls
    auth_token: "{{ new_cache_auth_token }}"
    auth_token_update_strategy: ROTATE
    apply_immediately: true
  no_log: true

- name: Scale the nodes now rather than in the maintenance window
  aws_intro.stack.elasticache_replication_group:
    replication_group_id: sample-cache
    cache_node_type: cache.t3.small
    apply_immediately: true

- name: Delete the group
  aws_intro.stack.elasticache_replication_group:
    replication_group_id: sample-cache
    state: absent
"""

RETURN = r"""
replication_group:
  description: The replication group (after the change; in check mode, as predicted). Empty when absent.
  returned: always
  type: complex
  contains:
    replication_group_id:
      description: Identifier of the group.
      returned: when present
      type: str
      sample: sample-cache
    arn:
      description: ARN of the group.
      returned: when present
      type: str
      sample: arn:aws:elasticache:ap-northeast-2:111122223333:replicationgroup:sample-cache
    description:
      description: Description of the group.
      returned: when present
      type: str
      sample: sample Rails cache
    status:
      description: Status of the group (C(creating), C(available), C(modifying), C(deleting) ...).
      returned: when present
      type: str
      sample: available
    engine:
      description: Cache engine.
      returned: when present
      type: str
      sample: redis
    engine_version:
      description:
        - Engine version as AWS reports it on a member cluster, with its patch level (C(7.1.0) for a group created
          with V(7.1)). In check mode, the requested version when it is to change now (O(apply_immediately));
          an upgrade left for the maintenance window shows in RV(replication_group.pending_modified_values).
      returned: when present
      type: str
      sample: "7.1.0"
    cache_node_type:
      description: Node type.
      returned: when present
      type: str
      sample: cache.t3.micro
    cluster_mode:
      description: V(enabled) or V(disabled).
      returned: when present
      type: str
      sample: disabled
    num_node_groups:
      description: Number of shards.
      returned: when present
      type: int
      sample: 1
    replicas_per_node_group:
      description: Read replicas in each shard.
      returned: when present
      type: int
      sample: 1
    automatic_failover:
      description: Automatic failover status.
      returned: when present
      type: str
      sample: enabled
    multi_az:
      description: Multi-AZ status.
      returned: when present
      type: str
      sample: enabled
    at_rest_encryption_enabled:
      description: Whether data at rest is encrypted.
      returned: when present
      type: bool
      sample: true
    transit_encryption_enabled:
      description: Whether traffic is encrypted with TLS.
      returned: when present
      type: bool
      sample: false
    auth_token_enabled:
      description: Whether the group has an AUTH token (the token itself is never returned).
      returned: when present
      type: bool
      sample: false
    kms_key_id:
      description: KMS key of encryption at rest, when one was given.
      returned: when present
      type: str
      sample: null
    cache_subnet_group_name:
      description: Cache subnet group.
      returned: when present
      type: str
      sample: sample-cache
    security_group_ids:
      description: VPC security groups of the nodes.
      returned: when present
      type: list
      elements: str
      sample: [sg-0123456789abcdef0]
    cache_parameter_group_name:
      description: Cache parameter group.
      returned: when present
      type: str
      sample: default.redis7
    port:
      description: Port of the nodes.
      returned: when present
      type: int
      sample: 6379
    snapshot_retention_limit:
      description: Days automatic snapshots are kept.
      returned: when present
      type: int
      sample: 1
    snapshot_window:
      description: Daily snapshot window (UTC).
      returned: when present
      type: str
      sample: "17:00-18:00"
    preferred_maintenance_window:
      description: Weekly maintenance window (UTC).
      returned: when present
      type: str
      sample: "sun:18:00-sun:19:00"
    primary_endpoint:
      description: Address and port of the primary (cluster mode disabled).
      returned: when present
      type: dict
      sample: {"address": "master.sample-cache.abcdef.apn2.cache.amazonaws.com", "port": 6379}
    reader_endpoint:
      description: Address and port that spread reads over the replicas (cluster mode disabled).
      returned: when present
      type: dict
      sample: {"address": "replica.sample-cache.abcdef.apn2.cache.amazonaws.com", "port": 6379}
    configuration_endpoint:
      description: Address and port of the configuration endpoint (cluster mode enabled).
      returned: when present
      type: dict
      sample: {}
    member_clusters:
      description: Ids of the cache clusters (nodes) of the group.
      returned: when present
      type: list
      elements: str
      sample: ["sample-cache-001", "sample-cache-002"]
    node_groups:
      description: The shards, each with its id, status, slots, endpoints and members.
      returned: when present
      type: list
      elements: dict
      contains:
        node_group_id:
          description: Shard id.
          type: str
          sample: "0001"
        status:
          description: Shard status.
          type: str
          sample: available
        members:
          description:
            - Nodes of the shard, each with C(cache_cluster_id), C(current_role),
              C(preferred_availability_zone) and C(read_endpoint).
          type: list
          elements: dict
    pending_modified_values:
      description: Changes AWS will apply in the maintenance window (snake_case).
      returned: when present
      type: dict
      sample: {"cache_node_type": "cache.t3.small"}
    tags:
      description: Tags of the group.
      returned: when present
      type: dict
      sample: {"Stack": "sample"}
"""

import contextlib
import re

with contextlib.suppress(ImportError):  # AnsibleAWSModule reports a missing botocore
    from botocore.exceptions import WaiterError

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags
from ansible_collections.aws_intro.stack.plugins.module_utils.elasticache import (
    ENGINE_VERSION_PATTERN,
    WAIT_DELAY,
    AnsibleElastiCacheError,
    add_tags,
    change_replica_count,
    create_params,
    create_replication_group,
    delete_replication_group,
    get_replication_group,
    modify_replication_group,
    modify_shard_configuration,
    plan_changes,
    predict_created,
    read_replication_group,
    remove_tags,
    replication_group_waiter,
)
from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule
from ansible_collections.aws_intro.stack.plugins.module_utils.waiters import timed_out, waiter_config

ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
SNAPSHOT_WINDOW = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
MAINTENANCE_WINDOW = re.compile(
    r"^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$"
)
AUTH_TOKEN = re.compile(r'^[\x21-\x7e]{16,128}$')
MAX_REPLICAS = 5


def validate(params, current=None, partial=False):
    """Errors in the requested settings, checked before any change.

    ``current`` is the normalized group (None when it does not exist). With ``partial`` (before the group
    is read) an option left unset is not judged, since the group may hold a value that makes it valid.
    """
    errors = []
    current = current or {}
    group_id = params["replication_group_id"]
    if not ID_PATTERN.match(group_id) or "--" in group_id or group_id.endswith("-"):
        errors.append(
            f"replication_group_id must be 1 to 40 lower-case letters, digits and single hyphens starting with a "
            f"letter and not ending with a hyphen, got {group_id!r}"
        )
    if params["state"] == "absent":
        return errors

    def value(option, key):
        return params[option] if params[option] is not None else current.get(key)

    def known(*options):
        return not partial or all(params[option] is not None for option in options)

    replicas = value("replicas_per_node_group", "replicas_per_node_group")
    if replicas is not None and not 0 <= replicas <= MAX_REPLICAS:
        errors.append(f"replicas_per_node_group must be 0 to {MAX_REPLICAS}, got {replicas}")
    shards = params["num_node_groups"]
    if shards is not None and shards < 1:
        errors.append(f"num_node_groups must be at least 1, got {shards}")
    cluster_mode = value("cluster_mode", "cluster_mode") or "disabled"
    if cluster_mode == "disabled" and shards is not None and shards > 1 and known("cluster_mode"):
        errors.append(f"num_node_groups={shards} needs cluster_mode=enabled (cluster mode disabled has one shard)")
    replicas = replicas or 0
    failover = params["automatic_failover"]
    if failover is None:
        failover = current.get("automatic_failover") in ("enabled", "enabling")
    multi_az = params["multi_az"]
    if multi_az is None:
        multi_az = current.get("multi_az") == "enabled"
    if failover and replicas < 1 and cluster_mode == "disabled" and known("replicas_per_node_group"):
        errors.append("automatic_failover needs replicas_per_node_group of at least 1 (a replica to promote), got 0")
    if multi_az and replicas < 1 and known("replicas_per_node_group"):
        errors.append("multi_az needs replicas_per_node_group of at least 1, got 0")
    if multi_az and not failover and known("automatic_failover"):
        errors.append("multi_az needs automatic_failover=true")
    if cluster_mode == "enabled" and params["automatic_failover"] is False:
        errors.append("cluster_mode=enabled needs automatic_failover=true")
    if params["auth_token"] is not None:
        if not AUTH_TOKEN.match(params["auth_token"]) or any(c in params["auth_token"] for c in '@"/'):
            errors.append('auth_token must be 16 to 128 printable characters without spaces, @, " or /')
        if not value("transit_encryption", "transit_encryption_enabled") and known("transit_encryption"):
            errors.append("auth_token needs transit_encryption=true (Redis AUTH is only accepted over TLS)")
    if params["auth_token_update_strategy"] and params["auth_token"] is None:
        errors.append("auth_token_update_strategy needs auth_token")
    version = params["engine_version"]
    if version is not None and not ENGINE_VERSION_PATTERN.fullmatch(version):
        errors.append(f"engine_version must be a version such as 7.1 (major.minor) or 5.0.6, got {version!r}")
    if params["snapshot_window"] is not None and not SNAPSHOT_WINDOW.match(params["snapshot_window"]):
        errors.append(f"snapshot_window must be hh24:mi-hh24:mi (UTC), got {params['snapshot_window']!r}")
    window = params["preferred_maintenance_window"]
    if window is not None and not MAINTENANCE_WINDOW.match(window.lower()):
        errors.append(f"preferred_maintenance_window must be ddd:hh24:mi-ddd:hh24:mi (UTC), got {window!r}")
    if params["snapshot_retention_limit"] is not None and not 0 <= params["snapshot_retention_limit"] <= 35:
        errors.append(f"snapshot_retention_limit must be 0 to 35 days, got {params['snapshot_retention_limit']}")
    if not partial and not current and not params["description"]:
        errors.append("description is required to create a replication group")
    return errors


class ReplicationGroupManager:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.group_id = module.params["replication_group_id"]

    def read(self):
        group = get_replication_group(self.client, self.group_id)
        return read_replication_group(self.client, group) if group else None

    def wait_for(self, state):
        """Wait with botocore's waiter until the group is ``available`` or ``deleted``; the group as it is then."""
        timeout = self.params["wait_timeout"]
        try:
            replication_group_waiter(self.client, state).wait(
                ReplicationGroupId=self.group_id, WaiterConfig=waiter_config(timeout, WAIT_DELAY)
            )
        except WaiterError as e:
            current = self.read()
            status = (current or {}).get("status", "gone")
            if timed_out(e):
                message = (f"Timed out after {timeout} s waiting for replication group {self.group_id} "
                           f"to be {state} (status {status})")
            else:
                message = f"Replication group {self.group_id} did not become {state} (status {status})"
            self.module.fail_json_aws(e, msg=message, replication_group=current or {})
        return self.read()

    def wait_available(self):
        return self.wait_for("available")

    def ensure_tags(self, current, predicted):
        if self.params["tags"] is None:
            return False
        to_add, to_remove = compare_aws_tags(current.get("tags") or {}, self.params["tags"], self.params["purge_tags"])
        if not to_add and not to_remove:
            return False
        tags = dict(current.get("tags") or {})
        tags.update(to_add)
        for key in to_remove:
            tags.pop(key, None)
        predicted["tags"] = tags
        if not self.module.check_mode:
            if to_remove:
                remove_tags(self.client, current["arn"], to_remove)
            if to_add:
                add_tags(self.client, current["arn"], to_add)
        return True

    def plan(self, current):
        """plan_changes on the group as it is, or fail naming every change AWS cannot make in place."""
        errors, modify, shards, replicas, predicted = plan_changes(current, self.params)
        if errors:
            self.module.fail_json(msg="; ".join(errors), replication_group=current)
        return modify, shards, replicas, predicted

    def ensure_present(self, current):
        """Create or update the group; returns (changed, predicted)."""
        if current is None:
            predicted = predict_created(self.params)
            if self.module.check_mode:
                return True, predicted
            create_replication_group(self.client, **create_params(self.params))
            return True, predicted
        if current["status"] == "deleting":
            self.module.fail_json(msg=f"Replication group {self.group_id} is being deleted; run again when it is gone")

        modify, shards, replicas, predicted = self.plan(current)
        if not self.module.check_mode and (modify or shards is not None or replicas is not None) and (
            current["status"] != "available"
        ):
            # A group still creating or modifying reports settings that are not final yet (no node groups while
            # it is creating, values that change when a modification lands): the plan is made again on the
            # group once it is available, and only what it still needs is sent.
            current = self.wait_available()
            modify, shards, replicas, predicted = self.plan(current)
        tags_changed = self.ensure_tags(current, predicted)
        changed = bool(modify or shards is not None or replicas is not None or tags_changed)
        if self.module.check_mode or not changed:
            return changed, predicted
        if modify:
            modify_replication_group(self.client, ReplicationGroupId=self.group_id, **modify)
        if shards is not None:
            if modify:
                self.wait_available()
            self.resize_shards(current, shards)
        if replicas is not None:
            if modify or shards is not None:
                self.wait_available()
            change_replica_count(
                self.client,
                replicas > current["replicas_per_node_group"],
                ReplicationGroupId=self.group_id,
                NewReplicaCount=replicas,
                ApplyImmediately=True,
            )
        return True, predicted

    def resize_shards(self, current, shards):
        kwargs = {"ReplicationGroupId": self.group_id, "NodeGroupCount": shards, "ApplyImmediately": True}
        if shards < current["num_node_groups"]:
            ids = sorted(ng["node_group_id"] for ng in current["node_groups"])
            kwargs["NodeGroupsToRetain"] = ids[:shards]
        modify_shard_configuration(self.client, **kwargs)

    def ensure_absent(self, current):
        """Delete the group; returns (changed, predicted)."""
        if current is None or current["status"] == "deleting":
            return False, {}
        if self.module.check_mode:
            return True, {}
        if current["status"] not in ("available", "create-failed", "snapshotting"):
            self.wait_available()
        delete_replication_group(self.client, self.group_id)
        return True, {}


def _ready(group, state):
    """Whether the group as read is what ``wait`` waits for: available with every shard available (present),
    or gone (absent)."""
    if state == "absent":
        return not group
    return bool(group) and group["status"] == "available" and all(
        node_group["status"] == "available" for node_group in group["node_groups"]
    )


def _diff_view(group):
    """The settings shown by --diff (no volatile endpoints or member lists)."""
    hidden = ("status", "node_groups", "member_clusters", "primary_endpoint", "reader_endpoint",
              "configuration_endpoint", "arn")
    return {k: v for k, v in (group or {}).items() if k not in hidden}


def main():
    argument_spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        replication_group_id=dict(type="str", required=True, aliases=["name"]),
        description=dict(type="str"),
        engine=dict(type="str", choices=["redis", "valkey"]),
        engine_version=dict(type="str"),
        cache_node_type=dict(type="str", aliases=["node_type"]),
        cluster_mode=dict(type="str", choices=["enabled", "disabled"]),
        num_node_groups=dict(type="int"),
        replicas_per_node_group=dict(type="int"),
        automatic_failover=dict(type="bool"),
        multi_az=dict(type="bool"),
        at_rest_encryption=dict(type="bool"),
        kms_key_id=dict(type="str"),
        transit_encryption=dict(type="bool"),
        auth_token=dict(type="str", no_log=True),
        auth_token_update_strategy=dict(type="str", choices=["ROTATE", "SET"], no_log=False),
        cache_subnet_group_name=dict(type="str"),
        security_group_ids=dict(type="list", elements="str"),
        cache_parameter_group_name=dict(type="str"),
        port=dict(type="int"),
        snapshot_retention_limit=dict(type="int"),
        snapshot_window=dict(type="str"),
        preferred_maintenance_window=dict(type="str"),
        apply_immediately=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
    )
    module = AnsibleStackAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    # Bad settings fail before any AWS call; the checks that need the current group run again below.
    errors = validate(module.params, partial=True)
    if errors:
        module.fail_json(msg="; ".join(errors))

    client = module.client("elasticache")
    manager = ReplicationGroupManager(module, client)
    try:
        current = manager.read()
        if module.params["state"] == "present":
            errors = validate(module.params, current)
            if errors:
                module.fail_json(msg="; ".join(errors))
            changed, predicted = manager.ensure_present(current)
        else:
            changed, predicted = manager.ensure_absent(current)

        result = predicted
        if not module.check_mode:
            if not changed and (not module.params["wait"] or _ready(current, module.params["state"])):
                # Nothing was sent and nothing is to be waited for: the group as read above is the result.
                result = current or {}
            elif module.params["wait"] and module.params["state"] == "present":
                result = manager.wait_available()
            elif module.params["wait"] and changed:
                result = manager.wait_for("deleted") or {}
            else:
                result = manager.read() or {}
    except AnsibleElastiCacheError as e:
        module.fail_json_aws_error(e)

    extra = {}
    if module._diff:
        extra["diff"] = {"before": _diff_view(current), "after": _diff_view(result if changed else current)}
    module.exit_json(changed=changed, replication_group=result, **extra)


if __name__ == "__main__":
    main()
