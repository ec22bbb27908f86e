# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: sns_topics_to_put
version_added: 0.1.0
short_description: The SNS topics that community.aws.sns_topic would create or change
description:
  - Given topics as the options of M(community.aws.sns_topic) with O(community.aws.sns_topic#module:state=present)
    and the topics that exist as M(community.aws.sns_topic_info) reads them (its C(sns_topic), one per topic
    given by O(community.aws.sns_topic_info#module:topic_arn)), returns the topics that are missing or differ, so
    that the module is called only for those.
  - The comparison is the module's own (community.aws 10, C(ensure_ok)). A topic is found as the module finds it,
    by the end of its ARN (the first one ending in C(:<name>)). It is unchanged when its C(DisplayName) is
    O(community.aws.sns_topic#module:display_name) (when given), when no subscription of
    O(community.aws.sns_topic#module:subscriptions) is missing (protocol and endpoint, an SMS number reduced to
    its digits and C(+)), when, with O(community.aws.sns_topic#module:purge_subscriptions), no other confirmed
    subscription is there (a pending or deleted one is never purged), and when its tags are
    O(community.aws.sns_topic#module:tags) (amazon.aws's C(compare_aws_tags), with
    O(community.aws.sns_topic#module:purge_tags)).
  - On a topic in place, the module lists every topic of the region three times (ListTopics, paginated), reads
    the attributes, subscriptions and tags, then again for its result; with this filter a role reads the topic
    once.
  - It refuses the options it does not compare (a policy, a delivery policy, a FIFO topic, content-based
    deduplication, subscription attributes, a topic given by its ARN, another state).
author:
  - aws_intro.stack developers (@aws-intro)
positional: existing
options:
  _input:
    description:
      - The topics, each a dictionary of M(community.aws.sns_topic) options (C(name), C(display_name),
        C(subscriptions), C(purge_subscriptions), C(tags), C(purge_tags)); the module's defaults apply to the
        options left out.
      - Other keys (a loop label) are ignored and returned as they are.
    type: list
    elements: dict
    required: true
  existing:
    description: The C(sns_topic) of M(community.aws.sns_topic_info) for each topic that exists.
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: List the topics of the region
  community.aws.sns_topic_info:
  register: topics

- name: Read the alarms' topic, its subscriptions and tags, when it exists
  community.aws.sns_topic_info:
    topic_arn: "{{ topics.result | select('match', '.*:sample-alarms$') | first }}"
  register: topic
  when: topics.result | select('match', '.*:sample-alarms$') | length > 0

- name: Create the topic, or change it only when it differs
  community.aws.sns_topic:
    name: "{{ item.name }}"
    display_name: "{{ item.display_name }}"
    subscriptions: "{{ item.subscriptions }}"
    tags: "{{ item.tags }}"
    state: present
  loop: >-
    {{ [{'name': 'sample-alarms', 'display_name': 'sample alarms',
         'subscriptions': [{'protocol': 'email', 'endpoint': 'ops@example.com'}], 'tags': {'Stack': 'sample'}}]
       | aws_intro.stack.sns_topics_to_put([topic.sns_topic] if topic.sns_topic is defined else []) }}
"""

RETURN = r"""
_value:
  description: The items of the input whose topic is missing or differs from them, in input order.
  type: list
  elements: dict
"""

import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence
from ansible_collections.aws_intro.stack.plugins.plugin_utils.ec2_compare import option_bool, tags_differ

_NAME = "sns_topics_to_put"
_REFUSED = ("policy", "delivery_policy", "content_based_deduplication")
# _set_topic_subs: a subscription with one of these "ARNs" is not confirmed (or is going) and is never purged.
_NOT_PURGED = ("PendingConfirmation", "Deleted")


def _endpoint(protocol, endpoint):
    """canonicalize_endpoint: SNS keeps a phone number in E.164, the module compares it so."""
    return re.sub("[^0-9+]*", "", endpoint) if protocol == "sms" else endpoint


def _wanted_subscriptions(topic):
    subscriptions = topic.get("subscriptions") or []
    if not is_sequence(subscriptions):
        raise AnsibleFilterError(f"{_NAME}: subscriptions of {topic['name']!r} must be a list, got {subscriptions!r}")
    wanted = set()
    for subscription in subscriptions:
        if not isinstance(subscription, dict) or not subscription.get("protocol") or not subscription.get("endpoint"):
            raise AnsibleFilterError(f"{_NAME}: each subscription needs protocol and endpoint, got {subscription!r}")
        if subscription.get("attributes"):
            raise AnsibleFilterError(f"{_NAME}: subscription attributes are not compared, got {subscription!r}")
        wanted.add((subscription["protocol"], _endpoint(subscription["protocol"], subscription["endpoint"])))
    return wanted


def _differs(topic, found):
    """ensure_ok's questions, in its order, on the topic found by the end of its ARN."""
    if found is None:
        return True
    wanted = _wanted_subscriptions(topic)
    current = [(sub.get("protocol"), sub.get("endpoint"), sub.get("subscription_arn"))
               for sub in found.get("subscriptions") or []]
    purge = option_bool(_NAME, topic, "purge_subscriptions", True)
    purge_tags = option_bool(_NAME, topic, "purge_tags", True)
    display_name_differs = bool(topic.get("display_name")) and topic["display_name"] != found.get("display_name")
    to_unsubscribe = purge and any((protocol, endpoint) not in wanted and arn not in _NOT_PURGED
                                   for protocol, endpoint, arn in current)
    to_subscribe = wanted - {(protocol, endpoint) for protocol, endpoint, _arn in current}
    return bool(display_name_differs or to_unsubscribe or to_subscribe
                or tags_differ(_NAME, found.get("tags") or {}, topic.get("tags"), purge_tags))


def _check(topic):
    if not isinstance(topic, dict) or not topic.get("name"):
        raise AnsibleFilterError(f"{_NAME}: each topic needs a name, got {topic!r}")
    if topic["name"].startswith("arn:") or ":" in topic["name"]:
        raise AnsibleFilterError(f"{_NAME}: a topic is given by its name, not its ARN, got {topic['name']!r}")
    refused = [key for key in _REFUSED if topic.get(key)]
    if refused:
        raise AnsibleFilterError(f"{_NAME}: {', '.join(refused)} not compared, in {topic['name']!r}")
    if topic.get("topic_type", "standard") != "standard":
        raise AnsibleFilterError(f"{_NAME}: only a standard topic is compared, got {topic['topic_type']!r}")
    if topic.get("state", "present") != "present":
        raise AnsibleFilterError(f"{_NAME}: only state present is compared, got {topic['state']!r}")


def sns_topics_to_put(topics, existing):
    if not is_sequence(topics) or not is_sequence(existing):
        raise AnsibleFilterError(f"{_NAME}: the topics and the existing topics must be lists")
    changes = []
    for topic in topics:
        _check(topic)
        # topic_arn_lookup: the first topic whose ARN ends with ":<name>" (a name has no colon).
        found = next((one for one in existing if str(one.get("topic_arn", "")).endswith(f":{topic['name']}")), None)
        if _differs(topic, found):
            changes.append(topic)
    return changes


class FilterModule(object):
    def filters(self):
        return {"sns_topics_to_put": sns_topics_to_put}
