"""The test harness (fault_server.testing) and the fault-server command."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from fault_server.cli import main
from fault_server.testing import running_server, serve, start_server

ROOT = Path(__file__).resolve().parents[2]


def fault_server_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("fault-server-")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_stop_frees_the_port_and_the_thread() -> None:
    before = fault_server_threads()
    with serve("onextree") as srv:
        port = srv.port
        assert srv.base_url == f"http://127.0.0.1:{port}"
        with srv.client() as client:
            assert client.get("/health").status_code == 200
    assert fault_server_threads() == before
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/health", timeout=1.0)
    with serve("onextree", port=port) as again:  # the same port is free at once
        assert again.port == port


def test_stop_cuts_off_a_request_still_in_flight() -> None:
    srv = start_server("metadata-stamping", latency=5.0)
    errors: list[BaseException] = []

    def call() -> None:
        try:
            with srv.client(timeout=10.0) as client:
                client.get("/health")
        except httpx.HTTPError as exc:
            errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    srv.stats.wait_until(lambda s: s.in_flight == 1)
    started = time.perf_counter()
    srv.stop()
    assert time.perf_counter() - started < 2.0
    caller.join(5.0)
    assert len(errors) == 1 and isinstance(errors[0], httpx.TransportError)


STAMP = "/api/v1/metadata-stamping/stamp"


def test_restart_serves_the_same_port_and_keeps_data_answers_and_counters() -> None:
    threads = len(fault_server_threads())
    with serve("metadata-stamping") as srv, srv.client() as client:
        port = srv.port
        key = {"Idempotency-Key": "k-restart"}
        first = client.post(STAMP, json={"content": "kept"}, headers=key)
        assert first.status_code == 200
        srv.restart()
        assert (srv.port, srv.restarts) == (port, 1)
        assert len(fault_server_threads()) == threads + 1  # the old thread is gone
        # The pooled keep-alive connection was closed; a new one reaches the new server.
        again = client.post(STAMP, json={"content": "kept"}, headers=key)
        assert again.headers["idempotent-replayed"] == "true"
        assert again.content == first.content
        file_hash = first.json()["data"]["file_hash"]
        assert client.get(f"{STAMP}/{file_hash}").status_code == 200
        srv.stats.wait_idle()
        assert srv.stats.requests == 3
        assert srv.stats.side_effects == {"k-restart": 1}


def test_restart_refuses_connections_while_down() -> None:
    with serve("onextree") as srv:
        restarting = threading.Thread(target=srv.restart, args=(0.5,))
        refused = 0
        restarting.start()
        deadline = time.monotonic() + 5.0
        while restarting.is_alive() and time.monotonic() < deadline:
            try:
                httpx.get(srv.url("/health"), timeout=0.5)
            except httpx.ConnectError:
                refused += 1
            time.sleep(0.02)
        restarting.join(5.0)
        assert refused > 0
        assert httpx.get(srv.url("/health")).status_code == 200
        assert srv.restarts == 1


def test_restart_cuts_off_a_request_in_flight_and_keeps_its_rules() -> None:
    with serve("metadata-stamping") as srv:
        srv.faults.add_latency(5.0, route="/health", count=1)
        srv.faults.fail_next(1, status=502, route="GET /")
        errors: list[BaseException] = []

        def call() -> None:
            try:
                with srv.client(timeout=10.0) as client:
                    client.get("/health")
            except httpx.HTTPError as exc:
                errors.append(exc)

        caller = threading.Thread(target=call)
        caller.start()
        srv.stats.wait_until(lambda s: s.in_flight == 1)
        started = time.perf_counter()
        srv.restart()
        assert time.perf_counter() - started < 2.0
        caller.join(5.0)
        assert len(errors) == 1 and isinstance(errors[0], httpx.TransportError)
        with srv.client() as client:  # the rule not yet used is still armed
            assert client.get("/").status_code == 502
            assert client.get("/").status_code == 200


def test_restart_with_a_grace_lets_a_request_in_flight_finish() -> None:
    with serve("metadata-stamping") as srv:
        srv.faults.add_latency(0.3, route="/health", count=1)
        answers: list[int] = []

        def call() -> None:
            with srv.client(timeout=10.0) as client:
                answers.append(client.get("/health").status_code)

        caller = threading.Thread(target=call)
        caller.start()
        srv.stats.wait_until(lambda s: s.in_flight == 1)
        srv.restart(grace=5.0)
        caller.join(5.0)
        assert answers == [200]
        assert srv.restarts == 1


async def test_async_variant_and_several_servers_at_once() -> None:
    async with (
        running_server("metadata-stamping") as a,
        running_server("onextree") as b,
    ):
        assert a.port != b.port
        async with a.async_client() as ca, b.async_client() as cb:
            answers = await asyncio.gather(ca.get("/health"), cb.get("/health"))
        assert answers[0].json()["service"] == "metadata-stamping"
        assert answers[1].json()["status"] == "healthy"


async def test_the_server_does_not_depend_on_the_test_loop() -> None:
    async with running_server("metadata-stamping") as srv:
        # A blocking call on the test's loop still gets an answer: the server has its own.
        assert httpx.get(srv.url("/health")).status_code == 200


def test_unknown_service_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown service"):
        start_server("nope")


def test_cli_help_documents_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for flag in (
        "--host", "--port", "--fail-next", "--fail-for", "--fail-status", "--retry-after",
        "--latency", "--reset-next", "--max-concurrency", "--tree-root", "/__faults__",
        "--fail-rate", "--reset-rate", "--latency-rate", "--seed", "--no-database",
    ):  # fmt: skip
        assert flag in out


@pytest.mark.parametrize(
    "args", [["nope"], ["metadata-stamping", "--fail-status", "200"], ["onextree", "--port", "x"]]
)  # fmt: skip
def test_cli_refuses_bad_arguments(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    assert "error" in capsys.readouterr().err


def test_cli_refuses_a_tree_root_it_cannot_walk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Checked before binding a port, so nothing is served.
    assert main(["onextree", "--tree-root", str(tmp_path / "missing")]) == 2
    assert main(["metadata-stamping", "--tree-root", str(tmp_path)]) == 2
    assert main(["metadata-stamping", "--fail-rate", "1.5"]) == 2
    assert main(["onextree", "--no-database"]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "probability" in err


@pytest.mark.slow
def test_the_fault_server_command_serves_with_startup_faults() -> None:
    """The real command in a subprocess (python -m fault_server = the console script)."""
    port = free_port()
    args = ["metadata-stamping", "--port", str(port), "--fail-next", "1", "--fail-status", "429"]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fault_server",
            *args,
            "--retry-after",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20.0
        while True:  # the control API answers once the server is up, and is not counted
            try:
                httpx.get(f"{base}/__faults__", timeout=1.0)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "fault-server did not start"
                time.sleep(0.05)
        first = httpx.get(f"{base}/health")
        assert (first.status_code, first.headers["retry-after"]) == (429, "2")
        assert httpx.get(f"{base}/health").status_code == 200
        stats = httpx.get(f"{base}/__faults__/stats").json()
        assert stats["requests"] == 2
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_server_package_imports_no_client_code() -> None:
    """The fault server is what clients are tested against: it must run without them."""
    import ast

    forbidden = ("resilient_client", "metadata_stamping_client", "onextree_client", "generator")
    for path in sorted((ROOT / "fault_server").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path.name} imports {name}"
