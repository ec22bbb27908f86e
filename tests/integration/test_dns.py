"""The dns role against the emulator: converge with the network (zone, ALIAS records, certificate
validated in the zone; the network role's listeners serve it: HTTPS, HTTP redirected), a second run of
both changes nothing, the network role alone keeps serving the certificate (playbooks/cloud.yml reads it
first), check mode changes nothing, the published site host;
without a domain the role makes nothing and the site host is the load balancer; a registered
domain's name servers follow the zone; bad input fails before any AWS call, naming the variable, and
a reserved stack_domain stops playbooks/cloud.yml before its first role. Before waiting for the
certificate the role says whether the domain is delegated to its zone (asking a stub resolver on
127.0.0.1) with the zone's name servers, and a timeout names them (an emulator of its own that
issues certificates only after an hour)."""

from __future__ import annotations

import re
from pathlib import Path

import boto3
import pytest

from local.emulator.server import DEFAULT_REGION, MotoServer, free_port
from tests.integration.ansible_runner import run_playbook
from tests.integration.stack_network import build_network

INVENTORY = "tests/integration/inventory"
PLAYBOOK = "dns.yml"
DOMAIN = "aws-intro-sample.com"  # inventories/local/group_vars/all/stack.yml
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
    for key in ("public_zone_id", "certificate_arn"):
        assert outputs[key], key
    assert "https_listener_arn" not in outputs  # the listeners are the network role's
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
    assert https["ListenerArn"] == network["alb_https_listener_arn"]
    assert network["alb_certificate_arn"] == outputs["certificate_arn"]
    assert https["Protocol"] == "HTTPS"
    assert https["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert [c["CertificateArn"] for c in https["Certificates"]] == [outputs["certificate_arn"]]
    assert https["DefaultActions"] == [{"Type": "forward", "TargetGroupArn": network["target_group_arn"]}]
    assert listeners[80]["Protocol"] == "HTTP"
    assert listeners[80]["DefaultActions"] == [REDIRECT]


def test_second_run_of_network_and_dns_changes_nothing_and_keeps_the_redirect(converged, network, aws_env, aws,
                                                                              recording):
    with recording() as rec:
        again = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, args=("--tags", "network,dns"))
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()
    # The certificate is described twice: by the play's read of dns_outputs before the network role, and by
    # acm_certificate_request, which returns what it read when it changed nothing. The role's own lookup does not
    # read again what the play's read found: the same zone and the same issued certificate.
    calls = rec.summary()["by_call"]
    assert (calls["acm:DescribeCertificate"], calls["acm:ListTagsForCertificate"]) == (2, 2), calls
    assert calls["route53:GET /2013-04-01/hostedzonesbyname"] == 1, calls
    assert _listeners(aws, network["alb_arn"])[80]["DefaultActions"] == [REDIRECT]


def test_network_alone_keeps_serving_the_issued_certificate(converged, outputs, network, aws_env, aws):
    alone = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, args=("--tags", "network"))
    assert alone.rc == 0, alone.stdout[-4000:]
    assert alone.changed == 0, alone.changed_tasks()
    listeners = _listeners(aws, network["alb_arn"])
    assert listeners[80]["DefaultActions"] == [REDIRECT]
    assert [c["CertificateArn"] for c in listeners[443]["Certificates"]] == [outputs["certificate_arn"]]


def test_without_the_certificate_the_network_role_serves_http_alone(converged, network, aws_env, aws):
    """The network role owns every listener: given no certificate it removes HTTPS and HTTP forwards again;
    the next whole run serves the certificate again."""
    plain = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, extra_vars={"network_certificate_arn": ""},
                         args=("--tags", "network"))
    assert plain.rc == 0, plain.stdout[-4000:]
    assert plain.changed > 0
    listeners = _listeners(aws, network["alb_arn"])
    assert set(listeners) == {80}
    assert listeners[80]["DefaultActions"] == [{"Type": "forward", "TargetGroupArn": network["target_group_arn"]}]
    back = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, args=("--tags", "network,dns"))
    assert back.rc == 0, back.stdout[-4000:]
    assert back.changed > 0
    listeners = _listeners(aws, network["alb_arn"])
    assert set(listeners) == {80, 443}
    assert listeners[80]["DefaultActions"] == [REDIRECT]


