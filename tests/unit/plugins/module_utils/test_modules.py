"""Unit tests for plugins/module_utils/modules.py: the base class of this collection's modules."""

from __future__ import annotations

import pytest
from ansible.module_utils.testing import patch_module_args
from ansible_collections.amazon.aws.plugins.module_utils import common as aws_common
from ansible_collections.amazon.aws.plugins.module_utils.botocore import _get_user_agent_string
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.aws_intro.stack.plugins.module_utils.common import (
    STACK_COLLECTION_NAME,
    STACK_COLLECTION_VERSION,
)
from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule


@pytest.fixture
def collection_info():
    """Start from amazon.aws's own info and restore the module-level dict amazon.aws keeps it in."""
    saved = dict(aws_common.get_collection_info())
    aws_common.set_collection_info(collection_name="amazon.aws", collection_version="0.0.0-test")
    yield aws_common.get_collection_info
    aws_common.get_collection_info().clear()
    aws_common.get_collection_info().update(saved)


def test_stack_module_is_an_amazon_aws_module():
    assert issubclass(AnsibleStackAWSModule, AnsibleAWSModule)


@pytest.mark.parametrize(
    ("module_args", "argument_spec"),
    [
        pytest.param({}, {}, id="no-options"),
        pytest.param(
            {"name": "web", "region": "ap-northeast-2"},
            {"name": {"type": "str", "required": True}},
            id="own-option-and-aws-connection-option",
        ),
    ],
)
def test_constructing_sets_the_collection_info(collection_info, module_args, argument_spec):
    with patch_module_args(module_args):
        module = AnsibleStackAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    assert collection_info() == {"name": STACK_COLLECTION_NAME, "version": STACK_COLLECTION_VERSION}
    for key, value in module_args.items():
        assert module.params[key] == value


def test_user_agent_names_the_collection(collection_info):
    # _get_user_agent_string is what amazon.aws puts in every boto3 client's user agent;
    # building the string needs no client and no network.
    with patch_module_args({}):
        AnsibleStackAWSModule(argument_spec={})

    assert f" {STACK_COLLECTION_NAME}/{STACK_COLLECTION_VERSION}" in _get_user_agent_string()
