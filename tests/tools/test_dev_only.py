import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOL_COMMANDS = {
    "bench",
    "bench_changes",
    "bench_newsletter",
    "bench_queries",
    "bench_urls",
    "load_demo",
}


def management_commands(**env) -> set[str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "BENCH_")) and key != "DEMO_MODE"
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "actualites.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return set(result.stdout.split())


def test_production_settings_load_no_benchmark_or_demo_tooling():
    commands = management_commands(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="t")

    assert "setup_roles" in commands and "run_tasks_worker" in commands
    assert not TOOL_COMMANDS & commands
    assert "seed_archive" not in commands


def test_development_and_explicit_flag_load_the_tooling():
    assert TOOL_COMMANDS | {"seed_archive"} <= management_commands(DJANGO_DEBUG="1")
    assert TOOL_COMMANDS | {"seed_archive"} <= management_commands(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="t", DJANGO_DEV_TOOLS="1"
    )
