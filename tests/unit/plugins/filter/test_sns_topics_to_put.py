"""aws_intro.stack.sns_topics_to_put: a topic is left out exactly when community.aws.sns_topic would report it
unchanged. Checked against the upstream module itself (its main(), in check mode) on a topic made by moto in-process
and read back by the upstream sns_topic_info, and on the subscription states moto does not make."""

from __future__ import annotations

import boto3
import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.aws_intro.stack.plugins.filter.sns_topics_to_put import FilterModule, sns_topics_to_put
from ansible_collections.community.aws.plugins.modules import sns_topic as upstream
from ansible_collections.community.aws.plugins.modules import sns_topic_info as upstream_info

NAME = "sample-alarms"
TAGS = {"Stack": "sample", "ManagedBy": "aws_intro.stack", "Name": NAME}
EMAILS = [{"protocol": "email", "endpoint": "ops@example.com"}, {"protocol": "email", "endpoint": "dba@example.com"}]


@pytest.fixture
def topic(moto_ec2):
    """A topic whose name ends like the alarms' topic, then the alarms' topic (a display name, TAGS, two email
    subscriptions and an SMS one), each read back by sns_topic_info as a role reads it."""
    sns = boto3.client("sns", region_name=moto_ec2.region)
    other = sns.create_topic(Name=f"other-{NAME}")["TopicArn"]
    arn = sns.create_topic(Name=NAME, Attributes={"DisplayName": "sample alarms"},
                           Tags=[{"Key": key, "Value": value} for key, value in TAGS.items()])["TopicArn"]
    for subscription in [*EMAILS, {"protocol": "sms", "endpoint": "+821012345678"}]:
        sns.subscribe(TopicArn=arn, Protocol=subscription["protocol"], Endpoint=subscription["endpoint"])
    return [moto_ec2.run(upstream_info, {"topic_arn": one})["result"]["sns_topic"] for one in (other, arn)]


def candidates():
    subscriptions = [*EMAILS, {"protocol": "sms", "endpoint": "+821012345678"}]
    topic = {"name": NAME, "display_name": "sample alarms", "subscriptions": subscriptions, "tags": TAGS}
    return [
        topic,
        {**topic, "display_name": "other alarms"},
        {**topic, "display_name": ""},  # no display name given: the module leaves it
        {**topic, "subscriptions": [*subscriptions[1:], subscriptions[0]]},  # order does not count
        {**topic, "subscriptions": [*EMAILS, {"protocol": "sms", "endpoint": "+82 10-1234-5678"}]},  # E.164 digits
        {**topic, "subscriptions": [*subscriptions, {"protocol": "email", "endpoint": "new@example.com"}]},
        {**topic, "subscriptions": EMAILS},  # purge: the SMS subscription would go
        {**topic, "subscriptions": EMAILS, "purge_subscriptions": False},
        {**topic, "subscriptions": EMAILS, "purge_subscriptions": "no"},  # as the module's type=bool reads it
        {**topic, "subscriptions": []},  # purge with none: every confirmed subscription would go
        {**topic, "subscriptions": [{"protocol": "email", "endpoint": "OPS@example.com"}, *subscriptions[1:]]},
        {**topic, "tags": {**TAGS, "Name": "other"}},
        {**topic, "tags": {"Name": NAME}},  # purge_tags: the other tags would go
        {**topic, "tags": {"Name": NAME}, "purge_tags": False},
        {**topic, "tags": None},  # no tags given: the module leaves them
        {**topic, "tags": {}},  # purge with no tags: every tag would go
    ]


# The module's check mode cannot say it for a topic to create: it fails (a display name "not owned by this account",
# then subscriptions and tags read for no ARN). A missing topic is one to create.
@pytest.mark.parametrize("name", [
    "sample",  # a topic whose ARN ends in "-sample" (other-sample-alarms) is not it
    f"more-{NAME}",  # though another topic's name ends like it
    NAME.upper(),  # topic names are case-sensitive
])
def test_a_missing_topic_is_returned(topic, name):
    assert sns_topics_to_put([{**candidates()[0], "name": name}], topic) == [{**candidates()[0], "name": name}]


def test_leaves_out_exactly_the_topics_the_module_would_not_change(topic, moto_ec2):
    wanted = candidates()
    options = ("name", "display_name", "subscriptions", "purge_subscriptions", "tags", "purge_tags")
    expected = [one for one in wanted if moto_ec2.run(upstream, {
        key: value for key, value in one.items() if key in options and value is not None})["changed"]]
    assert sns_topics_to_put(wanted, topic) == expected
    # Both kinds are exercised: some topics are in place, some are not.
    assert 0 < len(expected) < len(wanted)
    assert wanted[0] not in expected
    assert wanted[4] not in expected


def read(*subscriptions):
    """sns_topic_info's sns_topic with these (protocol, endpoint, subscription ARN)."""
    return {"topic_arn": f"arn:aws:sns:ap-northeast-2:123456789012:{NAME}", "display_name": "", "tags": {},
            "subscriptions": [{"protocol": protocol, "endpoint": endpoint, "subscription_arn": arn}
                              for protocol, endpoint, arn in subscriptions]}


@pytest.mark.parametrize(("arn", "differs"), [
    ("PendingConfirmation", False),  # an email subscription until its address confirms: never purged
    ("Deleted", False),
    (f"arn:aws:sns:ap-northeast-2:123456789012:{NAME}:0f7a", True),  # confirmed: purged
])
def test_only_confirmed_subscriptions_are_purged(arn, differs):
    topic = {"name": NAME, "subscriptions": [EMAILS[0]]}
    found = read(("email", EMAILS[0]["endpoint"], "PendingConfirmation"), ("email", "old@example.com", arn))
    assert sns_topics_to_put([topic], [found]) == ([topic] if differs else [])


def test_a_pending_subscription_is_not_subscribed_again():
    topic = {"name": NAME, "subscriptions": [EMAILS[0]]}
    assert sns_topics_to_put([topic], [read(("email", EMAILS[0]["endpoint"], "PendingConfirmation"))]) == []


@pytest.mark.parametrize(("topics", "message"), [
    ([{"display_name": "x"}], "needs a name"),
    ([{"name": f"arn:aws:sns:ap-northeast-2:123456789012:{NAME}"}], "by its name, not its ARN"),
    ([{"name": NAME, "policy": {"Version": "2012-10-17"}}], "policy not compared"),
    ([{"name": NAME, "delivery_policy": {"http": {}}}], "delivery_policy not compared"),
    ([{"name": NAME, "topic_type": "fifo"}], "only a standard topic"),
    ([{"name": NAME, "state": "absent"}], "only state present"),
    ([{"name": NAME, "subscriptions": [{"protocol": "sqs", "endpoint": "arn:q",
                                        "attributes": {"RawMessageDelivery": True}}]}], "attributes are not compared"),
    ([{"name": NAME, "subscriptions": [{"protocol": "email"}]}], "needs protocol and endpoint"),
    ([{"name": NAME, "subscriptions": "ops@example.com"}], "must be a list"),
    ([{"name": NAME, "purge_subscriptions": "maybe"}], "purge_subscriptions .* is not a boolean"),
    ([{"name": NAME, "tags": ["Name"]}], "tags must be a dictionary"),
    ("topic", "must be lists"),
])
def test_refuses_what_it_cannot_compare(topics, message):
    with pytest.raises(AnsibleFilterError, match=message):
        sns_topics_to_put(topics, [read()])


def test_is_registered_under_its_name():
    assert FilterModule().filters() == {"sns_topics_to_put": sns_topics_to_put}
