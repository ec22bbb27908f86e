"""The product has no emulator branches (ARCHITECTURE.md): nothing under playbooks/, roles/ or plugins/ reads
the local layer's switch `stack_local`, which only inventories/local and local/ may use. What keeps a local
inventory off real AWS is a product setting that works there too: stack_allowed_account_ids
(playbooks/tasks/check_account.yml)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("playbooks", "roles", "plugins")


def test_the_product_never_reads_stack_local():
    found = [f"{path.relative_to(ROOT)}:{number}"
             for top in PRODUCT for path in sorted((ROOT / top).rglob("*")) if path.is_file()
             for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
             if "stack_local" in line]
    assert found == []


def test_the_plays_that_change_or_read_aws_check_the_account():
    for play in ("cloud.yml", "report.yml", "teardown.yml"):
        assert "tasks/check_account.yml" in (ROOT / "playbooks" / play).read_text(), play
