# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The base class of this collection's modules.

It is amazon.aws's AnsibleAWSModule (connection options, boto3 clients with retries,
fail_json_aws) with this collection's name and version in the user agent, the way
community.aws does it in its own module_utils/modules.py.
"""

from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.aws_intro.stack.plugins.module_utils.common import (
    STACK_COLLECTION_NAME,
    STACK_COLLECTION_VERSION,
)


class AnsibleStackAWSModule(AnsibleAWSModule):
    def __init__(self, **kwargs):
        super(AnsibleStackAWSModule, self).__init__(**kwargs)
        set_collection_info(
            collection_name=STACK_COLLECTION_NAME,
            collection_version=STACK_COLLECTION_VERSION,
        )
