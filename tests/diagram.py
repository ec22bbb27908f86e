"""Reading the stack diagram (plugins/filter/stack_diagram.py) back in the tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The SVG's root element; fails unless it is an XML document in the SVG namespace."""
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(svg.encode("utf-8"))  # noqa: S314 (the filter's own output, not untrusted data)
    assert root.tag == f"{SVG}svg"
    return root


def resources(root: ET.Element) -> dict[str, list[str]]:
    """{kind: [data-id, ...]} of the resource boxes."""
    found: dict[str, list[str]] = {}
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        if classes[:1] == ["resource"]:
            found.setdefault(classes[1], []).append(group.get("data-id"))
    return found
