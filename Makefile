# aws_intro.stack: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
STACK_REGION ?= ap-northeast-2
DEMO_DIR ?= .demo

.PHONY: help setup lint sanity unit integration molecule test demo demo-down clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/ansible-playbook: requirements.txt requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-test.txt
	@touch $@

setup: $(BIN)/ansible-playbook ## create .venv with the pinned Ansible, collections and test tools

lint: setup ## ansible-lint (production profile), yamllint, ruff
	$(BIN)/yamllint --strict .
	$(BIN)/ruff check .
	$(BIN)/ansible-lint --profile production

sanity: setup ## ansible-test sanity on the collection's plugins
	tests/sanity.sh

unit: setup ## unit tests (pytest)
	$(BIN)/python -m pytest tests/unit

integration: setup ## roles and modules against the local AWS emulator (moto server)
	$(BIN)/python -m pytest tests/integration

molecule: setup ## host-role scenarios in Docker (starts an engine and builds images if needed)
	tests/docker/ensure-engine.sh
	tests/docker/build-base-image.sh
	tests/molecule.sh

test: setup ## everything CI runs: lint, sanity, unit, integration, molecule
	tests/stages.sh lint sanity unit integration molecule

demo: setup ## build the stack in the local emulator and show what was made
	$(BIN)/python -m tests.emulator.server start --state-dir $(DEMO_DIR) --region $(STACK_REGION)
	eval "$$($(BIN)/python -m tests.emulator.server env --state-dir $(DEMO_DIR) --region $(STACK_REGION))" && \
	  $(BIN)/ansible-playbook -i inventories/local playbooks/demo.yml

demo-down: ## stop the demo's emulator (everything it held is gone)
	-$(BIN)/python -m tests.emulator.server stop --state-dir $(DEMO_DIR)

clean: demo-down ## remove the venv and caches
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .ruff_cache
