"""The emulator as the tests run it: moto server, plus a thin test-only layer of fixes where
moto departs from documented AWS behaviour. Product code is never bent to the emulator; each
fix here names the AWS documentation it restores.

    python -m tests.emulator.layer -H 127.0.0.1 -p PORT     # same arguments as moto_server
"""

from __future__ import annotations

import sys


def fix_nat_gateway_tag_resource_type() -> None:
    """DescribeTags reports NAT gateways with resource type ``natgateway``.

    AWS: EC2 API Reference, DescribeTags, filter ``resource-type`` ("... | natgateway | ...")
    and TagDescription.ResourceType. moto 5.2 says ``nat-gateway``, so a DescribeTags call
    filtered on ``natgateway`` (amazon.aws's ensure_ec2_tags does that) finds no tags and the
    module re-tags the gateway on every run.
    """
    from moto.ec2.models import tags

    tags.EC2_PREFIX_TO_RESOURCE["nat"] = "natgateway"


FIXES = (fix_nat_gateway_tag_resource_type,)


def apply_fixes() -> None:
    for fix in FIXES:
        fix()


def main(argv: list[str] | None = None) -> None:
    apply_fixes()
    from moto.server import main as moto_main

    moto_main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
