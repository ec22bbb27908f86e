"""The dns role against the emulator: converge with the network (zone, ALIAS records, certificate
validated in the zone, HTTPS listener, HTTP redirected), a second run of both changes nothing (the
network role leaves the redirect alone), check mode changes nothing, the published site host;
without a domain the role makes nothing and the site host is the load balancer; a registered
domain's name servers follow the zone; bad input fails before any AWS call, naming the variable."""

from __future__ import annotations

import pytest

from tests.integration.ansible_runner import run_playbook

INVENTORY = "tests/integration/inventory"
PLAYBOOK = "dns.yml"
DOMAIN = "sample.example"  # inventories/local/group_vars/all/stack.yml
REDIRECT = {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "Host": "#{host}",
                                                   "Path": "/#{path}", "Query": "#{query}", "StatusCode": "HTTP_301"}}


@pytest.fixture(scope="module")
def converged(emulator, aws_env):
    emulator.reset()
    result = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, args=("--tags", "network,dns"))
    assert result.rc == 0, result.stdout[-4000:]
    return result


@pytest.fixture(scope="module")
def outputs(converged):
    return converged.outputs["dns_outputs"]


@pytest.fixture(scope="module")
def network(converged):
    return converged.outputs["network_outputs"]


def _listeners(aws, alb_arn):
    return {entry["Port"]: entry for entry in aws("elbv2").describe_listeners(LoadBalancerArn=alb_arn)["Listeners"]}


def test_converge_publishes_the_site_host(converged, outputs):
    assert converged.changed > 0
    assert outputs["domain"] == DOMAIN
    assert outputs["site_host"] == DOMAIN
    assert outputs["site_url"] == f"https://{DOMAIN}"
    assert outputs["certificate_status"] == "ISSUED"
    for key in ("public_zone_id", "certificate_arn", "https_listener_arn"):
        assert outputs[key], key
    assert len(outputs["name_servers"]) == 4


def test_public_zone_has_alias_records_to_the_load_balancer(outputs, network, aws):
    route53 = aws("route53")
    zone = route53.get_hosted_zone(Id=outputs["public_zone_id"])
    assert zone["HostedZone"]["Name"].rstrip(".") == DOMAIN
    assert zone["HostedZone"]["Config"]["PrivateZone"] is False
    assert sorted(zone["DelegationSet"]["NameServers"]) == sorted(outputs["name_servers"])
    records = route53.list_resource_record_sets(HostedZoneId=outputs["public_zone_id"])["ResourceRecordSets"]
    aliases = {r["Name"].rstrip("."): r["AliasTarget"] for r in records if r["Type"] == "A"}
    assert set(aliases) == {DOMAIN, f"www.{DOMAIN}"}
    for target in aliases.values():
        assert target["DNSName"].rstrip(".").lower() == network["alb_dns_name"].lower()
        assert target["HostedZoneId"] == network["alb_zone_id"]
        assert target["EvaluateTargetHealth"] is True


def test_certificate_covers_apex_and_www_and_is_validated_in_the_zone(outputs, aws):
    certificate = aws("acm").describe_certificate(CertificateArn=outputs["certificate_arn"])["Certificate"]
    assert sorted(certificate["SubjectAlternativeNames"]) == sorted([DOMAIN, f"www.{DOMAIN}"])
    assert certificate["Status"] == "ISSUED"
    records = aws("route53").list_resource_record_sets(HostedZoneId=outputs["public_zone_id"])["ResourceRecordSets"]
    cnames = {(r["Name"], r["ResourceRecords"][0]["Value"]) for r in records if r["Type"] == "CNAME"}
    wanted = {(o["ResourceRecord"]["Name"], o["ResourceRecord"]["Value"])
              for o in certificate["DomainValidationOptions"]}
    assert wanted
    assert wanted <= cnames


def test_https_listener_forwards_and_http_redirects(outputs, network, aws):
    listeners = _listeners(aws, network["alb_arn"])
    assert set(listeners) == {80, 443}
    https = listeners[443]
    assert https["ListenerArn"] == outputs["https_listener_arn"]
    assert https["Protocol"] == "HTTPS"
    assert https["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert [c["CertificateArn"] for c in https["Certificates"]] == [outputs["certificate_arn"]]
    assert https["DefaultActions"] == [{"Type": "forward", "TargetGroupArn": network["target_group_arn"]}]
    assert listeners[80]["Protocol"] == "HTTP"
    assert listeners[80]["DefaultActions"] == [REDIRECT]


def test_second_run_of_network_and_dns_changes_nothing_and_keeps_the_redirect(converged, network, aws_env, aws):
    again = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, args=("--tags", "network,dns"))
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()
    assert _listeners(aws, network["alb_arn"])[80]["DefaultActions"] == [REDIRECT]


def test_network_alone_after_dns_leaves_the_http_listener_to_dns(converged, network, aws_env, aws):
    alone = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, args=("--tags", "network"))
    assert alone.rc == 0, alone.stdout[-4000:]
    assert alone.changed == 0, alone.changed_tasks()
    assert _listeners(aws, network["alb_arn"])[80]["DefaultActions"] == [REDIRECT]


