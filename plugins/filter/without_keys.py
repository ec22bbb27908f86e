# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: without_keys
version_added: 0.1.0
short_description: A copy of a structure without the mapping keys that match regular expressions
description:
  - Returns a plain copy of the input (dictionaries, lists and scalars) in which every dictionary, at any depth,
    lacks the keys that match one of the patterns (Python C(re.search)). The stack uses it to show and report
    its roles' outputs without anything that looks like a secret.
  - It does what C(ansible.utils.remove_keys) with C(matching_parameter=regex) does. That filter, as every
    C(ansible.utils) 6.0.0 filter that checks its arguments with C(AnsibleArgSpecValidator), deep-copies its
    input; under ansible-core 2.19 a variable reaches a filter as a lazy container that holds the templating
    context, so the copy takes every variable of the play with it (several seconds at the end of a cloud play,
    measured; fixed upstream by ansible-collections/ansible.utils#452, not in 6.0.0). This filter only reads
    its input.
author:
  - aws_intro.stack developers (@aws-intro)
positional: patterns
options:
  _input:
    description: The structure to copy.
    type: raw
    required: true
  patterns:
    description: Regular expressions; a key that matches any of them is left out (a key that is not a string never is).
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Show the outputs without their secrets
  ansible.builtin.debug:
    msg: "{{ database_outputs | aws_intro.stack.without_keys(['password$', 'secret$']) }}"
"""

RETURN = r"""
_value:
  description: The copy without the matching keys.
  type: raw
"""

import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence


def _without(value, compiled):
    if isinstance(value, Mapping):
        return {key: _without(item, compiled) for key, item in value.items()
                if not (isinstance(key, str) and any(pattern.search(key) for pattern in compiled))}
    if is_sequence(value):
        return [_without(item, compiled) for item in value]
    return value


def without_keys(value, patterns):
    if isinstance(patterns, str) or not is_sequence(patterns):
        raise AnsibleFilterError(f"without_keys: patterns must be a list of regular expressions, got {patterns!r}")
    try:
        compiled = [re.compile(pattern) for pattern in patterns]
    except (re.error, TypeError) as error:
        raise AnsibleFilterError(f"without_keys: a pattern is not a regular expression: {error}") from error
    return _without(value, compiled)


class FilterModule(object):
    def filters(self):
        return {"without_keys": without_keys}
