"""Publish a newer image of an AMI family in the emulator, as its owner account would: a copy of one of
the owner's images in local/emulator/amis.json, made public. The stack's account then finds it through
DescribeImages (local/emulator/layer.py: fix_public_images_of_other_accounts)."""

from __future__ import annotations

REGION = "ap-northeast-2"
DEBIAN_OWNER = "136693071363"  # roles/network/vars/main.yml, the Debian cloud team's account
DEBIAN_SOURCE = "ami-0d1e5b1a2c3f40001"  # debian-12-amd64-20261020-2270
AL2023_OWNER = "137112412989"  # Amazon Linux
AL2023_SOURCE = "ami-0a12023b4c5d60001"  # al2023-ami-2023.12.20260930.0-kernel-6.1-x86_64


def publish_image(aws, owner: str, source: str, name: str) -> str:
    """The new image's id; its creation date is now, later than every image of amis.json."""
    client = aws("ec2")
    client.meta.events.register("before-sign.ec2.*",
                                lambda request, **_: request.headers.__setitem__("x-moto-account-id", owner))
    image_id = client.copy_image(SourceImageId=source, SourceRegion=REGION, Name=name)["ImageId"]
    client.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"Group": "all"}]})
    return image_id
