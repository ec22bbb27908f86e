# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: stack_diagram
version_added: 0.1.0
short_description: Draw the stack's resources as an SVG diagram
description:
  - Lays out a box for every resource of the stack that exists, and arrows for the data flow between
    them, and returns the drawing as SVG text (pure Python, no Graphviz).
  - The VPC holds one column per availability zone, each with its public and private subnet; the load
    balancer spans the public subnets, the bastion sits in its public subnet, the web instances in
    their private subnet (inside a dashed frame for the target group), the RDS instance and the
    ElastiCache replication group (with its node count) below them. Route 53 zones, the users and the
    certificate are drawn above the VPC; S3, SES and CloudWatch to its right.
  - A part that is absent (an empty or missing key of O(_input)) is not drawn, nor are its arrows.
  - The same input always gives the same text (no timestamps, no random ids), so a file written from it
    only changes when the stack does.
  - All text is XML-escaped; a text too long for its box is shortened with an ellipsis and kept whole
    in the box's C(<title>) (the tooltip).
  - Every resource is a C(<g class="resource KIND" data-id="ID">) element, KIND one of C(vpc), C(subnet),
    C(alb), C(target-group), C(web-instance), C(bastion), C(database), C(cache), C(bucket), C(zone),
    C(certificate), C(mail), C(monitoring), C(users).
author:
  - aws_intro.stack developers (@aws-intro)
positional: title
options:
  _input:
    description:
      - The stack's resources as the P(aws_intro.stack.report#role) role collects them (its C(report_resources) fact).
      - 'Keys, each optional: C(stack_name), C(region); C(vpc) (C(id), C(cidr)); C(availability_zones) (list);
        C(subnets) (list of C(id), C(cidr), C(az), C(tier) C(public) or C(private));
        C(alb) (C(name), C(dns_name), C(listeners), a list of ports);
        C(target_group) (C(name), C(port));
        C(web_instances) (list of C(id), C(name), C(az), C(private_ip), C(state), C(health));
        C(bastion) (C(id), C(name), C(az), C(public_ip));
        C(database) (C(id), C(endpoint), C(port), C(engine_version), C(status), C(multi_az));
        C(cache) (C(id), C(primary_endpoint), C(reader_endpoint), C(node_count), C(engine), C(status));
        C(bucket) (C(name), C(region)); C(instance_profile) (C(name));
        C(zones) (list of C(id), C(name), C(private), C(record_count));
        C(certificate) (C(arn), C(domain), C(status));
        C(mail) (C(identity), C(sandbox), C(smtp_user), C(smtp_endpoint));
        C(monitoring) (C(dashboard), C(alarm_count), C(topic)).'
    type: dict
    required: true
  title:
    description: Heading of the drawing; by default C(Stack STACK_NAME (REGION)).
    type: str
"""

EXAMPLES = r"""
- name: Write the diagram of what the stack holds
  ansible.builtin.copy:
    content: "{{ report_resources | aws_intro.stack.stack_diagram }}"
    dest: reports/sample-diagram.svg
    mode: "0644"

- name: A diagram of a partial stack (only what exists is drawn)
  ansible.builtin.copy:
    content: >-
      {{ {'stack_name': 'sample', 'vpc': {'id': 'vpc-0123', 'cidr': '10.0.0.0/16'},
          'bucket': {'name': 'sample-images'}} | aws_intro.stack.stack_diagram('Sample, network only') }}
    dest: /tmp/partial.svg
    mode: "0644"
"""

RETURN = r"""
_value:
  description: The diagram, an SVG 1.1 document (UTF-8 text with an XML declaration).
  type: str
  sample: '<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" ...>...</svg>'
