"""lgcontent never touches the network when it is given files (DESIGN.md: textstat trap)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import EXAMPLES

# An audit hook refuses every socket operation in the child, so any attempt to reach the
# network (a download, a DNS lookup) fails loudly instead of passing unnoticed.
BLOCK_NETWORK = """
import sys
REFUSED = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
           "socket.sendto", "socket.sendmsg", "socket.bind", "urllib.Request", "subprocess.Popen"}
def refuse(event, args):
    if event in REFUSED:
        raise RuntimeError(f"network access attempted: {event} {args!r}")
sys.addaudithook(refuse)
sys.argv = ["lgcontent", *sys.argv[1:]]
from lgcontent.cli import main
main()
"""


def test_check_with_sockets_refused() -> None:
    result = subprocess.run([sys.executable, "-c", BLOCK_NETWORK, "check", str(EXAMPLES), "--format", "json"],
                            capture_output=True, timeout=120)
    assert b"network access attempted" not in result.stderr, result.stderr.decode()
    assert result.returncode == 1, result.stderr.decode()
    assert b'"rule": "readability.paragraph-reading-age"' in result.stdout


def test_the_hook_does_catch_network_use() -> None:
    """The blocker above must be able to fail: a connection attempt trips it."""
    probe = BLOCK_NETWORK.split("sys.argv")[0] + "import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=60)
    assert b"network access attempted" in result.stderr


@pytest.mark.skipif(shutil.which("unshare") is None or sys.platform != "linux", reason="needs Linux unshare")
def test_check_in_a_namespace_without_network() -> None:
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"unprivileged network namespaces are not allowed here: {probe.stderr.decode().strip()}")
    result = subprocess.run(["unshare", "-rn", sys.executable, "-m", "lgcontent", "check", str(EXAMPLES)],
                            capture_output=True, timeout=120)
    assert result.returncode == 1, result.stderr.decode()
    assert b"readability" in result.stdout
