"""examples/ cannot rot: the CI script and the workload file run here as users run them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "examples" / "budget-check.sh"


def _run_script(*args: str) -> subprocess.CompletedProcess[str]:
    # The script calls `fluxcost`, as a CI job would after `pip install`.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(
        ["bash", str(SCRIPT), *args], capture_output=True, text=True, env=env, check=False
    )


def test_budget_check_passes_within_budget() -> None:
    r = _run_script()  # examples/workload.yaml: $354.00 against $400
    assert r.returncode == 0, r.stderr
    assert "| **total** |  |  |  |  |  | **$354.00** |" in r.stdout
    assert "past the 80% warning line" in r.stderr
    assert "budget check passed" in r.stderr


def test_budget_check_fails_over_budget() -> None:
    r = _run_script(str(ROOT / "examples" / "workload.yaml"), "300")
    assert r.returncode == 1
    assert "budget check FAILED" in r.stderr


def test_budget_check_reports_bad_input() -> None:
    r = _run_script(str(ROOT / "examples" / "missing.yaml"), "300")
    assert r.returncode == 2
    assert "cannot read workload file" in r.stderr


def test_github_workflow_runs_the_script() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "github-actions.yml").read_text())
    steps = workflow["jobs"]["budget"]["steps"]
    commands = " ".join(step.get("run", "") for step in steps)
    assert "pip install" in commands
    assert "examples/budget-check.sh" in commands


def test_pull_request_workflow_comments_the_diff() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "github-pr-cost-comment.yml").read_text())
    job = workflow["jobs"]["cost-diff"]
    assert workflow["permissions"]["pull-requests"] == "write"
    assert job["steps"][0]["with"]["fetch-depth"] == 0  # --base-ref needs the base branch
    commands = " ".join(step.get("run", "") for step in job["steps"])
    assert 'fluxcost diff "$WORKLOAD" --base-ref' in commands
    assert "--format markdown --output cost-diff.md" in commands
    assert "gh pr comment" in commands and "--body-file cost-diff.md" in commands
    assert workflow["env"]["WORKLOAD"] == "examples/workload.yaml"
    assert (ROOT / workflow["env"]["WORKLOAD"]).is_file()
