# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# Kept equal to galaxy.yml's version (tests/unit/plugins/module_utils/test_common.py checks it).
STACK_COLLECTION_NAME = "aws_intro.stack"
STACK_COLLECTION_VERSION = "0.1.0"

# AWSRetry's own list retries the query protocol's Throttling, not ThrottlingException, which the JSON-protocol
# services (ACM, SSM, Route 53 Domains) answer when they throttle (each one's API Reference, "Common Errors").
JSON_THROTTLED = ["ThrottlingException"]