def test_check_mode_on_the_converged_dns_reports_no_change(converged, aws_env):
    check = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, check=True, args=("--tags", "dns"))
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed == 0, check.changed_tasks()


def test_lookup_alone_finds_the_same_outputs(converged, outputs, aws_env, recording):
    with recording() as rec:
        found = run_playbook("dns_lookup.yml", aws_env, inventory=INVENTORY)
    assert found.rc == 0, found.stdout[-4000:]
    assert found.outputs["dns_outputs"] == outputs
    reads = ("Describe", "Get", "List", "GET")
    assert [c for c in rec.summary()["by_call"] if not c.split(":", 1)[1].startswith(reads)] == []


def test_without_a_domain_the_site_host_is_the_load_balancer(converged, network, aws_env, recording):
    with recording() as rec:
        result = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, extra_vars={"stack_domain": ""},
                              args=("--tags", "dns"))
    assert result.rc == 0, result.stdout[-4000:]
    assert result.changed == 0, result.changed_tasks()
    assert result.outputs["dns_outputs"]["site_host"] == network["alb_dns_name"]
    assert result.outputs["dns_outputs"]["site_url"] == f"http://{network['alb_dns_name']}"
    assert result.outputs["dns_outputs"]["public_zone_id"] == ""
    calls = rec.summary()["by_call"]
    assert not [c for c in calls if c.startswith("acm:")], calls
    reads = ("Describe", "Get", "List", "GET")
    assert [c for c in calls if not c.split(":", 1)[1].startswith(reads)] == []


def test_a_registered_domain_gets_the_zone_name_servers(converged, aws_env, aws):
    """The registration path of the role on a domain registered beforehand (moto has no
    CheckDomainAvailability, so the module cannot register one itself here): Route 53 made a zone
    when it registered the domain; the role adopts it and points the domain at it."""
    domain = "registered-stack.com"
    contact = {"FirstName": "Jane", "LastName": "Doe", "ContactType": "PERSON", "AddressLine1": "1 Main Street",
               "City": "Seattle", "CountryCode": "US", "PhoneNumber": "+1.2065550100", "Email": "jane@example.com"}
    # DurationInYears=2: moto rejects 1 year (a date bug in its expiry check).
    aws("route53domains", "us-east-1").register_domain(DomainName=domain, DurationInYears=2, AdminContact=contact,
                                                       RegistrantContact=contact, TechContact=contact)
    variables = {"stack_domain": domain, "dns_domain_register": True,
                 "dns_domain_contact": {"first_name": "Jane", "last_name": "Doe", "address_line_1": "1 Main Street",
                                        "city": "Seattle", "country_code": "US", "phone_number": "+1.2065550100",
                                        "email": "jane@example.com"}}
    first = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, extra_vars=variables, args=("--tags", "dns"))
    assert first.rc == 0, first.stdout[-4000:]
    zones = [z for z in aws("route53").list_hosted_zones()["HostedZones"] if z["Name"].rstrip(".") == domain]
    assert len(zones) == 1, "the zone Route 53 made at registration is adopted, not doubled"
    name_servers = aws("route53").get_hosted_zone(Id=zones[0]["Id"])["DelegationSet"]["NameServers"]
    detail = aws("route53domains", "us-east-1").get_domain_detail(DomainName=domain)
    assert sorted(n["Name"] for n in detail["Nameservers"]) == sorted(name_servers)
    assert first.outputs["dns_outputs"]["site_host"] == domain
    again = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, extra_vars=variables, args=("--tags", "dns"))
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()


@pytest.mark.parametrize(
    ("extra_vars", "message"),
    [
        pytest.param({"stack_domain": "not a domain"}, "stack_domain must be a domain name", id="not-a-domain"),
        pytest.param({"stack_domain": "example.com."}, "stack_domain must be a domain name", id="trailing-dot"),
        pytest.param({"dns_certificate_extra_names": ["www.elsewhere.example"]},
                     "dns_certificate_extra_names: 'www.elsewhere.example' is not a name inside the zone",
                     id="san-outside"),
        pytest.param({"dns_certificate_extra_names": ["notsample.example"]},
                     "dns_certificate_extra_names: 'notsample.example' is not a name inside the zone",
                     id="san-suffix-but-not-subdomain"),
        pytest.param({"dns_domain_register": True}, "dns_domain_register is true, so dns_domain_contact needs",
                     id="register-without-contact"),
        pytest.param({"dns_domain_register": True, "dns_domain_contact": {"first_name": "Jane"}},
                     "dns_domain_contact needs last_name, address_line_1", id="register-with-partial-contact"),
        pytest.param({"dns_record_names": ["bad_name"]}, "dns_record_names: 'bad_name'", id="bad-record-name"),
    ],
)
def test_bad_input_fails_before_any_aws_call(emulator, aws_env, recording, extra_vars, message):
    with recording() as rec:
        result = run_playbook(PLAYBOOK, aws_env, extra_vars=extra_vars, inventory=INVENTORY, args=("--tags", "dns"))
    assert result.rc != 0
    assert message in result.stdout
    assert rec.summary()["total"] == 0, rec.summary()
