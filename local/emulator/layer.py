"""The emulator as the tests run it: moto server, plus a thin test-only layer of fixes where
moto departs from documented AWS behaviour. Product code is never bent to the emulator; each
fix here names the AWS documentation it restores.

    python -m local.emulator.layer -H 127.0.0.1 -p PORT     # same arguments as moto_server
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import uuid


def fix_nat_gateway_tag_resource_type() -> None:
    """DescribeTags reports NAT gateways with resource type ``natgateway``.

    AWS: EC2 API Reference, DescribeTags, filter ``resource-type`` ("... | natgateway | ...")
    and TagDescription.ResourceType. moto 5.2 says ``nat-gateway``, so a DescribeTags call
    filtered on ``natgateway`` (amazon.aws's ensure_ec2_tags does that) finds no tags and the
    module re-tags the gateway on every run.
    """
    from moto.ec2.models import tags

    tags.EC2_PREFIX_TO_RESOURCE["nat"] = "natgateway"


def fix_dashboard_body_validation() -> None:
    """PutDashboard checks the body's structure, not only that it is JSON.

    AWS: CloudWatch API Reference, PutDashboard ("DashboardBody ... For more information about
    the syntax, see Dashboard Body Structure and Syntax"; errors: DashboardInvalidInputError,
    HTTP 400, code InvalidParameterInput, member ``dashboardValidationMessages``, a list of
    DashboardValidationMessage {DataPath, Message}) and "Dashboard Body Structure and Syntax":
    ``widgets`` is a required array; each widget requires ``type`` (metric, text, log, alarm,
    explorer) and ``properties``. moto 5.2 accepts any JSON, so a body AWS would reject with
    validation messages is stored instead. Only these documented required parts are checked.
    """
    from moto.cloudwatch import responses
    from moto.cloudwatch.exceptions import DashboardInvalidInputError

    widget_types = ("metric", "text", "log", "alarm", "explorer")
    original = responses.CloudWatchResponse.put_dashboard

    def problems(body: object) -> list[dict]:
        if not isinstance(body, dict):
            return [{"DataPath": "", "Message": "Should be object"}]
        widgets = body.get("widgets")
        if not isinstance(widgets, list):
            return [{"DataPath": "", "Message": "Should have required property 'widgets'"}]
        found = []
        for index, widget in enumerate(widgets):
            path = f"/widgets/{index}"
            if not isinstance(widget, dict):
                found.append({"DataPath": path, "Message": "Should be object"})
                continue
            if widget.get("type") not in widget_types:
                found.append({"DataPath": f"{path}/type",
                              "Message": f"Should be equal to one of the allowed values {list(widget_types)}"})
            if not isinstance(widget.get("properties"), dict):
                found.append({"DataPath": path, "Message": "Should have required property 'properties'"})
        return found

    def put_dashboard(self):  # type: ignore[no-untyped-def]
        try:
            body = json.loads(self._get_param("DashboardBody"))
        except (TypeError, ValueError):
            return original(self)  # moto's own "Body is invalid JSON"
        found = problems(body)
        if found:
            listed = json.dumps([{"dataPath": m["DataPath"], "message": m["Message"]} for m in found])
            error = DashboardInvalidInputError(
                f"The dashboard body is invalid, there are {len(found)} validation errors: {listed}")
            error.dashboardValidationMessages = found  # type: ignore[attr-defined]
            raise error
        return original(self)

    responses.CloudWatchResponse.put_dashboard = put_dashboard



# MySQL engine defaults as DescribeDBParameters reports them for a new mysql8.0 / mysql8.4 group (a subset:
# the parameters this collection sets). RDS API Reference, DescribeDBParameters and the Parameter data type
# (ParameterName, Description, Source, ApplyType, DataType, AllowedValues, IsModifiable, ApplyMethod);
# values as listed for the default.mysql8.0 / default.mysql8.4 groups in the RDS console and the MySQL 8.0 /
# 8.4 reference manuals.
_MYSQL80_CHARSETS = ("big5,dec8,cp850,hp8,koi8r,latin1,latin2,swe7,ascii,ujis,sjis,hebrew,tis620,euckr,koi8u,"
                     "gb2312,greek,cp1250,gbk,latin5,armscii8,utf8,ucs2,cp866,keybcs2,macce,macroman,cp852,"
                     "latin7,utf8mb4,cp1251,utf16,cp1256,cp1257,utf32,binary,geostd8,cp932,eucjpms")
_MYSQL80_DEFAULTS = {
    **{name: {"Description": f"The {name.replace('_', ' ')}.", "DataType": "string", "AllowedValues": _MYSQL80_CHARSETS}
       for name in ("character_set_client", "character_set_connection", "character_set_database",
                    "character_set_filesystem", "character_set_results", "character_set_server")},
    **{name: {"Description": f"The {name.replace('_', ' ')}.", "DataType": "string"}
       for name in ("collation_connection", "collation_server")},
    "time_zone": {"Description": "The server time zone.", "DataType": "string",
                  "AllowedValues": "Africa/Cairo,America/New_York,Asia/Seoul,Asia/Tokyo,Europe/London,UTC"},
    "max_connections": {"Description": "The number of simultaneous client connections allowed.",
                        "DataType": "integer", "AllowedValues": "1-100000"},
    "slow_query_log": {"Description": "Enable or disable the slow query log.", "DataType": "boolean",
                       "AllowedValues": "0,1"},
    "long_query_time": {"Description": "Queries slower than this many seconds are logged.", "DataType": "float",
                        "AllowedValues": "0-31536000"},
}
# MySQL 8.4 Reference Manual, "Native Pluggable Authentication": the mysql_native_password server plugin is
# "disabled by default" in 8.4 and enabled at server start-up with mysql_native_password=ON, so on RDS it is a
# static (pending-reboot) parameter of the mysql8.4 family, off by default.
_MYSQL84_DEFAULTS = {
    **_MYSQL80_DEFAULTS,
    "mysql_native_password": {"Description": "Enables the deprecated mysql_native_password authentication plugin.",
                              "DataType": "boolean", "AllowedValues": "0,1", "ApplyType": "static",
                              "ParameterValue": "0"},
}
_MYSQL_FAMILY_DEFAULTS = {"mysql8.0": _MYSQL80_DEFAULTS, "mysql8.4": _MYSQL84_DEFAULTS}


def _family_defaults(family: str | None) -> dict:
    return _MYSQL_FAMILY_DEFAULTS.get((family or "").lower(), {})


def fix_rds_db_parameters_engine_defaults() -> None:
    """DescribeDBParameters lists the engine's parameters with their metadata, not only the ones set.

    AWS: RDS API Reference, DescribeDBParameters ("Returns the detailed parameter list for a particular DB
    parameter group") and the Parameter data type: every parameter carries Source (engine-default | user |
    system), ApplyType, DataType, AllowedValues and IsModifiable. moto 5.2 returns only the parameters a
    user modified, with no DataType or IsModifiable, so amazon.aws.rds_instance_param_group (which reads
    both) fails with KeyError. For mysql8.0 and mysql8.4 groups this adds the engine defaults above and the
    metadata. DescribeDBParameterGroups is made to honour DBParameterGroupName (see below).
    """
    from moto.core.responses import ActionResult, PaginatedResult
    from moto.rds.exceptions import DBParameterGroupNotFoundError
    from moto.rds.responses import RDSResponse

    def describe_db_parameters(self):
        name = self.params.get("DBParameterGroupName")
        groups = self.backend.describe_db_parameter_groups({"db_parameter_group_name": name})
        if not groups:
            raise DBParameterGroupNotFoundError(name)
        group = groups[0]
        merged = {}
        for pname, meta in _family_defaults(group.family).items():
            merged[pname] = {"ParameterName": pname, "Source": "engine-default", "ApplyType": "dynamic",
                             "IsModifiable": True, "ApplyMethod": "pending-reboot", **meta}
        for pname, values in group.parameters.items():
            merged[pname] = {**merged.get(pname, {"ParameterName": pname, "ApplyType": "dynamic",
                                                   "DataType": "string", "IsModifiable": True}),
                             **values, "Source": "user"}
        source = self.params.get("Source")
        parameters = [p for p in merged.values() if not source or p.get("Source") == source]
        return ActionResult({"Parameters": parameters})

    def describe_db_parameter_groups(self):
        # DescribeDBParameterGroups with DBParameterGroupName returns that group or fails with
        # DBParameterGroupNotFound (RDS API Reference, DescribeDBParameterGroups, Errors). moto 5.2 passes
        # the PascalCase request to a backend filter that reads snake_case, so it lists every group
        # (none on a new account), and amazon.aws.rds_instance_param_group fails with IndexError.
        name = self.params.get("DBParameterGroupName")
        groups = self.backend.describe_db_parameter_groups({"db_parameter_group_name": (name or "").lower()})
        if name and not groups:
            raise DBParameterGroupNotFoundError(name)
        return PaginatedResult({"DBParameterGroups": groups})

    RDSResponse.describe_db_parameters = describe_db_parameters
    RDSResponse.describe_db_parameter_groups = describe_db_parameter_groups


def fix_rds_static_parameters_pending_reboot() -> None:
    """ModifyDBParameterGroup refuses the immediate method for a static parameter.

    AWS: RDS API Reference, ModifyDBParameterGroup, Parameters ("Valid Values (for the application method):
    immediate | pending-reboot. You can use the immediate value with dynamic parameters only. You can use the
    pending-reboot value for both dynamic and static parameters."); the error is InvalidParameterCombination.
    moto 5.2 stores any method. Static parameters are those of the family defaults above with ApplyType static.
    """
    from moto.rds.exceptions import InvalidParameterCombination
    from moto.rds.responses import RDSResponse

    original = RDSResponse.modify_db_parameter_group

    def modify_db_parameter_group(self):
        name = self.params.get("DBParameterGroupName")
        groups = self.backend.describe_db_parameter_groups({"db_parameter_group_name": (name or "").lower()})
        defaults = _family_defaults(groups[0].family) if groups else {}
        for parameter in self.params.get("Parameters") or []:
            pname = parameter.get("ParameterName")
            if (parameter.get("ApplyMethod") == "immediate"
                    and defaults.get(pname, {}).get("ApplyType") == "static"):
                raise InvalidParameterCombination(
                    f"cannot use immediate apply method for static parameter {pname}")
        return original(self)

    RDSResponse.modify_db_parameter_group = modify_db_parameter_group


def fix_rds_option_group_mysql84() -> None:
    """CreateOptionGroup takes MySQL 8.4 as a major engine version.

    AWS: RDS API Reference, CreateOptionGroup, MajorEngineVersion ("Specifies the major version of the engine
    that this option group should be associated with"); RDS User Guide, "Options for MySQL DB instances"
    (option groups of RDS for MySQL 8.4, e.g. MARIADB_AUDIT_PLUGIN "MySQL 8.4 all versions"), and "MySQL on
    Amazon RDS versions" (8.4 is a major version). moto 5.2's list of majors stops at mysql 8.0 and answers
    InvalidParameterCombination "Cannot find major version 8.4 for mysql".
    """
    from moto.rds.models import RDSBackend

    original = RDSBackend.create_option_group

    def create_option_group(self, option_group_kwargs):  # type: ignore[no-untyped-def]
        kwargs = option_group_kwargs
        if kwargs.get("engine_name") == "mysql" and kwargs.get("major_engine_version") == "8.4":
            group = original(self, {**option_group_kwargs, "major_engine_version": "8.0"})
            group.major_engine_version = "8.4"
            return group
        return original(self, option_group_kwargs)

    RDSBackend.create_option_group = create_option_group


def fix_rds_engine_lifecycle_support() -> None:
    """A new RDS for MySQL / PostgreSQL DB instance reports its EngineLifecycleSupport.

    AWS: RDS API Reference, CreateDBInstance, EngineLifecycleSupport ("By default, this value is set to
    open-source-rds-extended-support, which enrolls your DB instance into Amazon RDS Extended Support ...
    This setting applies only to RDS for MySQL and RDS for PostgreSQL"), and DBInstance.EngineLifecycleSupport
    ("The lifecycle type for the DB instance"). moto 5.2 drops the value at creation (it keeps it only from
    ModifyDBInstance), so DescribeDBInstances leaves it out.
    """
    from moto.rds.models import DBInstance

    original_init = DBInstance.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if str(getattr(self, "engine", "")).lower() in ("mysql", "postgres"):
            self.engine_lifecycle_support = (kwargs.get("engine_lifecycle_support")
                                             or "open-source-rds-extended-support")

    DBInstance.__init__ = __init__


# RDS for MySQL minor versions per major, oldest first, for the automatic minor version upgrade below (RDS
# User Guide, "Supported MySQL minor versions on Amazon RDS").
_RDS_MYSQL_MINOR_VERSIONS = {
    "8.0": ("8.0.42", "8.0.43", "8.0.44", "8.0.45", "8.0.46"),
    "8.4": ("8.4.5", "8.4.6", "8.4.7", "8.4.8", "8.4.9", "8.4.10"),
}


def _version_key(version: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def fix_rds_auto_minor_version_upgrade() -> None:
    """RDS upgrades an instance's minor version on its own: ApplyPendingMaintenanceAction db-upgrade.

    AWS: RDS User Guide, "Upgrading a DB instance engine version" / "Automatically upgrading the minor engine
    version" (with AutoMinorVersionUpgrade on, "Amazon RDS automatically upgrades your DB instance to the
    preferred minor version" in the maintenance window; the upgrade shows as a pending maintenance action
    db-upgrade, which you can apply at once), and RDS API Reference, ApplyPendingMaintenanceAction
    (ResourceIdentifier: the instance's ARN; ApplyAction: db-upgrade | system-update | ...; OptInType
    immediate | next-maintenance | undo-opt-in). The instance then runs a newer minor than the one it was
    created with, and EngineVersion says so. moto 5.2 has no ApplyPendingMaintenanceAction and never upgrades
    anything; tests use this to make RDS's out-of-band upgrade happen. An immediate db-upgrade of an instance
    with AutoMinorVersionUpgrade moves it to the newest minor of its major in the list above; any other
    action or opt-in is accepted and changes nothing (it would happen in a maintenance window).
    """
    from moto.core.responses import ActionResult
    from moto.rds.exceptions import InvalidParameterValue
    from moto.rds.responses import RDSResponse

    def apply_pending_maintenance_action(self):
        arn = self.params.get("ResourceIdentifier") or ""
        action = self.params.get("ApplyAction")
        opt_in = self.params.get("OptInType")
        instance = next((db for db in self.backend.databases.values() if db.arn == arn), None)
        if instance is None:
            raise InvalidParameterValue(f"No pending maintenance action for resource {arn}")
        if action == "db-upgrade" and opt_in == "immediate":
            version = str(instance.engine_version)
            major = ".".join(version.split(".")[:2])
            newer = [v for v in _RDS_MYSQL_MINOR_VERSIONS.get(major, ())
                     if _version_key(v) > _version_key(version)] if instance.engine == "mysql" else []
            if not newer or not instance.auto_minor_version_upgrade:
                raise InvalidParameterValue(f"No pending db-upgrade maintenance action for resource {arn}")
            instance.engine_version = newer[-1]
        return ActionResult({"ResourcePendingMaintenanceActions": {
            "ResourceIdentifier": arn, "PendingMaintenanceActionDetails": []}})

    RDSResponse.apply_pending_maintenance_action = apply_pending_maintenance_action


def fix_rds_gp3_baseline_performance() -> None:
    """A gp3 DB instance reports its IOPS and storage throughput.

    AWS: RDS API Reference, DBInstance.Iops and DBInstance.StorageThroughput ("This setting applies only to
    the gp3 storage type"); RDS User Guide, "General Purpose SSD storage" (gp3 for MySQL below 400 GiB:
    baseline 3,000 IOPS and 125 MiBps; from 400 GiB: 12,000 IOPS and 500 MiBps, included in the price).
    moto 5.2 leaves both out unless the request set them, and amazon.aws.rds_instance, which reads both
    for gp3, fails with KeyError 'StorageThroughput' on its second run.
    """
    from moto.rds.models import DBInstance

    original_init = DBInstance.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if getattr(self, "storage_type", None) == "gp3":
            large = int(getattr(self, "allocated_storage", 0) or 0) >= 400
            if not getattr(self, "iops", None):
                self.iops = 12000 if large else 3000
            if not self.storage_throughput:
                self.storage_throughput = 500 if large else 125

    DBInstance.__init__ = __init__

def fix_elasticache_replication_group_members() -> None:
    """Replication groups have member cache clusters, a reader endpoint, in-place changes, and go away.

    AWS: ElastiCache API Reference,
    - DescribeCacheClusters lists the member clusters of replication groups (CacheCluster.ReplicationGroupId),
      each with EngineVersion, CacheSubnetGroupName, SecurityGroups, CacheParameterGroup and
      PreferredMaintenanceWindow, which DescribeReplicationGroups does not report; moto 5.2 creates none.
    - NodeGroup.ReaderEndpoint ("The endpoint of the replica nodes in this node group (shard). This value is
      read-only.") for cluster-mode-disabled groups; moto 5.2 leaves it out.
    - ModifyReplicationGroup changes SecurityGroupIds, PreferredMaintenanceWindow, SnapshotWindow,
      EngineVersion, CacheParameterGroupName and AuthToken (with AuthTokenUpdateStrategy); moto 5.2
      ignores them.
    - DeleteReplicationGroup: the group is deleted (DescribeReplicationGroups then answers
      ReplicationGroupNotFoundFault); moto 5.2 keeps it in status "deleting" forever. Like moto's RDS,
      this makes the slow deletion instant.
    """
    from moto.elasticache.exceptions import CacheClusterNotFound
    from moto.elasticache.models import ElastiCacheBackend
    from moto.elasticache.responses import ElastiCacheResponse

    def member(group, cluster_id):
        version = group.engine_version or ""
        default_group = f"default.{group.engine}{version.split('.')[0]}" if version else None
        if default_group and group.cluster_mode == "enabled":
            default_group += ".cluster.on"
        return {
            "cache_cluster_id": cluster_id, "replication_group_id": group.replication_group_id,
            "cache_node_type": group.cache_node_type, "engine": group.engine, "engine_version": group.engine_version,
            "cache_cluster_status": "available", "num_cache_nodes": 1,
            "preferred_maintenance_window": group.preferred_maintenance_window,
            "cache_subnet_group_name": group.cache_subnet_group_name,
            "security_groups": [{"security_group_id": sg, "status": "active"} for sg in group.security_group_ids or []],
            "cache_parameter_group": {"cache_parameter_group_name": group.cache_parameter_group_name or default_group,
                                      "parameter_apply_status": "in-sync"},
            "snapshot_retention_limit": group.snapshot_retention_limit, "snapshot_window": group.snapshot_window,
            "auth_token_enabled": group.auth_token_enabled,
            "transit_encryption_enabled": group.transit_encryption_enabled,
            "at_rest_encryption_enabled": group.at_rest_encryption_enabled,
            "arn": group.arn.replace(f"replicationgroup:{group.replication_group_id}", f"cluster:{cluster_id}"),
        }

    original_create = ElastiCacheBackend.create_replication_group
    original_describe = ElastiCacheBackend.describe_cache_clusters
    original_delete = ElastiCacheBackend.delete_replication_group
    original_modify = ElastiCacheResponse.modify_replication_group

    def create_replication_group(self, *args, **kwargs):
        group = original_create(self, *args, **kwargs)
        for node_group in group.node_groups:
            if node_group.get("reader_endpoint_address"):
                node_group["reader_endpoint"] = {"address": node_group["reader_endpoint_address"], "port": group.port}
        return group

    def describe_cache_clusters(self, cache_cluster_id=None):
        members = {cid: member(g, cid) for g in self.replication_groups.values() for cid in g.member_clusters}
        if cache_cluster_id:
            if cache_cluster_id in members:
                return [members[cache_cluster_id]]
            if cache_cluster_id not in self.cache_clusters:
                raise CacheClusterNotFound(cache_cluster_id)
            return original_describe(self, cache_cluster_id)
        return original_describe(self) + list(members.values())

    def delete_replication_group(self, replication_group_id, retain_primary_cluster):
        group = original_delete(self, replication_group_id, retain_primary_cluster)
        self.replication_groups.pop(replication_group_id, None)
        return group

    def modify_replication_group(self):
        result = original_modify(self)
        group = self.elasticache_backend.replication_groups[self._get_param("ReplicationGroupId")]
        for parameter, attribute in (("SecurityGroupIds", "security_group_ids"),
                                     ("PreferredMaintenanceWindow", "preferred_maintenance_window"),
                                     ("SnapshotWindow", "snapshot_window"), ("EngineVersion", "engine_version"),
                                     ("CacheParameterGroupName", "cache_parameter_group_name")):
            value = self._get_param(parameter)
            if value is not None:
                setattr(group, attribute, value)
        if self._get_param("AuthToken"):
            group.auth_token_enabled = True
        return result

    ElastiCacheBackend.create_replication_group = create_replication_group
    ElastiCacheBackend.describe_cache_clusters = describe_cache_clusters
    ElastiCacheBackend.delete_replication_group = delete_replication_group
    ElastiCacheResponse.modify_replication_group = modify_replication_group

# The patch level ElastiCache runs for each major.minor it offers (ElastiCache User Guide, "Supported engines
# and versions" and the engine release notes: Redis OSS 6.2.6, 7.0.7, 7.1.0; Valkey 7.2.6 ...). The numbers
# are the ones AWS reported when this was written; what matters to the tests is the three-part form.
_ELASTICACHE_PATCH_LEVELS = {
    ("redis", "6.0"): "6.0.5", ("redis", "6.2"): "6.2.6", ("redis", "7.0"): "7.0.7", ("redis", "7.1"): "7.1.0",
    ("valkey", "7.2"): "7.2.6", ("valkey", "8.0"): "8.0.1", ("valkey", "8.1"): "8.1.1",
}
# The version a group gets when CreateReplicationGroup names none (the latest of the engine).
_ELASTICACHE_DEFAULT_VERSIONS = {"redis": "7.1", "valkey": "8.1"}


def elasticache_reported_version(engine: str | None, requested: str | None) -> str | None:
    """The EngineVersion AWS reports for a requested one: 7.1 -> 7.1.0, 6.x -> 6.2.6, 5.0.6 stays 5.0.6."""
    engine = engine or "redis"
    version = requested or _ELASTICACHE_DEFAULT_VERSIONS.get(engine)
    if version is None or version.count(".") >= 2:
        return version
    if version.lower().endswith(".x"):
        major = version.split(".")[0]
        offered = sorted((v for (e, v) in _ELASTICACHE_PATCH_LEVELS if e == engine and v.split(".")[0] == major),
                         key=lambda v: tuple(int(p) for p in v.split(".")))
        version = offered[-1] if offered else f"{major}.0"
    return _ELASTICACHE_PATCH_LEVELS.get((engine, version), f"{version}.0")


def fix_elasticache_engine_patch_versions() -> None:
    """Member clusters report the engine version with its patch level, not the major.minor that was asked for.

    AWS: ElastiCache API Reference, CreateReplicationGroup / ModifyReplicationGroup EngineVersion ("The version
    number of the cache engine to be used for the clusters in this replication group"; "You can upgrade to a
    newer engine version ..., but you cannot downgrade to an earlier engine version") and CacheCluster.EngineVersion
    ("The version of the cache engine that is used in this cluster"); ElastiCache User Guide, "Engine versions
    and upgrading": "ElastiCache (Redis OSS) versions are identified with a semantic version which comprise a
    MAJOR and MINOR component. For example, in Redis OSS 6.2, the major version is 6, and the minor version 2.
    When operating self-designed clusters, ElastiCache (Redis OSS) also exposes the PATCH component, e.g. Redis
    OSS 6.2.1, and the patch version is 1"; "Major engine version behavior and compatibility differences with
    Redis OSS": "Beginning with ElastiCache version 6.0 for Redis OSS, ElastiCache will offer a single version for
    each Redis OSS minor release rather than offering multiple patch versions". So a group created (or upgraded)
    with 7.1 runs and reports 7.1.0 (and later patches), 6.2 reads back 6.2.6, Valkey 7.2 reads back 7.2.6; a
    group created without EngineVersion runs the engine's latest version. moto 5.2 echoes the version as sent
    (and reports none when none was sent), which hides a module that compares versions as text.
    Registered after fix_elasticache_replication_group_members, whose member clusters report group.engine_version.
    """
    from moto.elasticache.models import ElastiCacheBackend
    from moto.elasticache.responses import ElastiCacheResponse

    original_create = ElastiCacheBackend.create_replication_group
    original_modify = ElastiCacheResponse.modify_replication_group

    def create_replication_group(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        group = original_create(self, *args, **kwargs)
        group.engine_version = elasticache_reported_version(group.engine, group.engine_version)
        return group

    def modify_replication_group(self):  # type: ignore[no-untyped-def]
        result = original_modify(self)
        group = self.elasticache_backend.replication_groups[self._get_param("ReplicationGroupId")]
        group.engine_version = elasticache_reported_version(group.engine, group.engine_version)
        return result

    ElastiCacheBackend.create_replication_group = create_replication_group
    ElastiCacheResponse.modify_replication_group = modify_replication_group


def fix_sesv2_account() -> None:
    """SESv2 GetAccount and PutAccountDetails (moto 5.2 answers 404 / "not implemented").

    AWS: Amazon SES API v2 Reference, GetAccount (GET /v2/email/account: ProductionAccessEnabled,
    SendQuota, SendingEnabled, EnforcementStatus, Details.ReviewDetails) and PutAccountDetails
    (POST /v2/email/account/details; MailType and WebsiteURL required; ProductionAccessEnabled=true
    opens a review whose ReviewDetails.Status is PENDING); SES Developer Guide, "Request production
    access": a new account is in the sandbox, 200 messages per 24 hours at 1 message per second.
    The review is done by people at AWS, so here it stays PENDING. Used by the mail role's tests.
    """
    from moto.sesv2 import urls as sesv2_urls
    from moto.sesv2.responses import SESV2Response

    def _account(self):
        backend = self.sesv2_backend
        if not hasattr(backend, "layer_account"):
            backend.layer_account = {
                "DedicatedIpAutoWarmupEnabled": False,
                "EnforcementStatus": "HEALTHY",
                "ProductionAccessEnabled": False,
                "SendQuota": {"Max24HourSend": 200.0, "MaxSendRate": 1.0, "SentLast24Hours": 0.0},
                "SendingEnabled": True,
            }
        return backend.layer_account

    def get_account(self):
        return json.dumps(_account(self))

    def put_account_details(self):
        params = json.loads(self.body or "{}")
        missing = [name for name in ("MailType", "WebsiteURL") if not params.get(name)]
        if missing:
            return 400, {}, json.dumps({"__type": "BadRequestException", "message": f"{missing[0]} is required"})
        account = _account(self)
        keys = ("MailType", "WebsiteURL", "ContactLanguage", "UseCaseDescription", "AdditionalContactEmailAddresses")
        details = {key: params[key] for key in keys if key in params}
        if params.get("ProductionAccessEnabled") and not account["ProductionAccessEnabled"]:
            details["ReviewDetails"] = {"Status": "PENDING", "CaseId": "layer-review-1"}
        account["Details"] = details
        return json.dumps({})

    SESV2Response.get_account = get_account
    SESV2Response.put_account_details = put_account_details
    # moto's catch-all "/v2/.*" becomes a literal Flask rule: the two request URIs need rules of their own.
    sesv2_urls.url_paths["{0}/v2/email/account$"] = SESV2Response.dispatch
    sesv2_urls.url_paths["{0}/v2/email/account/details$"] = SESV2Response.dispatch


def fix_certificate_in_use_by_after_listener_deletion() -> None:
    """A certificate is no longer in use by a listener once the listener (or its load balancer) is deleted.

    AWS: ACM API Reference, DescribeCertificate, CertificateDetail.InUseBy ("A list of ARNs for the
    Amazon Web Services resources that are using the certificate"), and DeleteCertificate ("You
    cannot delete an ACM certificate that is being used by another Amazon Web Services service.
    To delete a certificate that is in use, the certificate association must first be removed").
    moto 5.2 adds a listener to InUseBy when it is created (elbv2 CreateListener) but never takes
    it out, so a certificate stays "in use" after DeleteListener / DeleteLoadBalancer.
    """
    from moto.acm.models import acm_backends
    from moto.elbv2.models import ELBv2Backend

    def forget(backend, listener_arns):  # type: ignore[no-untyped-def]
        acm = acm_backends[backend.account_id][backend.region_name]
        for bundle in acm._certificates.values():
            kept = [arn for arn in bundle.in_use_by if arn not in listener_arns]
            if len(kept) < len(bundle.in_use_by):
                bundle.layer_released_at = time.monotonic()  # fix_delete_certificate_in_use
            bundle.in_use_by[:] = kept

    original_delete_listener = ELBv2Backend.delete_listener
    original_delete_load_balancer = ELBv2Backend.delete_load_balancer

    def delete_listener(self, listener_arn):  # type: ignore[no-untyped-def]
        listener = original_delete_listener(self, listener_arn)
        forget(self, {listener_arn})
        return listener

    def delete_load_balancer(self, arn):  # type: ignore[no-untyped-def]
        load_balancer = self.load_balancers.get(arn)
        listener_arns = set(load_balancer.listeners) if load_balancer else set()
        original_delete_load_balancer(self, arn)
        forget(self, listener_arns)

    ELBv2Backend.delete_listener = delete_listener
    ELBv2Backend.delete_load_balancer = delete_load_balancer


def fix_delete_certificate_in_use() -> None:
    """ACM refuses to delete a certificate in use, and for a while after its last user let it go.

    AWS: ACM API Reference, DeleteCertificate ("You cannot delete an ACM certificate that is being used by another
    Amazon Web Services service. To delete a certificate that is in use, the certificate association must first be
    removed"; error ResourceInUseException, "The certificate is in use by another Amazon Web Services service in
    the caller's account", HTTP 400). ACM learns of a removed association late: the Terraform AWS provider retries
    ResourceInUseException for minutes when it deletes an aws_acm_certificate after its listener
    (internal/service/acm/certificate.go, certificateCrossServicePropagationTimeout). moto 5.2 deletes a
    certificate in use at once. Here DeleteCertificate answers ResourceInUseException while InUseBy lists a user,
    and for LAYER_ACM_RELEASE_SECONDS after the last one was removed (fix_certificate_in_use_by_after_listener_deletion
    stamps the time; local/emulator/server.py sets 3 s; 0 turns the delay off).
    """
    from moto.acm.models import AWSCertificateManagerBackend
    from moto.core.exceptions import AWSError

    class ResourceInUseException(AWSError):
        TYPE = "ResourceInUseException"

    seconds = float(os.environ.get("LAYER_ACM_RELEASE_SECONDS", "0") or 0)
    original = AWSCertificateManagerBackend.delete_certificate

    def delete_certificate(self, arn: str) -> None:  # type: ignore[no-untyped-def]
        bundle = self._certificates.get(arn)  # moto keeps no public map
        if bundle is not None:
            released = getattr(bundle, "layer_released_at", None)
            age = None if released is None else time.monotonic() - released
            if bundle.in_use_by or (age is not None and age < seconds):
                _say(f"refused to delete certificate {arn}: in use by {bundle.in_use_by}, released {age} s ago")
                raise ResourceInUseException(
                    "The certificate is in use by another Amazon Web Services service in the caller's account.")
        return original(self, arn)

    AWSCertificateManagerBackend.delete_certificate = delete_certificate


def fix_hosted_zone_of_a_registered_domain() -> None:
    """The hosted zone Route 53 makes when it registers a domain is named like any other zone.

    AWS: Route 53 Domains API Reference, RegisterDomain ("Creates a Route 53 hosted zone that has
    the same name as the domain"), and Route 53 API Reference, HostedZone.Name, which
    GetHostedZone and ListHostedZonesByName return fully qualified, with the final dot. moto 5.2
    creates that zone without the final dot (its API layer adds the dot only for CreateHostedZone
    requests), so a module that looks the zone up by name (amazon.aws.route53_zone) does not
    find it and makes a second zone.
    """
    from moto.route53.models import Route53Backend

    original = Route53Backend.create_hosted_zone

    def create_hosted_zone(self, name, *args, **kwargs):  # type: ignore[no-untyped-def]
        return original(self, name if name.endswith(".") else f"{name}.", *args, **kwargs)

    Route53Backend.create_hosted_zone = create_hosted_zone


def fix_delete_cache_subnet_group() -> None:
    """DeleteCacheSubnetGroup deletes a cache subnet group no cluster uses (moto 5.2 answers "not implemented").

    AWS: ElastiCache API Reference, DeleteCacheSubnetGroup ("Deletes a cache subnet group. You cannot delete
    a default cache subnet group or one that is associated with any clusters."; errors
    CacheSubnetGroupInUse, HTTP 400, and CacheSubnetGroupNotFoundFault, HTTP 404). The teardown role
    deletes the cache role's subnet group once its replication group is gone.
    """
    from moto.core.responses import EmptyResult
    from moto.elasticache.exceptions import CacheSubnetGroupNotFound, ElastiCacheException
    from moto.elasticache.responses import ElastiCacheResponse

    class CacheSubnetGroupInUse(ElastiCacheException):
        code = "CacheSubnetGroupInUse"

    def delete_cache_subnet_group(self):  # type: ignore[no-untyped-def]
        backend = self.elasticache_backend
        name = self._get_param("CacheSubnetGroupName")
        if name not in backend.cache_subnet_groups:
            raise CacheSubnetGroupNotFound(name)
        users = [*backend.cache_clusters.values(), *backend.replication_groups.values()]
        if any(getattr(user, "cache_subnet_group_name", None) == name for user in users):
            raise CacheSubnetGroupInUse(f"Cache subnet group {name} is currently in use by a cache cluster.")
        del backend.cache_subnet_groups[name]
        return EmptyResult()

    ElastiCacheResponse.delete_cache_subnet_group = delete_cache_subnet_group


SSM_PAGE_MAX = 50  # DescribeParameters MaxResults: "Valid Range: Minimum value of 1. Maximum value of 50."


def own_parameters(backend) -> int:  # type: ignore[no-untyped-def]
    """The account's parameters in the region (AWS's public /aws/service tree moto loads is not the account's)."""
    return sum(1 for name in backend._parameters if not name.startswith("/aws/"))


def fix_ssm_describe_parameters_best_effort_pages() -> None:
    """DescribeParameters with filters may answer an empty first page that carries a NextToken.

    AWS: Systems Manager API Reference, DescribeParameters: "Request results are returned on a best-effort
    basis. If you specify MaxResults in the request, the response includes information up to the limit
    specified. The number of items returned, however, can be between zero and the value of MaxResults. If the
    service reaches an internal limit while processing the results, it stops the operation and returns the
    matching values up to that point and a NextToken. You can specify the NextToken in a subsequent call to get
    the next set of results." With a filter (a Name Equals filter finds one parameter among all the account's)
    that internal limit is what a caller meets first. moto 5.2 always puts the matches on the first page, so a
    caller that reads one page looks right here and wrong on AWS. Here, once the region holds more of the
    account's parameters than the largest page (MaxResults, 50), a filtered request's first page is empty and
    has a NextToken; the next pages are moto's. A region with fewer is answered on the first page, as AWS
    answers a small account: the internal limit is met scanning many parameters, not a handful (the tests
    that prove a caller pages put more than 50 parameters first). Requests without a filter are left as moto
    answers them (they list everything, and tests list the account's parameters that way).

    The threshold matters: community.aws.ssm_parameter waits for a new parameter with a waiter that reads
    one DescribeParameters page; an empty first page on every call would make each creation wait 20 s and
    warn "Timeout waiting for parameter to exist", which a small account on AWS does not see.
    """
    from moto.core.responses import ActionResult
    from moto.ssm.responses import SimpleSystemManagerResponse

    original = SimpleSystemManagerResponse.describe_parameters

    def describe_parameters(self):  # type: ignore[no-untyped-def]
        filtered = self._get_param("ParameterFilters") or self._get_param("Filters")
        if not filtered or self._get_param("NextToken") or own_parameters(self.ssm_backend) <= SSM_PAGE_MAX:
            return original(self)
        original(self)  # moto's validation of the filters (a bad filter fails on the first page, as on AWS)
        return ActionResult({"Parameters": [], "NextToken": "0"})  # moto's token of the first match

    SimpleSystemManagerResponse.describe_parameters = describe_parameters


def fix_iam_list_access_keys_best_effort_pages() -> None:
    """ListAccessKeys may answer fewer keys than there are, even none, with IsTruncated and a Marker.

    AWS: IAM API Reference, ListAccessKeys: MaxItems ("If you do not include this parameter, the number of items
    defaults to 100. Note that IAM might return fewer results, even when there are more results available. In
    that case, the IsTruncated response element returns true, and Marker contains a value to include in the
    subsequent call that tells the service where to continue from.") and IsTruncated ("We recommend that you
    check IsTruncated after every call to ensure that you receive all your results."). moto 5.2 never pages.
    Here the first page of a user that has keys is empty and truncated; the call with the Marker gets the keys.
    """
    from moto.core.responses import ActionResult
    from moto.iam.responses import IamResponse

    original = IamResponse.list_access_keys

    def list_access_keys(self):  # type: ignore[no-untyped-def]
        user_name = self._get_param("UserName")
        if self._get_param("Marker") or not user_name or not self.backend.list_access_keys(user_name):
            return original(self)
        return ActionResult({"UserName": user_name, "AccessKeyMetadata": [], "IsTruncated": True,
                             "Marker": "layer-rest-of-the-keys"})

    IamResponse.list_access_keys = list_access_keys


def fix_elbv2_deregistration_draining() -> None:
    """A deregistered target drains for the deregistration delay before it is ``unused``.

    AWS: Elastic Load Balancing, Application Load Balancers User Guide, "Deregistration delay":
    "Elastic Load Balancing stops sending requests to targets that are deregistering. By default,
    Elastic Load Balancing waits 300 seconds before completing the deregistration process ... The
    initial state of a deregistering target is draining. After the deregistration delay elapses, the
    deregistration process completes and the state of the target is unused." ELBv2 API Reference,
    TargetHealth: State ``draining`` with Reason ``Target.DeregistrationInProgress``; DescribeTargetHealth
    without Targets lists the draining targets too. moto 5.2 makes a deregistered target ``unused`` at
    once, so a caller that must wait for the drain before it terminates the instance cannot be tested.
    The delay is the group's ``deregistration_delay.timeout_seconds``, shortened for tests to at most
    LAYER_ELBV2_DRAINING_SECONDS (local/emulator/server.py sets it; 0 keeps moto's instant deregistration).
    """
    import os
    import time

    from moto.elbv2.models import FakeHealthStatus, FakeTargetGroup

    original_deregister = FakeTargetGroup.deregister
    original_health_for = FakeTargetGroup.health_for
    original_register = FakeTargetGroup.register

    def drain_seconds(group) -> float:  # type: ignore[no-untyped-def]
        cap = float(os.environ.get("LAYER_ELBV2_DRAINING_SECONDS", "0") or 0)
        delay = float(group.attributes.get("deregistration_delay.timeout_seconds", 300))
        return min(delay, cap)

    def draining(group) -> dict:  # type: ignore[no-untyped-def]
        until = group.__dict__.setdefault("layer_draining_until", {})
        now = time.monotonic()
        for target_id in [t for t, deadline in until.items() if deadline <= now]:
            del until[target_id]
        return until

    def deregister(self, targets):  # type: ignore[no-untyped-def]
        # A draining target (listed by DescribeTargetHealth) may be deregistered again: AWS answers success.
        targets = [t for t in targets if t["Id"] in self.targets or t["Id"] not in draining(self)]
        original_deregister(self, targets)
        seconds = drain_seconds(self)
        if seconds > 0:
            for target in targets:
                draining(self)[target["Id"]] = time.monotonic() + seconds

    def register(self, targets):  # type: ignore[no-untyped-def]
        original_register(self, targets)
        for target in targets:
            draining(self).pop(target["Id"], None)

    def health_for(self, target, ec2_backend):  # type: ignore[no-untyped-def]
        if target["Id"] not in self.targets and target["Id"] in draining(self):
            old = self.deregistered_targets.get(target["Id"], {})
            return FakeHealthStatus(target["Id"], target.get("Port", old.get("Port", self.port)),
                                    self.health_check_port, "draining", "Target.DeregistrationInProgress",
                                    "Target deregistration is in progress")
        return original_health_for(self, target, ec2_backend)

    from moto.elbv2.models import ELBv2Backend

    original_describe = ELBv2Backend.describe_target_health

    def describe_target_health(self, target_group_arn, targets):  # type: ignore[no-untyped-def]
        found = original_describe(self, target_group_arn, targets)
        group = self.target_groups.get(target_group_arn)
        if not targets and group is not None:
            found += [group.health_for(group.deregistered_targets.get(t, {"Id": t}), self.ec2_backend)
                      for t in draining(group) if t not in group.targets]
        return found

    FakeTargetGroup.deregister = deregister
    FakeTargetGroup.register = register
    FakeTargetGroup.health_for = health_for
    ELBv2Backend.describe_target_health = describe_target_health


def fix_elbv2_target_group_load_balancer_arns() -> None:
    """A target group names the load balancers whose listeners forward to it now, once each.

    AWS: ELBv2 API Reference, TargetGroup: ``LoadBalancerArns``, "The Amazon Resource Name (ARN) of the load
    balancer that routes traffic to this target group." moto 5.2 appends a load balancer's ARN each time a
    listener or rule forwarding to the group is created, and never takes it out: a group lists its load
    balancer twice after a listener changed, and still lists it after the load balancer was deleted, where
    reading the load balancer by that ARN fails. Here the list is worked out from the listeners when the
    groups are described.
    """
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.describe_target_groups

    def describe_target_groups(self, load_balancer_arn, target_group_arns, names):  # type: ignore[no-untyped-def]
        routes: dict = {}
        for balancer in self.load_balancers.values():
            for listener in balancer.listeners.values():
                for rule in listener.rules.values():
                    for action in rule.actions:
                        for arn in self._get_target_group_arns_from(action_data=action.data):
                            routes.setdefault(arn, [])
                            if balancer.arn not in routes[arn]:
                                routes[arn].append(balancer.arn)
        for group in self.target_groups.values():
            group.load_balancer_arns = routes.get(group.arn, [])
        return original(self, load_balancer_arn, target_group_arns, names)

    ELBv2Backend.describe_target_groups = describe_target_groups


def _matches(code: int, matcher: str) -> bool:
    """Whether an HTTP status is one of a target group's success codes ("200", "200,302", "200-299")."""
    for part in (matcher or "200").split(","):
        low, _, high = part.strip().partition("-")
        if low.isdigit() and int(low) <= code <= int(high or low):
            return True
    return False


def probe_target(address: str, port: int, path: str, matcher: str,
                 timeout: float) -> tuple[str, str | None, str | None]:
    """One HTTP health check of a target: (state, reason, description) as DescribeTargetHealth gives them."""
    import http.client

    connection = http.client.HTTPConnection(address, port, timeout=timeout)
    try:
        connection.request("GET", path or "/", headers={"User-Agent": "ELB-HealthChecker/2.0"})
        code = connection.getresponse().status
    except TimeoutError:
        return "unhealthy", "Target.Timeout", "Request timed out"
    except OSError:
        return "unhealthy", "Target.FailedHealthChecks", "Health checks failed"
    finally:
        connection.close()
    if _matches(code, matcher):
        return "healthy", None, None
    return "unhealthy", "Target.ResponseCodeMismatch", f"Health checks failed with these codes: [{code}]"


def fix_elbv2_target_health_checks() -> None:
    """A registered instance target is healthy only when a health check of it succeeds.

    AWS: Application Load Balancers User Guide, "Health checks for your target groups": "Your Application
    Load Balancer periodically sends requests to its registered targets to test their status", on the
    group's HealthCheckPath and HealthCheckPort ("traffic-port": the port the target receives traffic on),
    and a target is healthy when it answers one of the Matcher's HttpCode values within
    HealthCheckTimeoutSeconds. ELBv2 API Reference, TargetHealth: State ``unhealthy`` with Reason
    ``Target.ResponseCodeMismatch``, ``Target.Timeout`` or ``Target.FailedHealthChecks``. moto 5.2 reports
    every registered instance ``healthy``, so a deploy that must wait for its host to pass the check, or
    must tell a first deploy (nothing serves yet) from a rolling one, cannot be tested. Here an HTTP check
    is sent to the instance's private address (the local stack's containers have those addresses) when
    DescribeTargetHealth asks, and its result is kept for LAYER_ELBV2_HEALTH_CHECK_SECONDS, the interval
    (local/emulator/server.py sets 2; 0 keeps moto's answer). Simplified: one check decides, where AWS
    needs HealthyThresholdCount / UnhealthyThresholdCount checks in a row; HTTPS checks keep moto's answer.
    """
    import time

    from moto.elbv2.models import FakeHealthStatus, FakeTargetGroup

    original_health_for = FakeTargetGroup.health_for

    def health_for(self, target, ec2_backend):  # type: ignore[no-untyped-def]
        status = original_health_for(self, target, ec2_backend)
        interval = float(os.environ.get("LAYER_ELBV2_HEALTH_CHECK_SECONDS", "0") or 0)
        registered = self.targets.get(target["Id"])
        if (interval <= 0 or status.status != "healthy" or registered is None
                or not target["Id"].startswith("i-") or (self.health_check_protocol or "HTTP") != "HTTP"):
            return status
        instance = ec2_backend.get_instance_by_id(target["Id"])
        address = getattr(instance, "private_ip", None)
        if not address:
            return status
        port = int(registered["Port"] if self.health_check_port in (None, "traffic-port") else self.health_check_port)
        checks = self.__dict__.setdefault("layer_health_checks", {})
        key = (target["Id"], address, port)
        checked = checks.get(key)
        if checked is None or time.monotonic() - checked[0] >= interval:
            timeout = min(float(self.health_check_timeout_seconds or 5), interval)
            checked = (time.monotonic(), probe_target(address, port, self.health_check_path or "/",
                                                      (self.matcher or {}).get("HttpCode", "200"), timeout))
            checks[key] = checked
        state, reason, description = checked[1]
        return FakeHealthStatus(target["Id"], registered["Port"], self.health_check_port, state, reason, description)

    FakeTargetGroup.health_for = health_for


def fix_elbv2_alb_standin() -> None:
    """Registered targets get traffic from the local ALB stand-in once its health checks pass; the
    stand-in's checks are what DescribeTargetHealth reports.

    AWS: Application Load Balancers User Guide, "Register targets with your target group": "the load balancer
    starts routing requests to the target as soon as the registration process completes and the target
    passes the initial health checks"; "Deregistration delay": the load balancer "stops sending requests to
    targets that are deregistering" and the state is ``draining`` until the delay elapses, then ``unused``;
    "Health checks for your target groups": HealthCheckIntervalSeconds, HealthyThresholdCount and
    UnhealthyThresholdCount consecutive checks. moto routes no traffic at all. When `make demo`'s stand-in
    runs (HAProxy, local/alb.yml; its runtime API socket at LAYER_ELBV2_STANDIN_SOCKET, which
    local/emulator/server.py sets) and has a backend named after the target group, the emulator drives it as
    ELB's control plane drives the load balancer (local/emulator/alb_standin.py): a registered instance
    becomes a server at its private address, on the group's health check port, path (the stand-in's
    configuration) and thresholds, at the group's interval shortened to LAYER_ELBV2_HEALTH_CHECK_SECONDS
    at most; a new one whose checks fail stays ``initial`` until UnhealthyThresholdCount intervals have passed
    (HAProxy starts it down and cannot tell); a deregistered one drains, then is removed after the delay
    (fix_elbv2_deregistration_draining). Without the stand-in, fix_elbv2_target_health_checks answers.
    """
    from moto.elbv2.models import ELBv2Backend, FakeHealthStatus, FakeTargetGroup

    from local.emulator.alb_standin import HealthCheck, RuntimeApi, StandInError, target_health

    socket_path = os.environ.get("LAYER_ELBV2_STANDIN_SOCKET", "")
    if not socket_path:
        return
    api = RuntimeApi(socket_path)

    def check_of(group, port: int) -> HealthCheck:  # type: ignore[no-untyped-def]
        cap = float(os.environ.get("LAYER_ELBV2_HEALTH_CHECK_SECONDS", "0") or 0)
        interval = float(group.health_check_interval_seconds or 30)
        traffic_port = group.health_check_port in (None, "traffic-port")
        return HealthCheck(port=port if traffic_port else int(group.health_check_port),
                           interval_seconds=min(interval, cap) if cap > 0 else interval,
                           healthy_threshold=int(group.healthy_threshold_count or 5),
                           unhealthy_threshold=int(group.unhealthy_threshold_count or 2))

    def sync(backend, group) -> None:  # type: ignore[no-untyped-def]
        """Make the stand-in's backend hold the group's targets; keep what it found on the group."""
        group.__dict__["layer_standin_servers"] = None
        if not os.path.exists(socket_path):
            return
        try:
            servers = api.servers(group.name)
            if servers is None:
                return
            draining = group.__dict__.get("layer_draining_until", {})
            # New targets whose failed checks cannot have reached UnhealthyThresholdCount yet (target_health).
            deciding = group.__dict__.setdefault("layer_standin_deciding_until", {})
            now = time.monotonic()
            sent = False  # read the servers again only when a command changed them
            for target_id, target in group.targets.items():
                server = servers.get(target_id)
                if server is not None and server.status not in ("DRAIN", "MAINT"):
                    continue
                check = check_of(group, int(target["Port"]))
                if server is not None:  # registered again while it drained
                    api.restart(group.name, target_id)
                else:
                    instance = backend.ec2_backend.get_instance_by_id(target_id) if target_id.startswith("i-") else None
                    if not getattr(instance, "private_ip", None):
                        continue
                    api.add(group.name, target_id, instance.private_ip, int(target["Port"]), check)
                deciding[target_id] = now + check.unhealthy_threshold * check.interval_seconds
                sent = True
            for name, server in servers.items():
                if name in group.targets:
                    continue
                if draining.get(name, 0) > now:
                    if server.status != "DRAIN":
                        api.drain(group.name, name)
                        sent = True
                else:
                    api.remove(group.name, name)
                    sent = True
            servers = api.servers(group.name) if sent else servers
            for name, server in (servers or {}).items():
                if server.status.startswith("UP"):  # healthy once: later failures decide at HAProxy's `fall`
                    deciding.pop(name, None)
            group.__dict__["layer_standin_servers"] = servers
        except StandInError as error:
            _say(f"ALB stand-in: {error}")

    original_register = ELBv2Backend.register_targets
    original_deregister = ELBv2Backend.deregister_targets
    original_describe = ELBv2Backend.describe_target_health
    original_health_for = FakeTargetGroup.health_for

    def register_targets(self, target_group_arn, instances):  # type: ignore[no-untyped-def]
        original_register(self, target_group_arn, instances)
        sync(self, self.target_groups[target_group_arn])

    def deregister_targets(self, target_group_arn, instances):  # type: ignore[no-untyped-def]
        original_deregister(self, target_group_arn, instances)
        sync(self, self.target_groups[target_group_arn])

    def describe_target_health(self, target_group_arn, targets):  # type: ignore[no-untyped-def]
        group = self.target_groups.get(target_group_arn)
        if group is not None:
            sync(self, group)
        return original_describe(self, target_group_arn, targets)

    def health_for(self, target, ec2_backend):  # type: ignore[no-untyped-def]
        servers = self.__dict__.get("layer_standin_servers")
        registered = self.targets.get(target["Id"])
        if servers is None or registered is None:
            return original_health_for(self, target, ec2_backend)
        deciding = self.__dict__.get("layer_standin_deciding_until", {}).get(target["Id"], 0) > time.monotonic()
        state, reason, description = target_health(servers.get(target["Id"]), deciding)
        return FakeHealthStatus(target["Id"], registered["Port"], self.health_check_port, state, reason, description)

    ELBv2Backend.register_targets = register_targets
    ELBv2Backend.deregister_targets = deregister_targets
    ELBv2Backend.describe_target_health = describe_target_health
    FakeTargetGroup.health_for = health_for


def fix_public_images_of_other_accounts() -> None:
    """DescribeImages and RunInstances see the public images of every account, not only the caller's.

    AWS: EC2 API Reference, DescribeImages: "The images available to you include public images,
    private images that you own, and private images owned by other Amazon Web Services accounts for
    which you have explicit launch permissions." (the official Debian and Amazon Linux images are
    public images of accounts 136693071363 and 137112412989). moto 5.2 keeps images per account:
    an image an other account registers and makes public (ModifyImageAttribute, launchPermission
    Group=all) stays invisible. With this, a test can publish a newer image as the image owner would
    (the request header x-moto-account-id names the owner account) and the stack's account finds it.
    """
    import types

    from moto.ec2.models import ec2_backends
    from moto.ec2.models.amis import AmiBackend

    original = AmiBackend.describe_images

    def describe_images(self, ami_ids=None, filters=None, exec_users=None, owners=None):  # type: ignore[no-untyped-def]
        foreign = {}
        for account_id, regions in list(dict.items(ec2_backends)):
            backend = dict.get(regions, self.region_name)
            if account_id == self.account_id or backend is None:
                continue
            for ami in list(backend.amis.values()):
                if ami.is_public and ami.id not in self.amis:
                    foreign[ami.id] = ami
        if not foreign:
            return original(self, ami_ids=ami_ids, filters=filters, exec_users=exec_users, owners=owners)
        view = types.SimpleNamespace(amis={**foreign, **self.amis}, deleted_amis=self.deleted_amis,
                                     account_id=self.account_id)
        return original(view, ami_ids=ami_ids, filters=filters, exec_users=exec_users, owners=owners)

    AmiBackend.describe_images = describe_images


def fix_list_hosted_zones_by_name_pages() -> None:
    """ListHostedZonesByName answers one page of at most MaxItems (100) zones, from DNSName on.

    AWS: Route 53 API Reference, ListHostedZonesByName: "Retrieves a list of your hosted zones in
    lexicographic order ... sorts hosted zones by name with the labels reversed"; dnsname: "the name
    of the first hosted zone in the response"; "Route 53 returns up to 100 items in each response.
    If you have a lot of hosted zones, use the MaxItems parameter to list them in groups of up to
    100", with IsTruncated, NextDNSName and NextHostedZoneId to ask for the next group. moto 5.2
    returns every zone of exactly that name in one answer, so a caller that reads only the first
    page cannot be told apart from one that reads them all. Zones of the same name are ordered by
    their ID here (the pair NextDNSName/NextHostedZoneId is where the next page starts).
    """
    from moto.core.responses import ActionResult
    from moto.route53.responses import Route53

    def order(name: str) -> str:
        labels = name.rstrip(".").split(".")
        return ".".join(reversed(labels)) + "."

    def fqdn(name: str) -> str:
        return name if name.endswith(".") else f"{name}."

    def list_hosted_zones_by_name(self):  # type: ignore[no-untyped-def]
        dnsname = self._get_param("DNSName")
        start_id = self._get_param("HostedZoneId")
        max_items = min(int(self._get_param("MaxItems") or 100), 100)
        zones = sorted(self.backend.zones.values(), key=lambda z: (order(z.name), z.resource_id))
        if dnsname:
            start = (order(fqdn(dnsname)), start_id or "")
            zones = [z for z in zones if (order(z.name), z.resource_id) >= start]
        page, rest = zones[:max_items], zones[max_items:]
        result = {"DNSName": fqdn(dnsname) if dnsname else None, "HostedZoneId": start_id,
                  "HostedZones": page, "IsTruncated": bool(rest), "MaxItems": str(max_items)}
        if rest:
            result["NextDNSName"] = rest[0].name
            result["NextHostedZoneId"] = rest[0].resource_id
        return ActionResult(result)

    Route53.list_hosted_zones_by_name = list_hosted_zones_by_name


def fix_delete_vpc_with_endpoints() -> None:
    """DeleteVpc refuses a VPC that still has VPC endpoints.

    AWS: EC2 API Reference, DeleteVpc: "You must detach or delete all gateways and resources that
    are associated with the VPC before you can delete it" (error DependencyViolation, "The vpc ...
    has dependencies and cannot be deleted"). moto 5.2 checks subnets, VPN gateways and route tables
    only, and deletes a VPC whose gateway endpoint is still there.
    """
    from moto.ec2.exceptions import DependencyViolationError
    from moto.ec2.models.vpcs import VPCBackend

    original = VPCBackend.delete_vpc

    def delete_vpc(self, vpc_id):  # type: ignore[no-untyped-def]
        if any(e.vpc_id == vpc_id and e.state != "deleted" for e in self.vpc_end_points.values()):
            raise DependencyViolationError(f"The vpc '{vpc_id}' has dependencies and cannot be deleted.")
        return original(self, vpc_id)

    VPCBackend.delete_vpc = delete_vpc



# The DB instance classes RDS for MySQL runs on (RDS User Guide, "Supported DB engines for DB instance classes",
# the MySQL column: burstable db.t3 / db.t4g, general purpose db.m5 / db.m6g / db.m6i / db.m7g, memory
# optimized db.r5 / db.r6g / db.r6i / db.r7g), with their sizes ("Hardware specifications for DB instance
# classes"), and the storage types a MySQL instance can use.
_SIZES_T = ("micro", "small", "medium", "large", "xlarge", "2xlarge")
_SIZES_M = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")
_RDS_MYSQL_CLASSES = tuple(
    [f"db.{family}.{size}" for family in ("t3", "t4g") for size in _SIZES_T]
    + [f"db.{family}.{size}" for family in ("m5", "m6g", "m6i", "m7g", "r5", "r6g", "r6i", "r7g") for size in _SIZES_M])
_RDS_MYSQL_STORAGE_TYPES = ("gp2", "gp3", "io1", "io2")


def fix_rds_orderable_mysql_options() -> None:
    """DescribeOrderableDBInstanceOptions answers for RDS for MySQL.

    AWS: RDS API Reference, DescribeOrderableDBInstanceOptions ("Describes the orderable DB instance options
    for a specified DB engine"; filters Engine, EngineVersion, DBInstanceClass, LicenseModel, Vpc; paged by
    MaxRecords, 20 to 1000, default 100, and Marker), OrderableDBInstanceOption. A class the engine version
    does not run on, or a misspelt one, matches no option: the answer is an empty list, not an error. moto
    5.2 answers only for aurora-postgresql and neptune ("Only the Aurora-Postgresql and Neptune-engine is
    currently implemented") and an empty list for mysql, which would make every class look unorderable.
    Here mysql gets one option per minor version above (_RDS_MYSQL_MINOR_VERSIONS), class and storage type,
    orderable in every zone of the region (a to d), paged as RDS pages.
    """
    from moto.core.responses import ActionResult
    from moto.rds.responses import RDSResponse

    original = RDSResponse.describe_orderable_db_instance_options

    def describe_orderable_db_instance_options(self):  # type: ignore[no-untyped-def]
        if self.params.get("Engine") != "mysql":
            return original(self)
        version, klass = self.params.get("EngineVersion"), self.params.get("DBInstanceClass")
        zones = [{"Name": f"{self.region}{letter}"} for letter in "abcd"]
        options = [
            {"Engine": "mysql", "EngineVersion": v, "DBInstanceClass": c, "LicenseModel": "general-public-license",
             "AvailabilityZones": zones, "MultiAZCapable": True, "ReadReplicaCapable": True, "Vpc": True,
             "SupportsStorageEncryption": True, "StorageType": storage, "SupportsIops": storage != "gp2",
             "SupportsStorageAutoscaling": True, "MinStorageSize": 20, "MaxStorageSize": 65536}
            for versions in _RDS_MYSQL_MINOR_VERSIONS.values() for v in versions if version in (None, v)
            for c in _RDS_MYSQL_CLASSES if klass in (None, c)
            for storage in _RDS_MYSQL_STORAGE_TYPES]
        size = max(20, min(1000, int(self.params.get("MaxRecords") or 100)))
        start = int(self.params.get("Marker") or 0)
        page = {"OrderableDBInstanceOptions": options[start:start + size]}
        if start + size < len(options):
            page["Marker"] = str(start + size)
        return ActionResult(page)

    RDSResponse.describe_orderable_db_instance_options = describe_orderable_db_instance_options


def fix_rds_describe_option_groups_by_engine() -> None:
    """DescribeOptionGroups filtered by engine (no OptionGroupName) answers a list, empty when none matches.

    AWS: RDS API Reference, DescribeOptionGroups: every parameter is optional (OptionGroupName, EngineName,
    MajorEngineVersion, ...); OptionGroupNotFoundFault is "The specified option group could not be found",
    i.e. the named one. moto 5.2 raises OptionGroupNotFoundFault for an empty result and, without a name,
    fails with KeyError 'option_group_name' (HTTP 500). Here a request without OptionGroupName that matches
    nothing answers an empty OptionGroupsList; a named one that is missing still fails as on AWS.
    """
    from moto.rds.exceptions import OptionGroupNotFoundFaultError
    from moto.rds.models import RDSBackend

    original = RDSBackend.describe_option_groups

    def describe_option_groups(self, option_group_kwargs):  # type: ignore[no-untyped-def]
        if option_group_kwargs.get("option_group_name"):
            return original(self, option_group_kwargs)
        try:
            return original(self, {"option_group_name": None, **option_group_kwargs})
        except (OptionGroupNotFoundFaultError, KeyError):
            return []

    RDSBackend.describe_option_groups = describe_option_groups

# The network interfaces a deleted load balancer, DB instance or replication group leaves behind, by the
# security group or subnet they hold, until when (time.monotonic()).
_LINGERING: dict[str, float] = {}


def _hold(ids, seconds: float) -> None:  # type: ignore[no-untyped-def]
    until = time.monotonic() + seconds
    for resource_id in ids:
        if resource_id:
            _LINGERING[resource_id] = max(_LINGERING.get(resource_id, 0.0), until)


def _held(resource_id: str | None) -> bool:
    return bool(resource_id) and _LINGERING.get(resource_id, 0.0) > time.monotonic()


def fix_lingering_network_interfaces() -> None:
    """A deleted load balancer, DB instance or replication group holds its subnets and security groups a while.

    AWS: these services put requester-managed network interfaces in the VPC's subnets, with the resource's
    security groups, and remove them some time after the resource is gone. Until then the EC2 API
    Reference's DeleteSecurityGroup fails with DependencyViolation ("resource sg-... has a dependent
    object": a group in use by a network interface) and DeleteSubnet likewise ("The subnet ... has
    dependencies and cannot be deleted"); AWS re:Post, "Troubleshoot dependency errors when I delete a VPC",
    and hashicorp/terraform-provider-aws#40 (an ALB's security group failing to delete after the ALB) show
    it. moto 5.2 deletes at once. Here each such deletion holds the resource's security groups and subnets
    for LAYER_ENI_LINGER_SECONDS (default 40 s: a teardown reaches the security groups about 10 s after the
    load balancer, longer on a busy machine; AWS takes minutes, 40 s keeps the suite short).
    """
    from moto.ec2.exceptions import DependencyViolationError
    from moto.ec2.models.security_groups import SecurityGroupBackend
    from moto.ec2.models.subnets import SubnetBackend
    from moto.elasticache.models import ElastiCacheBackend
    from moto.elbv2.models import ELBv2Backend
    from moto.rds.models import RDSBackend

    seconds = float(os.environ.get("LAYER_ENI_LINGER_SECONDS", "40") or 0)
    original_delete_group = SecurityGroupBackend.delete_security_group
    original_delete_subnet = SubnetBackend.delete_subnet
    original_delete_lb = ELBv2Backend.delete_load_balancer
    original_delete_db = RDSBackend.delete_db_instance
    original_delete_rg = ElastiCacheBackend.delete_replication_group

    def ids(items) -> list[str]:  # type: ignore[no-untyped-def]
        return [getattr(item, "id", item) for item in items or []]

    def delete_security_group(self, name=None, group_id=None):  # type: ignore[no-untyped-def]
        group = self.get_security_group_by_name_or_id(group_id or name) if (group_id or name) else None
        if group is not None and _held(group.id):
            raise DependencyViolationError(f"resource {group.id} has a dependent object")
        return original_delete_group(self, name=name, group_id=group_id)

    def delete_subnet(self, subnet_id):  # type: ignore[no-untyped-def]
        if _held(subnet_id):
            raise DependencyViolationError(f"The subnet '{subnet_id}' has dependencies and cannot be deleted.")
        return original_delete_subnet(self, subnet_id)

    def delete_load_balancer(self, arn):  # type: ignore[no-untyped-def]
        balancer = self.load_balancers.get(arn)
        if balancer is not None:
            _hold(ids(balancer.security_groups) + ids(balancer.subnets), seconds)
        return original_delete_lb(self, arn)

    def delete_db_instance(self, db_instance_identifier, *args, **kwargs):  # type: ignore[no-untyped-def]
        database = self.databases.get(db_instance_identifier)
        if database is not None:
            subnet_group = getattr(database, "db_subnet_group", None)  # moto: db_subnet_group_name is write-only
            subnets = getattr(subnet_group, "_subnets", None) or []  # moto's Subnet objects (.subnets: dicts)
            _hold(list(database.vpc_security_group_ids or []) + ids(subnets), seconds)
        return original_delete_db(self, db_instance_identifier, *args, **kwargs)

    def delete_replication_group(self, replication_group_id, retain_primary_cluster):  # type: ignore[no-untyped-def]
        group = self.replication_groups.get(replication_group_id)
        for member in getattr(group, "member_clusters", []) or []:
            cluster = self.cache_clusters.get(member)
            if cluster is None:
                continue
            subnet_group = self.cache_subnet_groups.get(cluster.cache_subnet_group_name or "")
            _hold(list(cluster.security_group_ids or []) + list(getattr(subnet_group, "subnet_ids", [])), seconds)
        return original_delete_rg(self, replication_group_id, retain_primary_cluster)

    SecurityGroupBackend.delete_security_group = delete_security_group
    SubnetBackend.delete_subnet = delete_subnet
    ELBv2Backend.delete_load_balancer = delete_load_balancer
    RDSBackend.delete_db_instance = delete_db_instance
    ElastiCacheBackend.delete_replication_group = delete_replication_group


def _say(message: str) -> None:
    """A line in the server's log (moto.log in the server's workdir) when the layer refuses or throttles a call."""
    print(f"layer: {message}", file=sys.stderr, flush=True)


# IAM instance profiles created (or given their role) in this process, ARN -> since when (time.monotonic()).
_PROFILES_CHANGED: dict[str, float] = {}


def fix_instance_profile_propagation() -> None:
    """EC2 refuses an instance profile for a few seconds after IAM created it or gave it its role.

    AWS: IAM User Guide, "Troubleshoot IAM" > "Changes that I make are not always immediately visible": IAM is
    eventually consistent, "a resource created or modified might not be immediately visible to other services";
    the EC2 User Guide ("IAM roles for Amazon EC2", "Instance profiles") adds that a new role "might not be available
    for launching an instance immediately". EC2 then answers RunInstances, AssociateIamInstanceProfile and
    ReplaceIamInstanceProfileAssociation with InvalidParameterValue, "Value (arn:...) for parameter
    iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN" (or ``.name`` ... ``name``): the wording
    amazon.aws's ec2_instance matches to retry RunInstances, and hashicorp/terraform-provider-aws#838 and #2046,
    aws/aws-sdk-js-v3#5253 and aws/karpenter-provider-aws#7849 show it. moto 5.2 accepts the profile at once.
    Here EC2 refuses a profile for LAYER_IAM_PROPAGATION_SECONDS after CreateInstanceProfile or
    AddRoleToInstanceProfile (local/emulator/server.py sets 3 s; AWS takes seconds, at times more; 0 turns it off).
    """
    import moto.ec2.models.iam_instance_profile as association_models
    import moto.ec2.responses.instances as instance_responses
    import moto.ec2.utils as ec2_utils
    from moto.ec2.exceptions import EC2ClientError
    from moto.iam.models import IAMBackend

    seconds = float(os.environ.get("LAYER_IAM_PROPAGATION_SECONDS", "0") or 0)
    original_filter = ec2_utils.filter_iam_instance_profiles
    original_create = IAMBackend.create_instance_profile
    original_add_role = IAMBackend.add_role_to_instance_profile

    def create_instance_profile(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        profile = original_create(self, *args, **kwargs)
        _PROFILES_CHANGED[profile.arn] = time.monotonic()
        return profile

    def add_role_to_instance_profile(self, profile_name, role_name):  # type: ignore[no-untyped-def]
        original_add_role(self, profile_name, role_name)
        _PROFILES_CHANGED[self.get_instance_profile(profile_name).arn] = time.monotonic()

    def filter_iam_instance_profiles(account_id, partition, iam_instance_profile_arn,  # type: ignore[no-untyped-def]
                                     iam_instance_profile_name):
        profile = original_filter(account_id, partition=partition, iam_instance_profile_arn=iam_instance_profile_arn,
                                  iam_instance_profile_name=iam_instance_profile_name)
        changed = _PROFILES_CHANGED.get(getattr(profile, "arn", None) or "")
        if changed is not None and time.monotonic() - changed < seconds:
            kind, value = (("arn", iam_instance_profile_arn) if iam_instance_profile_arn
                           else ("name", iam_instance_profile_name))
            _say(f"refused instance profile {value}, {time.monotonic() - changed:.1f} s old (InvalidParameterValue)")
            raise EC2ClientError("InvalidParameterValue",
                                 f"Value ({value}) for parameter iamInstanceProfile.{kind} is invalid. "
                                 f"Invalid IAM Instance Profile {'ARN' if kind == 'arn' else 'name'}")
        if changed is not None and seconds > 0:
            _say(f"accepted instance profile {profile.arn}, {time.monotonic() - changed:.1f} s old")
        return profile

    IAMBackend.create_instance_profile = create_instance_profile
    IAMBackend.add_role_to_instance_profile = add_role_to_instance_profile
    for module in (ec2_utils, association_models, instance_responses):
        module.filter_iam_instance_profiles = filter_iam_instance_profiles


# Route 53 changes submitted in this process, change id (without /change/) -> since when (time.monotonic()).
_ROUTE53_CHANGES: dict[str, float] = {}


def fix_route53_changes_pending() -> None:
    """A Route 53 change is PENDING for a while, then INSYNC.

    AWS: Route 53 API Reference, ChangeInfo.Status: "PENDING indicates that the changes in this request have not
    propagated to all Amazon Route 53 DNS servers. This is the initial status of all change batch requests.
    INSYNC indicates that the changes have propagated to all Route 53 DNS servers"; ChangeResourceRecordSets:
    "Route 53 propagates your changes to all of the Route 53 authoritative DNS servers ... within 60 seconds",
    and "you can use GetChange to determine whether your changes have propagated". CreateHostedZone returns a
    ChangeInfo too, PENDING at first; GetChange answers NoSuchChange for an id it never gave. moto 5.2 answers
    INSYNC at once with a fixed id. Here ChangeResourceRecordSets and CreateHostedZone give a change id of their
    own, PENDING, and GetChange reports it PENDING for LAYER_ROUTE53_PENDING_SECONDS (local/emulator/server.py
    sets 2 s; AWS: up to about 60 s; 0 keeps moto's INSYNC at once).
    """
    from moto.route53.responses import Route53

    seconds = float(os.environ.get("LAYER_ROUTE53_PENDING_SECONDS", "0") or 0)
    original_change = Route53.change_resource_record_sets
    original_create_zone = Route53.create_hosted_zone
    original_get_change = Route53.get_change

    def pending(answer):  # type: ignore[no-untyped-def]
        if seconds > 0:
            change_id = "C" + uuid.uuid4().hex[:13].upper()
            _ROUTE53_CHANGES[change_id] = time.monotonic()
            answer.result["ChangeInfo"].update({"Id": f"/change/{change_id}", "Status": "PENDING"})
        return answer

    def change_resource_record_sets(self):  # type: ignore[no-untyped-def]
        return pending(original_change(self))

    def create_hosted_zone(self):  # type: ignore[no-untyped-def]
        return pending(original_create_zone(self))

    def get_change(self):  # type: ignore[no-untyped-def]
        answer = original_get_change(self)
        change_id = str(answer.result["ChangeInfo"]["Id"]).rsplit("/", 1)[-1]
        submitted = _ROUTE53_CHANGES.get(change_id)
        if submitted is not None:
            answer.result["ChangeInfo"].update({
                "Id": f"/change/{change_id}",
                "Status": "PENDING" if time.monotonic() - submitted < seconds else "INSYNC",
            })
        return answer

    Route53.change_resource_record_sets = change_resource_record_sets
    Route53.create_hosted_zone = create_hosted_zone
    Route53.get_change = get_change


def fix_route53_alias_dns_name_as_aws_stores_it() -> None:
    """Route 53 keeps an alias target's DNS name in lower case with a final dot, whatever the request wrote.

    AWS: ListResourceRecordSets returns AliasTarget.DNSName as e.g. "dualstack.sample-alb-1.ap-northeast-2.elb.
    amazonaws.com." for a record created with "Sample-ALB-1.ap-northeast-2.elb.amazonaws.com" (reported in
    ansible/ansible#29858 and community.aws#192: amazon.aws.route53, which compares the record set it would write
    with the one AWS returns, then reports an alias record changed on every run unless its value is written that
    way; aws-controllers-k8s/community#2982: "AWS always returns AliasTarget.DNSName with a trailing dot").
    moto 5 echoes the name back as sent.
    """
    from moto.route53.models import RecordSet

    original_init = RecordSet.__init__

    def __init__(self, kwargs):  # type: ignore[no-untyped-def]
        original_init(self, kwargs)
        target = self.alias_target
        if isinstance(target, dict) and isinstance(target.get("DNSName"), str):
            name = target["DNSName"].lower()
            self.alias_target = {**target, "DNSName": name if name.endswith(".") else name + "."}

    RecordSet.__init__ = __init__


def fix_route53_create_refused_only_for_the_same_name_and_type() -> None:
    """CREATE is refused only when a record set of that name and type (and set identifier) exists.

    AWS: Route 53 API Reference, ChangeResourceRecordSets, Change.Action: "CREATE: Creates a resource record set
    that has the specified values"; it fails with InvalidChangeBatch "Tried to create resource record set
    [name='...', type='...'] but it already exists" when that record set exists. moto 5 refuses a CREATE it has
    seen before in the zone's journal whenever any record set sorts at or after that name and type (it lists
    from there), so a record deleted by hand and created again (an MX beside a TXT of the same name) is refused,
    and amazon.aws.route53, which takes that message for "nothing to do", reports it unchanged and missing.
    Here the exact check is made first, and the CREATE then goes to moto as the UPSERT it then is.
    """
    from moto.route53.exceptions import ResourceRecordAlreadyExists
    from moto.route53.models import Route53Backend

    original = Route53Backend.change_resource_record_sets

    def change_resource_record_sets(self, zoneid, change_list):  # type: ignore[no-untyped-def]
        zone = self.get_hosted_zone(zoneid)
        for change in change_list:
            wanted = change["ResourceRecordSet"]
            name = wanted["Name"].rstrip(".").lower() + "."
            if change["Action"] == "CREATE" and any(
                    (record.name.rstrip(".").lower() + ".", record.type, record.set_identifier)
                    == (name, wanted["Type"], wanted.get("SetIdentifier")) for record in zone.rrsets):
                raise ResourceRecordAlreadyExists(name=name, _type=wanted["Type"])
        changes = [{**change, "Action": "UPSERT"} if change["Action"] == "CREATE" else change for change in change_list]
        return original(self, zoneid, changes)

    Route53Backend.change_resource_record_sets = change_resource_record_sets


def fix_certificate_not_attachable_just_after_issue() -> None:
    """For a few seconds after ACM reports a certificate ISSUED, Elastic Load Balancing does not find it.

    AWS: ACM and Elastic Load Balancing are separate, eventually consistent services; a listener given a
    just-issued certificate fails with CertificateNotFound ("Certificate 'arn:aws:acm:...' not found"; ELBv2 API
    Reference, CreateListener / ModifyListener / AddListenerCertificates: "CertificateNotFound: The specified
    certificate does not exist", HTTP 400). hashicorp/terraform-provider-aws#10510 (an ACM certificate validated by
    DNS, then AddListenerCertificates: CertificateNotFound) and #17505, and the provider's fix
    hashicorp/terraform-provider-aws#10294 ("Retry CertificateNotFound errors on creation for eventual
    consistency") show it. moto 5.2 attaches it at once. Here, for LAYER_ACM_ATTACH_SECONDS after DescribeCertificate
    (or any ACM read) first reports an ACM-issued certificate ISSUED, CreateListener, ModifyListener and
    AddListenerCertificates naming it answer CertificateNotFound (local/emulator/server.py sets 3 s; 0 turns it off).
    """
    from moto.acm.models import CertBundle
    from moto.elbv2.exceptions import ELBClientError
    from moto.elbv2.models import ELBv2Backend

    seconds = float(os.environ.get("LAYER_ACM_ATTACH_SECONDS", "0") or 0)
    original_check = CertBundle.check
    original_create = ELBv2Backend.create_listener
    original_modify = ELBv2Backend.modify_listener
    original_add = ELBv2Backend.add_listener_certificates

    def check(self) -> None:  # type: ignore[no-untyped-def]
        was = self.status
        original_check(self)
        if was == "PENDING_VALIDATION" and self.status == "ISSUED":
            self.layer_issued_at = time.monotonic()

    def refuse_fresh(backend, arns) -> None:  # type: ignore[no-untyped-def]
        from moto.acm.models import acm_backends

        certificates = acm_backends[backend.account_id][backend.region_name]._certificates  # moto keeps no public map
        for arn in filter(None, arns):
            issued = getattr(certificates.get(arn), "layer_issued_at", None)
            if issued is None or seconds <= 0:
                continue
            age = time.monotonic() - issued
            if age < seconds:
                _say(f"refused certificate {arn}, issued {age:.1f} s ago (CertificateNotFound)")
                raise ELBClientError("CertificateNotFound", f"Certificate '{arn}' not found")
            _say(f"accepted certificate {arn}, issued {age:.1f} s ago")

    def create_listener(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        refuse_fresh(self, [kwargs["certificate"] if "certificate" in kwargs else args[4] if len(args) > 4 else None])
        return original_create(self, *args, **kwargs)

    def modify_listener(self, arn, port=None, protocol=None, ssl_policy=None, certificates=None, actions=None):  # type: ignore[no-untyped-def]
        refuse_fresh(self, [c.get("CertificateArn") for c in certificates or []])
        return original_modify(self, arn, port=port, protocol=protocol, ssl_policy=ssl_policy,
                               certificates=certificates, actions=actions)

    def add_listener_certificates(self, arn, certificates):  # type: ignore[no-untyped-def]
        refuse_fresh(self, [c.get("CertificateArn") for c in certificates or []])
        return original_add(self, arn, certificates)

    CertBundle.check = check
    ELBv2Backend.create_listener = create_listener
    ELBv2Backend.modify_listener = modify_listener
    ELBv2Backend.add_listener_certificates = add_listener_certificates


_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")
# Query-protocol services whose JSON/CBOR protocol is "awsQueryCompatible": the code is read from x-amzn-query-error.
_QUERY_COMPATIBLE = {"monitoring": "com.amazonaws.cloudwatch"}


def _cbor_map(fields: dict[str, str]) -> bytes:
    """A CBOR (RFC 8949) map of short text strings: the error body of the smithy-rpc-v2-cbor protocol."""
    def head(major: int, length: int) -> bytes:
        if length < 24:
            return bytes([major << 5 | length])
        if length < 256:
            return bytes([major << 5 | 24, length])
        return bytes([major << 5 | 25]) + length.to_bytes(2, "big")

    out = head(5, len(fields))
    for key, value in fields.items():
        for text in (key.encode(), value.encode()):
            out += head(3, len(text)) + text
    return out


def throttling_answer(service: str, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    """(status, headers, body) of the service's own throttling error, in its protocol's error format."""
    request_id = str(uuid.uuid4())
    path = environ.get("PATH_INFO", "")
    method = environ.get("REQUEST_METHOD", "GET")

    def xml(status: str, body: str) -> tuple[str, list[tuple[str, str]], bytes]:
        return status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)], body.encode()

    if service == "ec2":
        # EC2 API Reference, "Request throttling": RequestLimitExceeded, in EC2's own <Response><Errors> shape.
        return xml("503 Service Unavailable", "<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
                   "<Message>Request limit exceeded.</Message></Error></Errors>"
                   f"<RequestID>{request_id}</RequestID></Response>")
    if service == "s3":
        # S3 API Reference, "Error responses": SlowDown, 503, "Please reduce your request rate."
        return xml("503 Slow Down", "<Error><Code>SlowDown</Code><Message>Please reduce your request rate."
                   f"</Message><RequestId>{request_id}</RequestId></Error>")
    if service == "route53":
        # Route 53 API Reference, ChangeResourceRecordSets: PriorRequestNotComplete (HTTP 400) while a change of
        # the zone is in progress; Route 53 Developer Guide, "Quotas" > "Quotas on API requests": Throttling,
        # "Rate exceeded", HTTP 400, for the five requests per second of an account.
        code = "PriorRequestNotComplete" if method == "POST" and path.rstrip("/").endswith("/rrset") else "Throttling"
        message = ("The request was rejected because Route 53 was still processing a prior request."
                   if code == "PriorRequestNotComplete" else "Rate exceeded")
        return xml("400 Bad Request", '<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'
                   f"<Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
                   f"<RequestId>{request_id}</RequestId></ErrorResponse>")
    if environ.get("HTTP_SMITHY_PROTOCOL") == "rpc-v2-cbor" or environ.get("HTTP_X_AMZ_TARGET"):
        # JSON and smithy-rpc-v2-cbor protocols (ACM, SSM, Route 53 Domains, CloudWatch...): ThrottlingException
        # in __type and x-amzn-ErrorType, HTTP 400 (e.g. ACM API Reference, ThrottlingException); a service that
        # is awsQueryCompatible names its query code (Throttling) in x-amzn-query-error.
        namespace = _QUERY_COMPATIBLE.get(service)
        headers = [("x-amzn-RequestId", request_id), ("x-amzn-ErrorType", "ThrottlingException")]
        if namespace:
            headers.append(("x-amzn-query-error", "Throttling;Sender"))
        error_type = f"{namespace}#ThrottlingException" if namespace else "ThrottlingException"
        fields = {"__type": error_type, "message": "Rate exceeded"}
        if environ.get("HTTP_SMITHY_PROTOCOL") == "rpc-v2-cbor":
            headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
            return "400 Bad Request", headers, _cbor_map(fields)
        headers.append(("Content-Type", "application/x-amz-json-1.1"))
        return "400 Bad Request", headers, json.dumps(fields).encode()
    if path.startswith("/v2/email/"):
        # SES API v2 Reference, "Common errors"/TooManyRequestsException: HTTP 429 (rest-json protocol).
        return "429 Too Many Requests", [
            ("Content-Type", "application/json"), ("x-amzn-RequestId", request_id),
            ("x-amzn-ErrorType", "TooManyRequestsException")], b'{"message": "Too many requests"}'
    # Query protocol (IAM, RDS, ElastiCache, ELBv2, SES, STS...): code Throttling, "Rate exceeded", HTTP 400, in the
    # ErrorResponse shape (the API references' "Common errors" name it ThrottlingException; the code on the wire is
    # Throttling, the one botocore's data/_retry.json and AWSRetry retry).
    return xml("400 Bad Request", "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
               f"<Message>Rate exceeded</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>")


def fix_throttling() -> None:
    """A share of the calls is throttled, with each service's own throttling error.

    AWS: every API limits its request rate per account and Region, and answers a call over it with a throttling
    error the caller must retry with backoff: EC2 API Reference, "Request throttling for the Amazon EC2 API"
    (RequestLimitExceeded); IAM, RDS, ElastiCache and ELBv2 (query protocol: Throttling, "Rate exceeded"); the JSON
    services, e.g. ACM API Reference, ThrottlingException; Route 53 Developer Guide, "Quotas on API requests"
    (Throttling; PriorRequestNotComplete for changes); S3 User Guide, "Best practices design patterns: optimizing
    Amazon S3 performance" (503 Slow Down). SDKs retry them ("Retry behavior", AWS SDKs and Tools Reference
    Guide), and AWS recommends the same of every caller ("Error retries and exponential backoff in AWS"). moto
    never throttles. Here a seeded share of the signed calls, LAYER_THROTTLE_SHARE (local/emulator/server.py sets
    0.02; 0 turns it off; seed LAYER_THROTTLE_SEED), is answered with the throttling error of the service named by the
    SigV4 Authorization header's credential scope, before moto sees it: moto's recorder does not record it (a
    throttled call is one that did not happen). /moto-api/ paths and unsigned requests are never throttled.
    """
    import random
    import threading

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    share = float(os.environ.get("LAYER_THROTTLE_SHARE", "0") or 0)
    if share <= 0:
        return
    chance = random.Random(int(os.environ.get("LAYER_THROTTLE_SEED", "0") or 0))  # noqa: S311 - not security
    lock = threading.Lock()
    original_call = DomainDispatcherApplication.__call__

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        scope = _CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        if scope is not None and not environ.get("PATH_INFO", "").startswith("/moto-api/"):
            with lock:
                throttled = chance.random() < share
            if throttled:
                # The request body is read (and dropped) so that the connection stays usable for the next call.
                length = int(environ.get("CONTENT_LENGTH") or 0)
                if length:
                    environ["wsgi.input"].read(length)
                elif environ.get("wsgi.input_terminated"):
                    environ["wsgi.input"].read()
                status, headers, body = throttling_answer(scope.group(1), environ)
                _say(f"throttled {scope.group(1)} {environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"
                     f" {environ.get('HTTP_X_AMZ_TARGET', '')}: {status}")
                start_response(status, [*headers, ("Content-Length", str(len(body)))])
                return [body]
        return original_call(self, environ, start_response)

    DomainDispatcherApplication.__call__ = __call__


FIXES = (fix_nat_gateway_tag_resource_type, fix_dashboard_body_validation, fix_rds_db_parameters_engine_defaults,
         fix_rds_static_parameters_pending_reboot, fix_rds_option_group_mysql84, fix_rds_engine_lifecycle_support,
         fix_rds_auto_minor_version_upgrade, fix_rds_gp3_baseline_performance,
         fix_elasticache_replication_group_members, fix_elasticache_engine_patch_versions,
         fix_sesv2_account, fix_certificate_in_use_by_after_listener_deletion, fix_delete_certificate_in_use,
         fix_hosted_zone_of_a_registered_domain, fix_delete_cache_subnet_group,
         fix_ssm_describe_parameters_best_effort_pages, fix_iam_list_access_keys_best_effort_pages,
         fix_elbv2_deregistration_draining, fix_elbv2_target_health_checks, fix_elbv2_target_group_load_balancer_arns,
         fix_elbv2_alb_standin,
         fix_public_images_of_other_accounts,
         fix_list_hosted_zones_by_name_pages, fix_delete_vpc_with_endpoints, fix_rds_orderable_mysql_options,
         fix_rds_describe_option_groups_by_engine, fix_lingering_network_interfaces,
         fix_instance_profile_propagation, fix_route53_changes_pending, fix_route53_alias_dns_name_as_aws_stores_it,
         fix_route53_create_refused_only_for_the_same_name_and_type,
         fix_certificate_not_attachable_just_after_issue, fix_throttling)


def apply_fixes() -> None:
    for fix in FIXES:
        fix()


def main(argv: list[str] | None = None) -> None:
    apply_fixes()
    from local.emulator.slow import apply_from_environment

    apply_from_environment()  # benchmarks only: slow creations when AWS_INTRO_SLOW_* is set
    from moto.server import main as moto_main

    moto_main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
