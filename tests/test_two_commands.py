"""The two commands of the README on a machine that has only Python, make and git.

These tests run the real .ci/uv and Makefile in a throw-away HOME, with a PATH that holds no uv.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A Python >= 3.12 that has no uv of its own: the interpreter behind the project's venv.
BASE_PYTHON = Path(sys.base_prefix) / "bin" / "python3"


def bare_env(home: Path, bin_dir: Path, **extra) -> dict:
    """The environment of a fresh machine: our PATH and HOME, none of uv's or pyenv's settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("UV_", "PYENV", "VIRTUAL_ENV", "XDG_", "DJANGO_", "PYTHON"))
        and key not in {"PATH", "HOME", "DATABASE_URL", "REDIS_URL"}
    }
    env.update(HOME=str(home), PATH=f"{bin_dir}:/usr/bin:/bin", **extra)
    return env


def link_python(bin_dir: Path, target: Path) -> None:
    bin_dir.mkdir(parents=True, exist_ok=True)
    (bin_dir / "python3").symlink_to(target)


@pytest.fixture
def fresh_machine(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    bin_dir = tmp_path / "bin"
    link_python(bin_dir, BASE_PYTHON)
    return home, bin_dir


def test_uv_is_fetched_once_when_the_machine_has_none(fresh_machine, tmp_path):
    home, bin_dir = fresh_machine
    env = bare_env(home, bin_dir)
    assert shutil.which("uv", path=env["PATH"]) is None

    first = subprocess.run(
        [ROOT / ".ci/uv", "--version"], env=env, capture_output=True, text=True, timeout=300
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("uv ")
    assert "uv est absent : installation depuis PyPI" in first.stderr

    again = subprocess.run(
        [ROOT / ".ci/uv", "--version"], env=env, capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 0
    assert again.stderr == ""  # Found where the first call put it: nothing to say.


def test_make_venv_succeeds_with_the_uv_it_fetched(fresh_machine, tmp_path):
    home, bin_dir = fresh_machine
    project = tmp_path / "clone"
    project.mkdir()
    for name in ("pyproject.toml", "uv.lock", "Makefile", "README.md"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / ".ci", project / ".ci")
    # The packages themselves may come from this machine's cache: what is tested is the
    # bootstrap, not the registry's bandwidth.
    cache = os.environ.get("UV_CACHE_DIR") or str(Path.home() / ".cache" / "uv")
    env = bare_env(home, bin_dir, UV_CACHE_DIR=cache)

    result = subprocess.run(
        ["make", "venv"], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )

    assert result.returncode == 0, result.stderr
    assert "uv est absent" in result.stderr
    check = subprocess.run(
        [
            project / ".venv/bin/python",
            "-c",
            "import django, sys; print(sys.version_info >= (3, 12))",
        ],
        capture_output=True,
        text=True,
    )
    assert check.stdout.strip() == "True"


def test_without_python_312_one_french_sentence_says_what_to_install(tmp_path):
    old = next(
        (Path(p) for p in ("/usr/bin/python3.11", "/usr/bin/python3.10") if Path(p).exists()),
        None,
    )
    if old is None:
        pytest.skip("Aucun Python plus ancien que 3.12 sur cette machine.")
    home = tmp_path / "home"
    home.mkdir()
    bin_dir = tmp_path / "bin"
    link_python(bin_dir, old)
    # Only our bin: /usr/bin may hold a newer python3.12 on another machine.
    env = bare_env(home, bin_dir, PYENV_ROOT=str(tmp_path / "no-pyenv"))
    env["PATH"] = str(bin_dir)
    for tool in ("ls", "sort"):
        (bin_dir / tool).symlink_to(shutil.which(tool))

    result = subprocess.run(
        ["/bin/sh", ROOT / ".ci/uv", "sync"], env=env, capture_output=True, text=True, timeout=30
    )

    assert result.returncode == 1
    assert result.stderr.startswith("Python 3.12 ou plus récent est introuvable : installez-le")
    assert result.stderr.count("\n") == 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes_with_env(marker: str) -> list[int]:
    """Pids of the processes whose environment holds this exact VAR_DIR."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"VAR_DIR={marker}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="lit /proc pour trouver les processus")
def test_ctrl_c_on_make_run_stops_site_and_worker_quietly(tmp_path):
    port = free_port()
    var_dir = str(tmp_path / "var")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"} and not key.startswith("DJANGO_")
    }
    env["VAR_DIR"] = var_dir
    run = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # Its own group, as a terminal's foreground job would be.
    )
    output = []
    try:
        deadline = time.monotonic() + 120
        for line in run.stdout:
            output.append(line)
            if "Ctrl-C arrête" in line or time.monotonic() > deadline:
                break
        assert "Ctrl-C arrête" in "".join(output), "".join(output)
        assert processes_with_env(var_dir)
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass

        os.killpg(run.pid, signal.SIGINT)  # What Ctrl-C does: the whole foreground group.
        rest, _ = run.communicate(timeout=30)
        output.append(rest)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        for pid in processes_with_env(var_dir):
            os.kill(pid, signal.SIGKILL)

    text = "".join(output)
    # The recipe ends with status 0; GNU make then re-raises the SIGINT it also received, as
    # any program stopped by Ctrl-C does, which a shell shows as a new prompt, nothing more.
    assert run.returncode in (0, -signal.SIGINT), text
    assert "Arrêtés." in text
    for trouble in ("make: ***", "Traceback", "Segmentation", "Error"):
        assert trouble not in text
    assert processes_with_env(var_dir) == []
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2)
