"""aws_intro.stack.without_keys: drops matching keys at every depth, keeps the rest, refuses bad patterns."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.aws_intro.stack.plugins.filter.without_keys import FilterModule, without_keys

OUTPUTS = {
    "database_outputs": {"address": "db.home", "master_password_parameter": "/s/db/master", "master_password": "x",
                         "port": 3306},
    "mail_outputs": {"smtp_username": "AKIA", "smtp_secret": "y", "nested": [{"token": "z", "keep": 1}]},
    "empty": {},
}


def test_drops_the_matching_keys_at_every_depth_and_keeps_the_rest():
    assert without_keys(OUTPUTS, ["password$", "secret$", "token$", "^smtp_username$"]) == {
        "database_outputs": {"address": "db.home", "master_password_parameter": "/s/db/master", "port": 3306},
        "mail_outputs": {"nested": [{"keep": 1}]},
        "empty": {},
    }


def test_leaves_the_input_as_it_was():
    before = repr(OUTPUTS)
    without_keys(OUTPUTS, ["password$"])
    assert repr(OUTPUTS) == before


def test_no_pattern_copies_everything_and_scalars_pass_through():
    assert without_keys(OUTPUTS, []) == OUTPUTS
    assert without_keys("text", ["t"]) == "text"
    assert without_keys({1: "a", "one": "b"}, ["."]) == {1: "a"}


@pytest.mark.parametrize("patterns", ["password$", None, 3])
def test_refuses_patterns_that_are_not_a_list(patterns):
    with pytest.raises(AnsibleFilterError, match="must be a list"):
        without_keys(OUTPUTS, patterns)


def test_refuses_a_pattern_that_is_not_a_regular_expression():
    with pytest.raises(AnsibleFilterError, match="not a regular expression"):
        without_keys(OUTPUTS, ["("])


def test_is_registered_under_its_name():
    assert FilterModule().filters() == {"without_keys": without_keys}