def test_check_mode_on_the_converged_dns_reports_no_change(converged, aws_env):
    check = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, check=True, args=("--tags", "dns"))
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed == 0, check.changed_tasks()


def test_lookup_alone_finds_the_same_outputs(converged, outputs, aws_env, recording):
    with recording() as rec:
        found = run_playbook("dns_lookup.yml", aws_env, inventory=INVENTORY)
    assert found.rc == 0, found.stdout[-4000:]
    assert found.outputs["dns_outputs"] == outputs
    assert rec.writes() == {}


def test_without_a_domain_the_site_host_is_the_load_balancer(converged, network, aws_env, recording):
    """stack_domain "" (the AWS inventory's default) through the dns and mail roles: nothing is made
    (no zone, certificate, SES identity or SMTP user), on any run and in check mode."""
    variables = {"stack_domain": "", "test_output_vars": ["dns_outputs", "mail_outputs"]}
    with recording() as rec:
        result = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, extra_vars=variables, args=("--tags", "dns,mail"))
    assert result.rc == 0, result.stdout[-4000:]
    assert result.changed == 0, result.changed_tasks()
    assert result.outputs["dns_outputs"]["site_host"] == network["alb_dns_name"]
    assert result.outputs["dns_outputs"]["site_url"] == f"http://{network['alb_dns_name']}"
    assert result.outputs["dns_outputs"]["public_zone_id"] == ""
    assert result.outputs["mail_outputs"]["smtp_address"] == result.outputs["mail_outputs"]["identity"] == ""
    assert "Mail is off" in result.stdout
    calls = rec.summary()["by_call"]
    # iam:ListAccountAliases is the account check's read (playbooks/tasks/check_account.yml), not the mail role's.
    assert not [c for c in calls if c.startswith(("acm:", "iam:")) and c != "iam:ListAccountAliases"], calls
    assert rec.writes() == {}
    for check in (False, True):
        again = run_playbook(PLAYBOOK, aws_env, inventory=INVENTORY, extra_vars=variables, check=check,
                             args=("--tags", "dns,mail"))
        assert again.rc == 0, again.stdout[-4000:]
        assert again.changed == 0, again.changed_tasks()
        assert again.outputs == result.outputs


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
        pytest.param({"stack_domain": f"{DOMAIN}."}, "stack_domain must be a domain name", id="trailing-dot"),
        pytest.param({"dns_certificate_extra_names": ["www.elsewhere.com"]},
                     "dns_certificate_extra_names: 'www.elsewhere.com' is not a name inside the zone",
                     id="san-outside"),
        pytest.param({"dns_certificate_extra_names": [f"not{DOMAIN}"]},
                     f"dns_certificate_extra_names: 'not{DOMAIN}' is not a name inside the zone",
                     id="san-suffix-but-not-subdomain"),
        pytest.param({"dns_domain_register": True}, "dns_domain_register is true, so dns_domain_contact needs",
                     id="register-without-contact"),
        pytest.param({"dns_domain_register": True, "dns_domain_contact": {"first_name": "Jane"}},
                     "dns_domain_contact needs last_name, address_line_1", id="register-with-partial-contact"),
        pytest.param({"dns_record_names": ["bad_name"]}, "dns_record_names: 'bad_name'", id="bad-record-name"),
        pytest.param({"dns_delegation_resolvers": ["dns.google"]}, "dns_delegation_resolvers must be IPv4 addresses",
                     id="resolver-not-an-address"),
    ],
)
def test_bad_input_fails_before_any_aws_call(emulator, aws_env, recording, extra_vars, message):
    with recording() as rec:
        result = run_playbook(PLAYBOOK, aws_env, extra_vars=extra_vars, inventory=INVENTORY, args=("--tags", "dns"))
    assert result.rc != 0
    assert message in result.stdout
    assert rec.summary()["total"] == 0, rec.summary()


