"""Generated packages pass ``mypy --strict``, and their types constrain callers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _gen import generate
from testdata import CORPUS, DATA, SERVICES

ROOT = Path(__file__).resolve().parents[3]
USAGE = ROOT / "tests" / "typing_usage"

SPECS = {
    "petstore_client": CORPUS / "oai-learn-examples/v3.0/petstore.yaml",
    "petstore_expanded_client": CORPUS / "oai-learn-examples/v3.0/petstore-expanded.yaml",
    "link_example_client": CORPUS / "oai-learn-examples/v3.0/link-example.yaml",
    "uspto_client": CORPUS / "oai-learn-examples/v3.0/uspto.yaml",
    "swagger_petstore_client": CORPUS / "swagger-petstore/master/openapi.yaml",
    "metadata_stamping_export_client": SERVICES / "metadata_stamping.openapi.json",
    "onextree_export_client": SERVICES / "onextree.openapi.json",
    "metadata_stamping_client": ROOT / "specs/metadata_stamping.yaml",
    "onextree_client": ROOT / "specs/onextree.yaml",
    # breadth: discriminators, recursion, nullable spellings, 3.1, a 50-operation client
    "dcg_discriminator_client": CORPUS / "datamodel-code-generator/discriminator.yaml",
    "dcg_recursive_client": CORPUS / "datamodel-code-generator/recursive_ref_discriminator.yaml",
    "dcg_nullable_client": CORPUS / "datamodel-code-generator/nullable_31.yaml",
    "opc_baseline_client": CORPUS / "openapi-python-client/baseline_openapi_3.1.yaml",
    "k8s_apps_client": CORPUS / "kubernetes/v3/apis__apps__v1_openapi.json",
    # auth helpers: every scheme kind; a relative tokenUrl (token_url required)
    "security_examples_client": CORPUS
    / "oai-spec-repo/v3.1-dev-schema-tests-pass/security-scheme-object-examples.yaml",
    "security_ops_client": CORPUS / "datamodel-code-generator/non_operations_and_security.yaml",
    # <name>_iter in every pagination style (GitHub's Link, Stripe's has_more, ...)
    "paging_client": DATA / "pagination/paging.yaml",
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    for package, spec in SPECS.items():
        if not spec.exists():
            pytest.fail(f"missing input spec {spec}")
        generate(spec, out, package)
    shutil.copytree(USAGE, out / "usage")
    return out


def _mypy(cwd: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(cwd / ".mypy_cache"), "--no-error-summary", *targets],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": f"{cwd}{os.pathsep}{ROOT}"},
    )  # fmt: skip


def test_generated_packages_and_usage_pass_mypy_strict(generated: Path) -> None:
    packages = list(SPECS)  # package directories, checked as files together with the usage
    usage = sorted(str(p.relative_to(generated)) for p in (generated / "usage").glob("*.py"))
    assert usage, "no usage examples"
    result = _mypy(generated, *packages, *usage)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


@pytest.mark.parametrize(
    ("call", "complaint"),
    [
        ("await c.find_pet_by_id('not-an-int')", "arg-type"),
        ("await c.add_pet(name=3)", "arg-type"),
        ("await c.add_pet(tag='x')", "call-arg"),  # required body field missing
        ("await c.find_pets(limit=1, colour='red')", "call-arg"),
        # optional but not nullable: None is no value the spec allows (leave it out)
        ("await c.find_pets(limit=None)", "arg-type"),
        ("await c.add_pet(name='rex', tag=None)", "arg-type"),
        ("x: str = await c.find_pet_by_id(1)", "assignment"),
        # per-call options are one typed **call_options (resilient_client.CallOptions)
        ("await c.find_pet_by_id(1, timeout='slow')", "arg-type"),
        ("await c.find_pet_by_id(1, correlation_idd='x')", "call-arg"),
        # with_raw_response checks the method's own arguments and types .parsed
        ("await c.with_raw_response(c.find_pet_by_id, 'not-an-int')", "arg-type"),
        ("x: str = (await c.with_raw_response(c.find_pet_by_id, 1)).parsed", "assignment"),
        # <pkg>.testing mocks are typed with the operation's own result
        (
            "from petstore_expanded_client.testing import MockSwaggerPetstoreClient as M; "
            "M().find_pet_by_id.returns('not a Pet')",
            "arg-type",
        ),
    ],
)
def test_wrong_calls_are_reported(generated: Path, call: str, complaint: str) -> None:
    bad = generated / "bad_usage.py"
    bad.write_text(
        "from petstore_expanded_client import SwaggerPetstoreClient\n\n\n"
        "async def go(c: SwaggerPetstoreClient) -> None:\n"
        f"    {call}\n",
        encoding="utf-8",
    )
    result = _mypy(generated, "bad_usage.py")
    assert result.returncode == 1, result.stdout
    assert f"[{complaint}]" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("code", "complaint"),
    [
        # items are the spec's model, pages the operation's return type
        ("async for c in p.list_customers_iter():\n        x: str = c", "assignment"),
        ("async for g in p.list_customers_iter().pages():\n        y: int = g", "assignment"),
        ("async for i in p.list_issues_iter('o'):\n        i.email", "attr-defined"),
        # the operation's own arguments, max_pages and the call options are checked
        ("p.list_issues_iter('o', per_page='many')", "arg-type"),
        ("p.list_issues_iter('o', max_pages='all')", "arg-type"),
        ("p.list_issues_iter('o', timeout='slow')", "arg-type"),
        # not awaitable: it is iterated
        ("await p.list_things_iter()", "misc"),
        # operations that do not page have no _iter
        ("p.top_things_iter()", "attr-defined"),
        ("p.list_audit_iter()", "attr-defined"),
    ],
)
def test_wrong_paging_calls_are_reported(generated: Path, code: str, complaint: str) -> None:
    bad = generated / "bad_paging_usage.py"
    bad.write_text(
        "from paging_client import PagingShopClient\n\n\n"
        "async def go(p: PagingShopClient) -> None:\n"
        f"    {code}\n",
        encoding="utf-8",
    )
    result = _mypy(generated, "bad_paging_usage.py")
    assert result.returncode == 1, result.stdout
    assert f"[{complaint}]" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("call", "complaint"),
    [
        ("APIClient.auth_basic('user')", "call-arg"),
        ("APIClient.auth_api_key(42)", "arg-type"),
        ("APIClient.auth_oauth2('id', 'secret', scopes=(1,))", "arg-type"),
        ("APIClient.auth_open_id_connect('t')", "attr-defined"),  # OpenID Connect: no helper
        # the spec's tokenUrl is relative with no server: token_url is required
        ("APIWithNonOperationsAndSecurityClient.auth_oauth2('id', 'secret')", "call-arg"),
        ("x: BasicAuth = APIClient.auth_jwt_bearer('t')", "assignment"),
    ],
)
def test_wrong_auth_helper_calls_are_reported(generated: Path, call: str, complaint: str) -> None:
    bad = generated / "bad_auth_usage.py"
    bad.write_text(
        "from resilient_client import BasicAuth\n"
        "from security_examples_client import APIClient\n"
        "from security_ops_client import APIWithNonOperationsAndSecurityClient\n\n\n"
        "def go() -> None:\n"
        f"    {call}\n",
        encoding="utf-8",
    )
    result = _mypy(generated, "bad_auth_usage.py")
    assert result.returncode == 1, result.stdout
    assert f"[{complaint}]" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("call", "complaint"),
    [
        # the same typed parameters and results as the async methods
        ("c.find_pet_by_id('not-an-int')", "arg-type"),
        ("c.add_pet(tag='x')", "call-arg"),
        ("c.find_pets(limit=None)", "arg-type"),
        ("x: str = c.find_pet_by_id(1)", "assignment"),
        ("c.find_pet_by_id(1, timeout='slow')", "arg-type"),
        # nothing to await: a sync method returns the model itself
        ("x = await c.find_pet_by_id(1)", "misc"),
        ("c.with_raw_response(c.find_pet_by_id, 'not-an-int')", "arg-type"),
        ("x: str = c.with_raw_response(c.find_pet_by_id, 1).parsed", "assignment"),
        # an injected transport client must be the async one the pipeline runs
        ("import httpx; SwaggerPetstoreSyncClient(http_client=httpx.Client())", "arg-type"),
    ],
)
def test_wrong_sync_calls_are_reported(generated: Path, call: str, complaint: str) -> None:
    bad = generated / "bad_sync_usage.py"
    bad.write_text(
        "from petstore_expanded_client import SwaggerPetstoreSyncClient\n\n\n"
        "async def go(c: SwaggerPetstoreSyncClient) -> None:\n"
        f"    {call}\n",
        encoding="utf-8",
    )
    result = _mypy(generated, "bad_sync_usage.py")
    assert result.returncode == 1, result.stdout
    assert f"[{complaint}]" in result.stdout, result.stdout