"""

from xml.sax.saxutils import escape, quoteattr

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence

SVG_NS = "http://www.w3.org/2000/svg"

# Geometry (pixels).
MARGIN = 20
WIDTH = 1260
VPC_WIDTH = 880
GAP = 16
LINE = 14  # text line height
CHAR = 6.4  # average width of a character of the 11 px font, to shorten long texts
SIDE_X = MARGIN + VPC_WIDTH + 70
SIDE_WIDTH = WIDTH - SIDE_X - MARGIN

# Fill and stroke by kind (after the AWS architecture icons' category colours).
COLOURS = {
    "users": ("#f2f3f3", "#545b64"),
    "zone": ("#f4ecfb", "#8c4fff"),
    "certificate": ("#fdecea", "#dd344c"),
    "vpc": ("none", "#8c4fff"),
    "subnet-public": ("#eef6ea", "#7aa116"),
    "subnet-private": ("#e8f1fb", "#147eba"),
    "alb": ("#f4ecfb", "#8c4fff"),
    "target-group": ("none", "#545b64"),
    "web-instance": ("#fff4e5", "#ed7100"),
    "bastion": ("#fff4e5", "#ed7100"),
    "database": ("#eaf0fd", "#3b48cc"),
    "cache": ("#eaf0fd", "#3b48cc"),
    "bucket": ("#eef6ea", "#7aa116"),
    "mail": ("#fdecea", "#dd344c"),
    "monitoring": ("#fce8f3", "#e7157b"),
}


def _mapping(value, key):
    """resources[key] as a dict; None, '' and {} (an absent part) give {}."""
    found = value.get(key)
    if not found:
        return {}
    if not isinstance(found, dict):
        raise AnsibleFilterError("stack_diagram: '{0}' must be a dict, got {1}".format(key, type(found).__name__))
    return found


def _list(value, key):
    found = value.get(key)
    if not found:
        return []
    if isinstance(found, str) or not is_sequence(found):
        raise AnsibleFilterError("stack_diagram: '{0}' must be a list, got {1}".format(key, type(found).__name__))
    return [item for item in found if item]


def _text(value):
    return "" if value is None else str(value)


def _fit(text, width):
    """The text, shortened with an ellipsis when it would overflow a box this wide."""
    room = max(int((width - 16) / CHAR), 4)
    return text if len(text) <= room else text[: room - 1] + "\u2026"


class Canvas(object):
    """Collects SVG elements; boxes remember where they are so arrows can join them."""

    def __init__(self):
        self.frames = []  # (layer, svg), drawn first: VPC 0, subnets 1, target group 2
        self.boxes = []
        self.arrows = []
        self.anchors = {}

    def box(self, kind, rid, x, y, w, h, lines, anchor=None, frame=None, dashed=False, colour=None):
        """A box with its lines of text (the first in bold). frame (a layer number) makes it a
        container drawn under the boxes, lower layers first."""
        fill, stroke = COLOURS[colour or kind]
        attrs = 'x="{0}" y="{1}" width="{2}" height="{3}" rx="{4}" fill="{5}" stroke="{6}"'.format(
            x, y, w, h, 6 if frame is None else 2, fill, stroke
        )
        if dashed:
            attrs += ' stroke-dasharray="6 4"'
        parts = ['<g class="resource {0}" data-id={1}>'.format(kind, quoteattr(_text(rid)))]
        parts.append("<title>{0}</title>".format(escape(" | ".join(_text(line) for line in lines if line))))
        parts.append("<rect {0}/>".format(attrs))
        for index, line in enumerate(line for line in lines if line):
            weight = ' font-weight="bold"' if index == 0 else ""
            parts.append(
                '<text x="{0}" y="{1}"{2}>{3}</text>'.format(
                    x + 8, y + 16 + index * LINE, weight, escape(_fit(_text(line), w))
                )
            )
        parts.append("</g>")
        if frame is None:
            self.boxes.append("".join(parts))
        else:
            self.frames.append((frame, len(self.frames), "".join(parts)))
        if anchor:
            self.anchors[anchor] = (x, y, w, h)

    def arrow(self, start, end, label="", dashed=False):
        """An arrow from a side of one anchored box to a side of another: start/end are
        (anchor, side) with side one of top, bottom, left, right."""
        if start[0] not in self.anchors or end[0] not in self.anchors:
            return
        x1, y1 = self._side(*start)
        x2, y2 = self._side(*end)
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        parts = [
            '<g class="flow" data-from={0} data-to={1}>'.format(quoteattr(start[0]), quoteattr(end[0])),
            '<line x1="{0}" y1="{1}" x2="{2}" y2="{3}" stroke="#232f3e" stroke-width="1.4"{4} '
            'marker-end="url(#arrow)"/>'.format(x1, y1, x2, y2, dash),
        ]
        if label:
            parts.append(
                '<text x="{0}" y="{1}" class="label">{2}</text>'.format(
                    (x1 + x2) // 2 + 4, (y1 + y2) // 2 - 3, escape(label)
                )
            )
        parts.append("</g>")
        self.arrows.append("".join(parts))

    def _side(self, anchor, side):
        x, y, w, h = self.anchors[anchor]
        if isinstance(side, tuple):  # (side, fraction along it)
            side, fraction = side
        else:
            fraction = 0.5
        if side == "top":
            return x + int(w * fraction), y
        if side == "bottom":
            return x + int(w * fraction), y + h
        if side == "left":
            return x, y + int(h * fraction)
        return x + w, y + int(h * fraction)


def _port(value):
    """Sort key of a listener port: numbers in order, anything else after them."""
    try:
        return (0, int(value), "")
    except (TypeError, ValueError):
        return (1, 0, _text(value))


def _lines(*candidates):
    return [c for c in candidates if c]


def _subnet_boxes(canvas, tier, subnets, columns, col_x, y, width, height):
    """One frame per availability zone for the subnet of that tier (public or private) there."""
    for az in columns:
        subnet = subnets.get(az)
        if subnet:
            canvas.box(
                "subnet",
                subnet.get("id"),
                col_x(az),
                y,
                width,
                height,
                ["{0} subnet {1} \u00b7 {2}".format(tier, _text(subnet.get("cidr")), az), _text(subnet.get("id"))],
                frame=1,
                colour="subnet-" + tier,
            )


def stack_diagram(resources, title=None):
    if not isinstance(resources, dict):
        raise AnsibleFilterError(
            "stack_diagram expects the dict of the stack's resources, got {0}".format(type(resources).__name__)
        )
    stack = _text(resources.get("stack_name")) or "stack"
    region = _text(resources.get("region"))
    heading = title if title else "Stack {0}{1}".format(stack, " ({0})".format(region) if region else "")

    vpc = _mapping(resources, "vpc")
    subnets = [s for s in _list(resources, "subnets") if isinstance(s, dict)]
    alb = _mapping(resources, "alb")
    target_group = _mapping(resources, "target_group")
    web = sorted(
        (i for i in _list(resources, "web_instances") if isinstance(i, dict)),
        key=lambda i: (_text(i.get("name")), _text(i.get("id"))),
    )
    bastion = _mapping(resources, "bastion")
    database = _mapping(resources, "database")
    cache = _mapping(resources, "cache")
    bucket = _mapping(resources, "bucket")
    profile = _mapping(resources, "instance_profile")
    zones = sorted(
        (z for z in _list(resources, "zones") if isinstance(z, dict)),
        key=lambda z: (bool(z.get("private")), _text(z.get("name"))),
    )
    certificate = _mapping(resources, "certificate")
    mail = _mapping(resources, "mail")
    monitoring = _mapping(resources, "monitoring")

    canvas = Canvas()

    # Availability zones: one column each, in name order.
    azs = sorted(
        set(_text(z) for z in _list(resources, "availability_zones"))
        | set(_text(s.get("az")) for s in subnets if s.get("az"))
        | set(_text(i.get("az")) for i in web if i.get("az"))
    )
    columns = azs or [""]
    inner_x = MARGIN + GAP
    inner_w = VPC_WIDTH - 2 * GAP
    col_w = (inner_w - (len(columns) - 1) * GAP) // len(columns)

    def col_x(az):
        index = columns.index(az) if az in columns else 0
        return inner_x + index * (col_w + GAP)

    # Top row: Route 53 zones (left), the users (centre of the VPC), the certificate (right).
    top_y = MARGIN + 28
    top_h = 58
    users_w = 170
    users_x = MARGIN + (VPC_WIDTH - users_w) // 2
    if alb or any(not zone.get("private") for zone in zones):
        canvas.box("users", "internet", users_x, top_y, users_w, top_h, ["Users", "the internet"], anchor="users")
    zone_w = users_x - MARGIN - 60
    zone_h = 42
    for index, zone in enumerate(zones):
        kind = "private" if zone.get("private") else "public"
        count = zone.get("record_count")
        canvas.box(
            "zone",
            zone.get("id"),
            MARGIN,
            top_y + index * (zone_h + 6),
            zone_w,
            zone_h,
            _lines(
                "Route 53 {0} zone {1}".format(kind, _text(zone.get("name")).rstrip(".")),
                "{0}{1}".format(
                    _text(zone.get("id")), " \u00b7 {0} records".format(count) if count is not None else ""
                ),
            ),
            anchor="zone-public" if kind == "public" and "zone-public" not in canvas.anchors else "zone-%d" % index,
        )
    zones_h = len(zones) * (zone_h + 6)
    if certificate:
        canvas.box(
            "certificate",
            certificate.get("arn"),
            SIDE_X,
            top_y,
            SIDE_WIDTH,
            top_h,
            _lines("ACM certificate", _text(certificate.get("domain")), _text(certificate.get("status"))),
            anchor="certificate",
        )

    # The VPC.
    vpc_y = top_y + max(top_h, zones_h) + 44
    y = vpc_y + 30

    # Public subnets: the load balancer spans them, the bastion sits in its own.
    public = {s.get("az"): s for s in sorted(subnets, key=lambda s: _text(s.get("id"))) if s.get("tier") == "public"}
    private = {s.get("az"): s for s in sorted(subnets, key=lambda s: _text(s.get("id"))) if s.get("tier") == "private"}
    public_y = y
    alb_y = bastion_y = tg_y = 0
    inner = public_y + 38
    if alb:
        alb_y = inner
        inner += 48 + 12
    if bastion:
        bastion_y = inner
        inner += 44 + 12
    public_h = max(inner - public_y, 40) + 4
    if public or alb or bastion:
        _subnet_boxes(canvas, "public", public, columns, col_x, public_y, col_w, public_h)
        y = public_y + public_h + GAP
    if alb:
        listeners = ", ".join(_text(p) for p in sorted(set(alb.get("listeners") or []), key=_port))
        canvas.box(
            "alb",
            alb.get("arn") or alb.get("name"),
            inner_x + 20,
            alb_y,
            inner_w - 40,
            48,
            _lines(
                "Application load balancer {0}".format(_text(alb.get("name"))),
                "{0}{1}".format(
                    _text(alb.get("dns_name")), " \u00b7 listeners {0}".format(listeners) if listeners else ""
                ),
            ),
            anchor="alb",
        )
    if bastion:
        canvas.box(
            "bastion",
            bastion.get("id"),
            col_x(bastion.get("az")) + 12,
            bastion_y,
            col_w - 24,
            44,
            _lines(
                "Bastion {0}".format(_text(bastion.get("name"))),
                "{0} \u00b7 {1}".format(_text(bastion.get("id")), _text(bastion.get("public_ip"))),
            ),
            anchor="bastion",
        )

    # Private subnets: the web instances (in the target group's frame), then the data stores.
    private_y = y
    per_column = {}
    for instance in web:
        az = instance.get("az") if instance.get("az") in columns else columns[0]
        per_column.setdefault(az, []).append(instance)
    inner = private_y + 38
    web_h = 48
    if web or target_group:
        tg_y = inner
        rows = max([len(v) for v in per_column.values()] or [0])
        tg_h = 24 + rows * (web_h + 8) + 4
        inner += tg_h + 18
        for az, instances in per_column.items():
            for row, instance in enumerate(instances):
                health = instance.get("health")
                canvas.box(
                    "web-instance",
                    instance.get("id"),
                    col_x(az) + 12,
                    tg_y + 24 + row * (web_h + 8),
                    col_w - 24,
                    web_h,
                    _lines(
                        "Web {0} \u00b7 {1}".format(_text(instance.get("name")), _text(instance.get("id"))),
                        " \u00b7 ".join(
                            _text(v) for v in (instance.get("private_ip"), instance.get("state"), health) if v
                        ),
                    ),
                    anchor="web-%s" % instance.get("id"),
                )
        canvas.box(
            "target-group",
            target_group.get("name") or "web",
            inner_x + 4,
            tg_y,
            inner_w - 8,
            tg_h,
            [
                "target group {0}{1} \u00b7 {2} web instance{3}".format(
                    _text(target_group.get("name")),
                    " :{0}".format(target_group.get("port")) if target_group.get("port") else "",
                    len(web),
                    "" if len(web) == 1 else "s",
                )
            ]
            if target_group
            else ["{0} web instance{1}".format(len(web), "" if len(web) == 1 else "s")],
            anchor="web",
            frame=2,
            dashed=True,
        )
    data = []
    if database:
        data.append(
            (
                "database",
                database.get("id"),
                _lines(
                    "RDS {0} {1}".format(_text(database.get("engine") or "mysql"), _text(database.get("id"))),
                    "{0}:{1}".format(_text(database.get("endpoint")), _text(database.get("port")))
                    if database.get("endpoint")
                    else "",
                    " \u00b7 ".join(
                        v
                        for v in (
                            _text(database.get("engine_version")),
                            _text(database.get("status")),
                            "multi-AZ" if database.get("multi_az") else "",
                        )
                        if v
                    ),
                ),
            )
        )
    if cache:
        count = cache.get("node_count")
        data.append(
            (
                "cache",
                cache.get("id"),
                _lines(
                    "ElastiCache {0} {1}{2}".format(
                        _text(cache.get("engine") or "redis"),
                        _text(cache.get("id")),
                        " \u00b7 {0} node{1}".format(count, "" if count == 1 else "s") if count is not None else "",
                    ),
                    "primary {0}".format(_text(cache.get("primary_endpoint"))) if cache.get("primary_endpoint") else "",
                    "reader {0}".format(_text(cache.get("reader_endpoint"))) if cache.get("reader_endpoint") else "",
                ),
            )
        )
    if data:
        data_y = inner
        slot = (inner_w - 8 - (len(data) - 1) * GAP) // len(data)
        for index, (kind, rid, lines) in enumerate(data):
            canvas.box(kind, rid, inner_x + 4 + index * (slot + GAP), data_y, slot, 58, lines, anchor=kind)
        inner += 58 + 12
    private_h = max(inner - private_y, 40) + 4
    _subnet_boxes(canvas, "private", private, columns, col_x, private_y, col_w, private_h)
    vpc_bottom = private_y + private_h + GAP
    if vpc:
        canvas.box(
            "vpc",
            vpc.get("id"),
            MARGIN,
            vpc_y,
            VPC_WIDTH,
            vpc_bottom - vpc_y,
            ["VPC {0} \u00b7 {1}".format(_text(vpc.get("id")), _text(vpc.get("cidr")))],
            anchor="vpc",
            frame=0,
        )

    # Right of the VPC: storage, mail, monitoring.
    side_y = private_y
    if bucket:
        canvas.box(
            "bucket",
            bucket.get("name"),
            SIDE_X,
            side_y,
            SIDE_WIDTH,
            58,
            _lines(
                "S3 bucket",
                _text(bucket.get("name")),
                "via instance profile {0}".format(_text(profile.get("name"))) if profile.get("name") else "",
            ),
            anchor="bucket",
        )
        side_y += 58 + GAP
    if mail:
        sandbox = mail.get("sandbox")
        canvas.box(
            "mail",
            mail.get("identity") or mail.get("smtp_user"),
            SIDE_X,
            side_y,
            SIDE_WIDTH,
            58,
            _lines(
                "SES {0}".format(_text(mail.get("identity"))),
                _text(mail.get("smtp_endpoint")),
                " \u00b7 ".join(
                    v
                    for v in (
                        "SMTP user {0}".format(_text(mail.get("smtp_user"))) if mail.get("smtp_user") else "",
                        "sandbox" if sandbox else ("production" if sandbox is not None else ""),
                    )
                    if v
                ),
            ),
            anchor="mail",
        )
        side_y += 58 + GAP
    if monitoring:
        count = monitoring.get("alarm_count")
        canvas.box(
            "monitoring",
            monitoring.get("dashboard") or monitoring.get("topic"),
            SIDE_X,
            side_y,
            SIDE_WIDTH,
            58,
            _lines(
                "CloudWatch",
                "dashboard {0}".format(_text(monitoring.get("dashboard"))) if monitoring.get("dashboard") else "",
                " \u00b7 ".join(
                    v
                    for v in (
                        "{0} alarm{1}".format(count, "" if count == 1 else "s") if count is not None else "",
                        "SNS {0}".format(_text(monitoring.get("topic"))) if monitoring.get("topic") else "",
                    )
                    if v
                ),
            ),
            anchor="monitoring",
        )
        side_y += 58 + GAP

    # Data flow.
    https = 443 in [p for p in (alb.get("listeners") or []) if isinstance(p, int)]
    canvas.arrow(("users", "bottom"), ("alb", "top"), "HTTPS" if https else "HTTP")
    canvas.arrow(("users", "left"), ("zone-public", "right"), "DNS", dashed=True)
    canvas.arrow(("zone-public", ("bottom", 0.7)), ("alb", ("top", 0.15)), "alias", dashed=True)
    canvas.arrow(("certificate", "left"), ("alb", ("top", 0.85)), "TLS", dashed=True)
    port = target_group.get("port")
    canvas.arrow(("alb", "bottom"), ("web", "top"), ":{0}".format(port) if port else "")
    if web:
        canvas.arrow(("bastion", "bottom"), ("web", ("top", 0.1)), "SSH", dashed=True)
        canvas.arrow(("web", ("bottom", 0.25)), ("database", "top"), "SQL")
        canvas.arrow(("web", ("bottom", 0.75)), ("cache", "top"), "Redis")
        canvas.arrow(("web", ("right", 0.3)), ("bucket", "left"), "images")
        canvas.arrow(("web", ("right", 0.7)), ("mail", "left"), "SMTP")
    canvas.arrow(("vpc", ("right", 0.85)), ("monitoring", "left"), "metrics", dashed=True)

    height = max(vpc_bottom, side_y, top_y + zones_h) + MARGIN
    return "".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            '<svg xmlns="{0}" version="1.1" width="{1}" height="{2}" viewBox="0 0 {1} {2}" '
            'font-family="Helvetica, Arial, sans-serif" font-size="11" fill="#232f3e">\n'.format(SVG_NS, WIDTH, height),
            "<title>{0}</title>\n".format(escape(heading)),
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#232f3e"/></marker>'
            "<style>.label { font-size: 10px; fill: #545b64; } rect { stroke-width: 1.4; }</style></defs>\n",
            '<rect width="100%" height="100%" fill="#ffffff"/>\n',
            '<text x="{0}" y="{1}" font-size="15" font-weight="bold">{2}</text>\n'.format(
                MARGIN, MARGIN + 8, escape(heading)
            ),
            "\n".join(frame for _layer, _order, frame in sorted(canvas.frames)),
            "\n" if canvas.frames else "",
            "\n".join(canvas.boxes),
            "\n" if canvas.boxes else "",
            "\n".join(canvas.arrows),
            "\n" if canvas.arrows else "",
            ""
            if canvas.boxes or canvas.frames
            else '<text x="{0}" y="{1}">Nothing of stack {2} was found.</text>\n'.format(
                MARGIN, MARGIN + 40, escape(stack)
            ),
            "</svg>\n",
        ]
    )


class FilterModule(object):
    def filters(self):
        return {"stack_diagram": stack_diagram}
