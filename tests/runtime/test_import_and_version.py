"""The runtime imports with only its own dependencies; version checks for generated code."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import resilient_client
from resilient_client import check_runtime_version
from resilient_client._version import version_satisfies

ROOT = Path(__file__).resolve().parents[2]

BLOCKER = textwrap.dedent("""
    import sys

    BLOCKED = {"jinja2", "black", "openapi_core", "openapi_spec_validator", "yaml", "generator",
               "respx", "pytest"}

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"blocked: {name}")
            return None

    sys.meta_path.insert(0, Blocker())
    import resilient_client
    loaded = sorted({m.split(".")[0] for m in sys.modules} & BLOCKED)
    assert not loaded, loaded
    print(resilient_client.__version__)
    """)


def test_imports_without_generator_dependencies() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0.2.0"


def test_blocker_really_blocks() -> None:
    # Guards the test above: the blocker must make a forbidden import fail.
    script = BLOCKER.replace("import resilient_client\n", "import yaml\n", 1)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "blocked: yaml" in result.stderr


def test_all_names_exist_and_promised_names_are_exported() -> None:
    for name in resilient_client.__all__:
        assert hasattr(resilient_client, name), name
    promised = {
        "BaseServiceClient",
        "ClientConfig",
        "RetryConfig",
        "CircuitBreakerConfig",
        "CacheConfig",
        "BulkheadConfig",
        "CircuitState",
        "ClientError",
        "TransportError",
        "RequestTimeoutError",
        "HTTPStatusError",
        "NotFoundError",
        "ServerError",
        "RateLimitedError",
        "CircuitOpenError",
        "BulkheadFullError",
        "BadRequestError",
        "UnauthorizedError",
        "ForbiddenError",
        "ConflictError",
        "UnprocessableEntityError",
        "ResponseValidationError",
        "EnvelopeError",
        "ResponseTooLargeError",
        "ClientClosedError",
        "ConfigError",
        "Operation",
        "ResponseSpec",
        "SpecPolicy",
        "Envelope",
        "ParamStyle",
        "NO_BODY",
        "check_runtime_version",
        "correlation_scope",
        "ClientEvents",
        "HealthStatus",
        "__version__",
    }
    assert promised <= set(resilient_client.__all__)


def test_version_is_static_string() -> None:
    assert resilient_client.__version__ == "0.2.0"


@pytest.mark.parametrize(
    ("version", "spec", "ok"),
    [
        ("0.1.0", ">=0.1.0,<0.2.0", True),
        ("0.1.0", ">=0.1,<0.2", True),
        ("0.2.0", ">=0.1.0,<0.2.0", False),
        ("0.1.5", "==0.1.5", True),
        ("0.1.5", ">0.1.5", False),
        ("0.1.5", "<=0.1.5", True),
        ("0.0.9", ">=0.1.0", False),
    ],
)
def test_version_satisfies(version: str, spec: str, ok: bool) -> None:
    assert version_satisfies(version, spec) is ok


def test_check_runtime_version_raises_import_error_naming_both() -> None:
    check_runtime_version(">=0.2.0,<0.3.0", package="demo_client")
    with pytest.raises(ImportError) as info:
        check_runtime_version(">=0.3.0", package="demo_client")
    message = str(info.value)
    assert "demo_client" in message and "0.2.0" in message and ">=0.3.0" in message


def test_bad_version_clause_is_rejected() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        version_satisfies("0.1.0", "~=0.1")