# RFC 2606 sections 2 and 3, RFC 6761 section 6: never delegated, refused by Route 53.
RESERVED = ["example.com", "example.net", "example.org", "www.example.com", "shop.example.org",
            "sample.test", "sample.example", "site.invalid", "app.localhost"]


def network_tasks_past_its_checks(stdout: str) -> list[str]:
    """The network role's tasks that ran, but its checks (cloud.yml runs every role's checks first)."""
    return [task for task in re.findall(r"^TASK \[aws_intro\.stack\.network : ([^\]]+)\]", stdout, re.MULTILINE)
            if not task.startswith(("Validating arguments against arg spec 'validate'", "Check "))]


def flat(text):
    """Output with its line wrapping and quoting undone (the YAML callback folds long messages and
    doubles the single quotes of a single-quoted one)."""
    return " ".join(text.split()).replace("''", "'")


@pytest.mark.parametrize("domain", RESERVED)
def test_a_reserved_domain_stops_the_whole_run_before_any_aws_call(emulator, aws_env, recording, domain):
    with recording() as rec:
        result = run_playbook("playbooks/cloud.yml", aws_env, inventory=INVENTORY, extra_vars={"stack_domain": domain})
    assert result.rc != 0
    assert result.failed == 1
    reserved = f"stack_domain '{domain}' is reserved for documentation and testing (RFC 2606, RFC 6761"
    assert reserved in flat(result.stdout)
    assert network_tasks_past_its_checks(result.stdout) == []
    assert rec.summary()["total"] == 0, rec.summary()


@pytest.mark.parametrize(
    ("tags", "extra_vars", "message"),
    [
        pytest.param("dns", {"stack_domain": "example.com"}, "stack_domain 'example.com' is reserved", id="dns"),
        pytest.param("mail", {"stack_domain": "example.com"}, "stack_domain 'example.com' is reserved", id="mail"),
        pytest.param("network,mail", {"stack_domain": "example.com"}, "stack_domain 'example.com' is reserved",
                     id="network-and-mail"),
        pytest.param("mail", {"mail_domain": "mail.example.net"},
                     "mail_domain 'mail.example.net' (by default stack_domain) is reserved", id="mail-domain"),
    ],
)
def test_a_reserved_domain_stops_the_tags_that_use_it(emulator, aws_env, recording, tags, extra_vars, message):
    with recording() as rec:
        result = run_playbook("playbooks/cloud.yml", aws_env, inventory=INVENTORY, extra_vars=extra_vars,
                              args=("--tags", tags))
    assert result.rc != 0
    assert message in flat(result.stdout)
    assert network_tasks_past_its_checks(result.stdout) == []
    assert rec.summary()["total"] == 0, rec.summary()


@pytest.mark.parametrize("domain", ["", "myexample.com", "example.co", "examples.org", "test.com", "invalid.net",
                                    "localhost.io", "sample.example.co.uk", DOMAIN])
def test_names_that_only_look_reserved_pass_the_checks(emulator, aws_env, recording, domain):
    with recording() as rec:
        result = run_playbook("dns_validate.yml", aws_env, inventory=INVENTORY, extra_vars={"stack_domain": domain})
    assert result.rc == 0, result.stdout[-3000:]
    assert rec.summary()["total"] == 0, rec.summary()


# The delegation check and the wait's timeout, on an emulator of its own whose certificates stay
# PENDING_VALIDATION for an hour (as on AWS while the validation record does not resolve publicly).
WAIT = 5  # dns_certificate_wait_timeout of these runs
PARKING = ["ns1.parking-registrar.net", "ns2.parking-registrar.net"]
WAIT_TASK = "TASK [aws_intro.stack.dns : Wait until ACM has issued the certificate"


@pytest.fixture(scope="module")
def slow_acm():
    with MotoServer(env={"MOTO_ACM_VALIDATION_WAIT": "3600"}) as server:
        yield server


