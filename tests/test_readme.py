"""Every command of the README runs, in the order a newcomer meets it.

Each ```bash block of README.md runs in a fresh copy of the project (a git repository of its own, the
project's .venv linked in), one command after another, as a shell runs it. The commands that serve until
they are stopped (`make test`, `make serve`, `generator serve`, `generator mcp`) are checked without being
left running: make must know the target, and the generator's parser must accept the arguments. `curl` fetches
from a built copy of the site served on loopback instead of the production host."""

from __future__ import annotations

import functools
import http.server
import re
import shlex
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from generator.cli import parser
from tests.test_setup import BARE

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")
BLOCKS = re.findall(r"^```bash\n(.*?)^```", README, re.S | re.M)
LIVE = "https://docs.empiriolabs.ai/"
KEPT_OUT = {".git", ".venv", "site", "node_modules", "test-artifacts", ".pytest_cache", ".hypothesis"}
# served until stopped: checked, not run
DRY_MAKE = {"test", "serve"}
PARSE_ONLY = {"serve", "mcp"}


def commands(block: str) -> list[str]:
    """The block's commands, without comments and blank lines."""
    out = []
    for line in block.splitlines():
        line = re.sub(r"(^|\s+)#.*$", "", line).strip()
        if line:
            out.append(line)
    return out


def test_the_readme_starts_with_the_how_to_in_a_newcomers_order():
    headings = re.findall(r"^## (.*)$", README, re.M)
    assert headings == ["1. Install and build", "2. Preview while you edit", "3. Add a model", "4. Add a guide",
                        "5. Record a release", "6. Publish", "7. Connect an agent", "Reference"]
    assert len(README.splitlines()) < 150
    for link in re.findall(r"\]\((docs/[^)]+)\)", README):
        assert (ROOT / link).is_file(), link


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    """A built site served on loopback, standing in for the production host."""
    out = tmp_path_factory.mktemp("live") / "site"
    subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "generator", "build", "--out", str(out)], cwd=ROOT,
                   check=True, capture_output=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def project_copy(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=lambda d, names: [n for n in names if n in KEPT_OUT and d == str(ROOT)])
    (dest / ".venv").symlink_to(ROOT / ".venv")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "the project"]):
        subprocess.run(git + cmd, cwd=dest, check=True, capture_output=True)
    return dest


@pytest.mark.parametrize("block", BLOCKS, ids=[commands(b)[0][:40] for b in BLOCKS])
def test_every_readme_command_runs(block, tmp_path, live_site):
    project = project_copy(tmp_path / "project")
    for command in commands(block):
        words = shlex.split(command)
        if words[0] == "make" and words[1] in DRY_MAKE:
            proc = subprocess.run(["make", "-n", *words[1:]], cwd=project, capture_output=True, text=True, env=BARE)
        elif words[:3] == [".venv/bin/python", "-m", "generator"] and words[3] in PARSE_ONLY:
            parser().parse_args(words[3:])  # argparse exits on arguments it does not accept
            continue
        else:
            proc = subprocess.run(command.replace(LIVE, live_site), shell=True, cwd=project, capture_output=True,
                                  text=True, executable="/bin/bash", timeout=600, env=BARE)
        assert proc.returncode == 0, f"{command}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
