# aws_intro.stack: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Prepended once: `make test` calls make again, which must not add the venv a second time.
export PATH := $(abspath $(BIN)):$(subst $(abspath $(BIN)):,,$(PATH))
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
STACK_REGION ?= ap-northeast-2
DEMO_DIR ?= .demo
# The demo's stack_name (inventories/local): demo-down removes the containers and networks labelled
# aws_intro.stack=<it> only, not those a test labels with another name while it runs beside the demo.
DEMO_STACK ?= sample
# The integration tests run their plays with Mitogen for Ansible (strategy_plugins/aws_intro_linear.py;
# stock linear when mitogen is not installed); `make demo`, a user's first run, keeps Ansible's own
# strategy, and so does molecule (its docker driver's destroy playbook polls an async job that never
# ends under Mitogen 0.3.54). `make integration TEST_STRATEGY=linear` runs the tests stock.
TEST_STRATEGY ?= aws_intro_linear
integration: export ANSIBLE_STRATEGY = $(TEST_STRATEGY)

.PHONY: help ee-context setup lint sanity unit checks integration docker molecule molecule-app molecule-rbenv molecule-openssl11 load-test test demo demo-redeploy demo-shell demo-down clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/ansible-playbook: requirements.txt requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-test.txt
	@touch $@

# The venv's accelerator (accelerators/aws_intro_botocore_cache.py): every Python of the venv shares botocore's
# parsed service models between the boto3 sessions of one process. Under Mitogen, where a play's modules run in one
# interpreter, it saves about 0.17 s per AWS module task (measured: README, "How it is tested").
$(VENV)/.accelerators: $(BIN)/ansible-playbook accelerators/aws_intro_botocore_cache.py
	$(BIN)/python accelerators/aws_intro_botocore_cache.py
	@touch $@

setup: $(BIN)/ansible-playbook $(VENV)/.accelerators ## create .venv with the pinned Ansible, collections and test tools

lint: setup ## ansible-lint (production profile), yamllint, ruff
	$(BIN)/yamllint --strict .
	$(BIN)/ruff check .
	$(BIN)/ansible-lint --profile production

sanity: setup ## ansible-test sanity on the collection's plugins
	tests/sanity.sh

unit: setup ## unit tests (pytest)
	$(BIN)/python -m pytest tests/unit

# Three workers, a test file each at a time, each with its own emulator. Most of a run is Ansible and
# moto in Python, but on 2 cores two workers left the CPU 17-48% idle (vmstat: waits for draining,
# retries, containers), so a third fills the gaps.
INTEGRATION_WORKERS ?= 3

integration: setup docker ## roles and modules against the local AWS emulator (moto server)
	$(BIN)/python -m pytest -n $(INTEGRATION_WORKERS) --dist loadfile --no-loadscope-reorder --durations=25 tests/integration

docker: ## make sure a Docker engine runs and the Debian 12 images exist (built locally)
	tests/docker/ensure-engine.sh
	tests/docker/build-base-image.sh