def _clients(server):
    def client(service, region=DEFAULT_REGION):
        return boto3.client(service, endpoint_url=server.url, region_name=region,
                            aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106
    return client


def _build_load_balancer(aws, network):
    """The load balancer and target group the network role makes, by name (what its lookup finds)."""
    elbv2 = aws("elbv2")
    alb = elbv2.create_load_balancer(Name="sample-alb", Subnets=network["public_subnet_ids"],
                                     SecurityGroups=[network["security_group_ids"]["alb"]], Scheme="internet-facing",
                                     Type="application")["LoadBalancers"][0]
    group = elbv2.create_target_group(Name="sample-web", Protocol="HTTP", Port=80, VpcId=network["vpc_id"],
                                      TargetType="instance")["TargetGroups"][0]
    elbv2.create_listener(LoadBalancerArn=alb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                          DefaultActions=[{"Type": "forward", "TargetGroupArn": group["TargetGroupArn"]}])


def _run_slow(server, resolver_port, **extra):
    variables = {"dns_certificate_wait_timeout": WAIT, "dns_delegation_resolvers": ["127.0.0.1"],
                 "dns_delegation_resolver_port": resolver_port, **extra}
    return run_playbook(PLAYBOOK, server.environ(), inventory=INVENTORY, extra_vars=variables, args=("--tags", "dns"))


def _zone_name_servers(aws):
    (zone,) = [z for z in aws("route53").list_hosted_zones()["HostedZones"] if z["Name"] == f"{DOMAIN}."]
    return sorted(n.lower() for n in aws("route53").get_hosted_zone(Id=zone["Id"])["DelegationSet"]["NameServers"])


def _listed_name_servers(text):
    """Every list of name servers printed after 'exactly these four:' in the (flattened) output."""
    return [sorted(found.split(", ")) for found in re.findall(r"exactly these four: ([^;]+);", text)]


def _before_and_after_the_wait(text, said):
    """The output up to the wait task that follows `said`, and the output of the failure after it."""
    wait = text.index(WAIT_TASK, text.index(said))  # the wait comes after what was said
    return text[:wait], text[text.index("TASK [aws_intro.stack.dns : Fail, naming the name servers", wait):]


@pytest.fixture(scope="module")
def timed_out(slow_acm):
    """A first run of the dns role and its wait step (playbooks/cloud.yml, tag dns) where nothing
    answers DNS on 127.0.0.1 (a free port): it makes the zone and the certificate, then times out."""
    aws = _clients(slow_acm)
    _build_load_balancer(aws, build_network(aws))
    result = _run_slow(slow_acm, free_port())
    return result, aws


def test_the_timeout_names_the_zone_name_servers_to_delegate_to(timed_out):
    result, aws = timed_out
    assert result.rc != 0
    assert result.failed == 1
    name_servers = _zone_name_servers(aws)
    assert len(name_servers) == 4
    text = flat(result.stdout)
    # Printed before the wait, worded for a resolver that does not answer, then in the failure.
    before, failure = _before_and_after_the_wait(
        text, f"Cannot tell whether {DOMAIN} is delegated to its Route 53 zone: no answer from DNS")
    assert _listed_name_servers(before) == [name_servers]
    assert _listed_name_servers(failure)
    assert all(found == name_servers for found in _listed_name_servers(failure))
    assert f"The certificate of {DOMAIN} was not issued within dns_certificate_wait_timeout ({WAIT} s)." in failure
    assert f"Delegate {DOMAIN} to its Route 53 zone: at the domain's registrar, set its name servers" in failure
    assert "or set dns_domain_register: true" in failure
    assert "stays PENDING_VALIDATION until its validation CNAME" in failure
    assert "fails after 72 hours (AWS Certificate Manager User Guide, \"DNS validation\")" in failure
    assert "(ACM: timed out waiting for the issue of certificate" in failure
    (certificate,) = aws("acm").list_certificates()["CertificateSummaryList"]
    assert certificate["Status"] == "PENDING_VALIDATION"


@pytest.mark.parametrize(
    ("answer", "said", "advice"),
    [
        pytest.param(None, f"{DOMAIN} is NOT delegated to its Route 53 zone: DNS answers that it does not exist "
                     "(NXDOMAIN).", True, id="nxdomain"),
        pytest.param(PARKING, f"{DOMAIN} is NOT delegated to its Route 53 zone: DNS answers the name servers "
                     f"{', '.join(PARKING)}, not the zone's.", True, id="elsewhere"),
        pytest.param("zone", f"{DOMAIN} is delegated to its Route 53 zone: DNS answers the zone's name servers",
                     False, id="delegated"),
    ],
)
def test_the_delegation_is_told_before_the_wait(timed_out, slow_acm, answer, said, advice):
    pytest.importorskip("dns.message", reason="the stub resolver and community.general.dig need dnspython")
    from tests.integration.stub_resolver import StubResolver

    _first, aws = timed_out
    name_servers = _zone_name_servers(aws)
    answers = {} if answer is None else {DOMAIN: name_servers if answer == "zone" else answer}
    with StubResolver(answers) as stub:
        result = _run_slow(slow_acm, stub.port)
    assert (DOMAIN, "NS") in stub.queries
    assert result.rc != 0
    assert result.failed == 1
    text = flat(result.stdout)
    before, failure = _before_and_after_the_wait(text, said)
    assert _listed_name_servers(before) == ([name_servers] if advice else [])
    assert all(found == name_servers for found in _listed_name_servers(failure))
    if advice:
        assert _listed_name_servers(failure)
        assert f"Delegate {DOMAIN} to its Route 53 zone" in failure
    else:
        assert f"DNS answers the zone's name servers {', '.join(name_servers)}." in before
        assert "DNS answers the zone's name servers, so the validation record may not have spread yet." in failure
        assert f"Delegate {DOMAIN}" not in failure


# ACM and Elastic Load Balancing are eventually consistent: an emulator of its own issues the certificate ISSUE_AFTER s
# after the request (so the role's wait step really waits for it), and its load balancer answers CertificateNotFound
# for ATTACH_AFTER s after ACM first reported it ISSUED (local/emulator/layer.py, LAYER_ACM_ATTACH_SECONDS).
# The window must hold what runs between ACM's ISSUED and the first listener call (the dns role's lookup, then the
# network role's listeners entry point): 13.6 s on an idle 2-core machine, more under CI's load, where 8 s let the
# race pass unseen. 60 s is half the role's retry budget (40 x 3 s).
ISSUE_AFTER = 20
ATTACH_AFTER = 60
LISTENER_TASK = "Application load balancer and its listeners"  # roles/network/tasks/alb.yml


def test_the_https_listener_is_tried_again_until_the_load_balancer_finds_the_certificate():
    env = {"MOTO_ACM_VALIDATION_WAIT": str(ISSUE_AFTER), "LAYER_ACM_ATTACH_SECONDS": str(ATTACH_AFTER)}
    with MotoServer(env=env) as server:
        aws = _clients(server)
        network = build_network(aws)
        _build_load_balancer(aws, network)
        result = _run_slow(server, free_port(), dns_certificate_wait_timeout=120)
        log = (Path(server.workdir) / "moto.log").read_text()
        assert result.rc == 0, result.stdout[-4000:]
        layer_lines = [line for line in log.splitlines() if line.startswith("layer:")]
        assert "layer: refused certificate" in log, layer_lines  # the race happened ...
        assert re.search(rf"FAILED - RETRYING: \[localhost\]: .*{LISTENER_TASK}", result.stdout)  # ... and was retried
        (alb,) = aws("elbv2").describe_load_balancers(Names=["sample-alb"])["LoadBalancers"]
        listeners = {entry["Port"]: entry for entry in aws("elbv2").describe_listeners(
            LoadBalancerArn=alb["LoadBalancerArn"])["Listeners"]}
        (certificate,) = aws("acm").list_certificates()["CertificateSummaryList"]
        assert listeners[443]["Certificates"] == [{"CertificateArn": certificate["CertificateArn"]}]
        assert listeners[80]["DefaultActions"] == [REDIRECT]