# Scenarios left out of `make molecule` (and so of `make test`) to keep CI inside its 90 minutes:
# ruby_rbenv builds Ruby from source (about 8 min on 2 cores, measured), ruby_openssl11 builds
# OpenSSL 1.1 and Ruby 2.7 (about 11 min, measured), rails_app deploys nginx, Ruby and the app on one host
# against MariaDB and Redis (12 to 14 min, measured), which `make integration` also does on two hosts
# through the bastion (tests/integration/test_site.py: make demo, a no-op run, check mode, tags);
# each keeps a target of its own (`make molecule-rbenv`, `make molecule-openssl11`, `make molecule-app`).
# `make molecule MOLECULE_MANUAL=` runs every scenario.
MOLECULE_MANUAL ?= ruby_rbenv ruby_openssl11 rails_app
MOLECULE_SCENARIOS ?= $(filter-out $(MOLECULE_MANUAL),$(patsubst molecule/%/molecule.yml,%,$(wildcard molecule/*/molecule.yml)))

molecule: setup docker ## host-role scenarios in Docker (systemd, real services), but MOLECULE_MANUAL
	tests/molecule.sh $(MOLECULE_SCENARIOS)

molecule-app: setup docker ## only the app hosts scenario (nginx, ruby, rails_app with MariaDB and Redis, ~13 min)
	tests/molecule.sh rails_app

molecule-rbenv: setup docker ## only the ruby role's rbenv scenario (builds Ruby from a local mirror, ~8 min)
	tests/molecule.sh ruby_rbenv

molecule-openssl11: setup docker ## only the ruby role's OpenSSL 1.1 scenario (Ruby 2.7 on Debian 12, ~11 min)
	tests/molecule.sh ruby_openssl11

load-test: setup docker ## a rolling redeploy of 4 web hosts under 20 requests/s, no failed request (~20 min)
	$(BIN)/python -m pytest -s tests/load

# Lint, sanity and the unit tests each keep about one core busy: two at a time on CI's two cores
# (their outputs kept whole, one after the other).
checks: setup ## lint, sanity and unit, two at a time
	$(MAKE) --no-print-directory -j2 --output-sync=target lint sanity unit

# `make demo` from nothing is part of `make integration`: tests/integration/test_site.py runs it.
test: setup ## everything CI runs: lint, sanity, unit, integration (make demo from nothing included), molecule
	tests/run-each.sh stages "make --no-print-directory" checks integration molecule

DEMO_TAGS ?= all

demo: setup docker ## build the stack in the local emulator (containers stand in for EC2) and show it
	$(BIN)/python -m local.emulator.server start --state-dir $(DEMO_DIR) --region $(STACK_REGION)
	eval "$$($(BIN)/python -m local.emulator.server env --state-dir $(DEMO_DIR) --region $(STACK_REGION))" && \
	  $(BIN)/ansible-playbook -i inventories/local local/site.yml --tags $(DEMO_TAGS) $(DEMO_ARGS) && \
	  $(BIN)/ansible-playbook -i inventories/local local/smoke.yml && \
	  $(BIN)/ansible-playbook -i inventories/local playbooks/report.yml
	@echo
	@echo "The stack's report and diagram are in reports/. The emulator keeps running: 'make demo' again"
	@echo "changes nothing; 'make demo-shell' gives a shell"
	@echo "with AWS_ENDPOINT_URL set (try: ansible-inventory --graph);"
	@echo "'make demo-down' stops it and removes the containers."
	@echo "site: http://127.0.0.1:$$(cat $(DEMO_DIR)/site.port)/"

demo-redeploy: setup ## commit a new revision of the demo's app and deploy it, rolling (after make demo)
	eval "$$($(BIN)/python -m local.emulator.server env --state-dir $(DEMO_DIR) --region $(STACK_REGION))" && \
	  $(BIN)/ansible-playbook -i inventories/local local/redeploy.yml $(DEMO_ARGS)

demo-shell: ## a shell whose AWS tools and Ansible talk to the running demo emulator
	eval "$$($(BIN)/python -m local.emulator.server env --state-dir $(DEMO_DIR) --region $(STACK_REGION))" && \
	  PS1='(aws_intro demo) \w $$ ' $(SHELL) --norc -i

demo-down: ## stop the demo's emulator and remove the containers standing in for EC2
	-$(BIN)/python -m local.emulator.server stop --state-dir $(DEMO_DIR)
	-ids=$$(docker ps -aq --filter label=aws_intro.stack=$(DEMO_STACK) 2>/dev/null); [ -z "$$ids" ] || docker rm -f $$ids >/dev/null
	-nets=$$(docker network ls -q --filter label=aws_intro.stack=$(DEMO_STACK) 2>/dev/null); [ -z "$$nets" ] || docker network rm $$nets >/dev/null

ee-context: setup ## the AWX execution environment's build context in build/ee (then: ansible-builder build)
	rm -rf build/ee build/aws_intro-stack-*.tar.gz
	$(BIN)/ansible-galaxy collection build --force --output-path build .
	$(BIN)/ansible-builder create -f execution-environment.yml --context build/ee

clean: demo-down ## remove the venv and caches
	rm -rf $(VENV) $(DEMO_DIR) build .pytest_cache .ruff_cache
