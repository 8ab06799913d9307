"""deploy/build_lambda.py: a package built from Lambda's wheels that loads on Lambda's OS.

The package is built as the deploy guide builds it (PyPI is needed the first time; the
installed wheels are cached in ~/.cache/photosite/lambda-deps). The test machine need not
have Python 3.12, so the 3.12 package is checked by reading it (every shared object's glibc
needs, the ABI of every extension module, sizes, contents); the same build for this machine's
Python, with its bytecode, is then run through Zappa's handler with nothing but the package on
sys.path.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from deploy import build_lambda, elf
from tests.deploy.elf_sample import elf_needing
from tests.deploy.production import production_env
from tests.deploy.template import resources_of_type

ROOT = Path(__file__).resolve().parents[2]
HOST_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
# Zappa's build-time dependencies: `zappa package` would ship them, this build does not.
ZAPPA_BUILD_TOOLS = {"troposphere", "kappa", "pip", "hjson", "placebo", "click", "tqdm", "toml"}
EXTENSION_ABI = re.compile(r"\.cpython-(\d+)-")


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The prod package for Lambda's python3.12, built once for this module (with bytecode
    when a python3.12 is on PATH)."""
    return build_lambda.build(
        "prod",
        tmp_path_factory.mktemp("lambda") / "photosite.zip",
        bytecode_python=build_lambda.bytecode_interpreter(build_lambda.LAMBDA_PYTHON),
    )


@pytest.fixture(scope="module")
def host_package(tmp_path_factory) -> Path:
    """The same build with wheels for this machine's Python, so that it can run here (stored,
    not deflated: only `package` is measured against Lambda's limits)."""
    return build_lambda.build(
        "prod",
        tmp_path_factory.mktemp("lambda-host") / "photosite.zip",
        target=build_lambda.Target(python_version=HOST_PYTHON),
        bytecode_python=sys.executable,
        compress=False,
    )


# --- Lambda's OS ---------------------------------------------------------------------------------


def test_every_function_runs_on_the_runtime_the_package_is_built_for():
    functions = resources_of_type("AWS::Lambda::Function")
    assert functions
    for name, function in functions.items():
        assert function["Properties"]["Runtime"] == build_lambda.LAMBDA_RUNTIME, name
    zappa = json.loads((ROOT / "zappa_settings.json").read_text())
    assert {stage.get("runtime", zappa["prod"]["runtime"]) for stage in zappa.values()} == {
        build_lambda.LAMBDA_RUNTIME
    }
    # Amazon Linux 2023: glibc 2.34. python3.11 would mean Amazon Linux 2 (glibc 2.26).
    assert build_lambda.LAMBDA_RUNTIME in {"python3.12", "python3.13"}
    assert build_lambda.LAMBDA_GLIBC == (2, 34)


def test_the_deployed_package_is_deflated_and_the_host_build_only_stored(package, host_package):
    with zipfile.ZipFile(package) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}
    with zipfile.ZipFile(host_package) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}


def test_no_shared_object_needs_a_glibc_newer_than_lambdas(package):
    with zipfile.ZipFile(package) as archive:
        shared = list(elf.elf_members(archive))
        problems = elf.too_new_for(archive, build_lambda.LAMBDA_GLIBC)
    # Pillow, cryptography, pydantic-core, psycopg and their bundled libraries at least.
    assert len(shared) >= 20
    assert problems == {}


def test_every_extension_module_is_built_for_lambdas_python(package):
    with zipfile.ZipFile(package) as archive:
        abis = {m.group(1) for name in archive.namelist() if (m := EXTENSION_ABI.search(name))}
    assert abis == {build_lambda.LAMBDA_PYTHON.replace(".", "")}


def test_the_glibc_check_reports_a_shared_object_that_would_not_load(package, tmp_path):
    spoilt = tmp_path / "spoilt.zip"
    shutil.copy(package, spoilt)
    with zipfile.ZipFile(spoilt, "a") as archive:
        archive.writestr("PIL/_newer.so", elf_needing("libc.so.6", ["GLIBC_2.2.5", "GLIBC_2.35"]))
        archive.writestr("PIL/_fine.so", elf_needing("libc.so.6", ["GLIBC_2.34"]))
    with zipfile.ZipFile(spoilt) as archive:
        assert elf.too_new_for(archive, build_lambda.LAMBDA_GLIBC) == {"PIL/_newer.so": (2, 35)}


@pytest.mark.skipif(shutil.which("objdump") is None, reason="binutils' objdump is not installed")
def test_the_elf_reader_agrees_with_objdump(package, tmp_path):
    with zipfile.ZipFile(package) as archive:
        members = list(elf.elf_members(archive))
    for name, data in members:
        path = tmp_path / "member.so"
        path.write_bytes(data)
        listing = subprocess.run(
            ["objdump", "-T", str(path)], capture_output=True, text=True, check=True
        ).stdout
        seen = {
            tuple(int(part) for part in version.split("."))
            for version in re.findall(r"\bGLIBC_([0-9]+(?:\.[0-9]+)+)\b", listing)
        }
        assert elf.glibc_versions(data) == seen, name


# --- Size and contents ------------------------------------------------------------------------


def test_package_fits_lambdas_unzipped_limit_and_goes_through_s3_when_over_50_mib(package):
    assert build_lambda.unzipped_size(package) < build_lambda.UNZIPPED_LIMIT_BYTES
    # Over 50 MiB zipped it cannot be uploaded directly: the guide uploads it to S3 and both
    # CloudFormation and `zappa deploy --zip s3://...` take it from there.
    assert build_lambda.needs_s3_upload(package) is (
        package.stat().st_size > build_lambda.ZIPPED_LIMIT_BYTES
    )
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert re.search(r"aws s3 cp var/photosite-lambda\.zip s3://", guide)
    assert re.search(r"zappa (deploy|update) \S+ .*--zip s3://", guide)


def test_package_holds_the_site_and_its_runtime_dependencies_only(package):
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        settings_module = archive.read("zappa_settings.py").decode()
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert {
        "handler.py",
        "django_zappa_app.py",
        "manage.py",
        "photosite/settings.py",
        "deploy/lambda_settings.py",
        "deploy/zappa_hooks.py",
        "deploy/edge_handler.py",
        "accounts/triggers.py",
        "gallery/images.py",
        "templates/base.html",
        "var/staticfiles/staticfiles.json",
        "PIL/Image.py",
        "django/__init__.py",
        "zappa/handler.py",
        "werkzeug/__init__.py",
        # botocore's service models ship gzipped: without them every AWS call fails.
        "botocore/data/s3/2006-03-01/service-2.json.gz",
        "botocore/data/dynamodb/2012-08-10/service-2.json.gz",
    } <= names
    tops = {name.split("/")[0] for name in names}
    assert not tops & {"tests", "bench", "docs", "tools", "moto", "pytest", "_pytest", "ruff"}
    assert not tops & {"cfnlint", "sympy", "bin", ".venv", "static"}
    assert not tops & ZAPPA_BUILD_TOOLS
    # Bytecode, if any, is the target's: the build host's own pip-compiled files stay out.
    tags = {name.rsplit(".", 2)[-2] for name in names if name.endswith(".pyc")}
    assert tags <= {build_lambda.bytecode_tag(build_lambda.LAMBDA_PYTHON)}
    # Lambda runs the code as another user: everything world-readable.
    assert all(mode & 0o444 == 0o444 for mode in modes.values())
    # Written by Zappa's own code from zappa_settings.json.
    assert "DJANGO_SETTINGS='deploy.lambda_settings'" in settings_module
    assert "EXCEPTION_HANDLER='deploy.zappa_hooks.exception_handler'" in settings_module
    assert "DEBUG=False" in settings_module
    assert "REMOTE_ENV" not in settings_module


def test_runtime_requirements_leave_out_the_developer_tools():
    names = {re.split(r"[=\[<> ]", line)[0].lower() for line in build_lambda.package_requirements()}
    assert {"django", "pillow", "pynamodb", "boto3", "whitenoise", "django-storages"} <= names
    assert not names & {"moto", "flask", "pytest", "ruff", "cfn-lint", "sympy", "playwright"}
    assert not names & ZAPPA_BUILD_TOOLS


def test_pip_chooses_wheels_for_lambdas_platform_not_the_hosts():
    arguments = build_lambda.Target().pip_arguments()
    assert "--only-binary=:all:" in arguments
    assert "--python-version=3.12" in arguments
    assert "--implementation=cp" in arguments
    assert {a for a in arguments if a.startswith("--platform=")} == {
        "--platform=manylinux2014_x86_64",
        "--platform=manylinux_2_28_x86_64",
    }


# --- The same package, run here ------------------------------------------------------------------


def test_every_module_comes_with_bytecode_that_never_looks_at_the_zips_timestamps(host_package):
    tag = build_lambda.bytecode_tag(HOST_PYTHON)
    with zipfile.ZipFile(host_package) as archive:
        names = set(archive.namelist())
        sources = [n for n in names if n.endswith(".py") and not n.startswith("__pycache__")]
        missing = []
        for source in sources:
            folder, _, stem = source.rpartition("/")
            cached = f"{folder}/__pycache__/{stem[:-3]}.{tag}.pyc".lstrip("/")
            if cached not in names:
                missing.append(source)
                continue
            # PEP 552 flags: 0b01 = hash-based and not checked against the source.
            assert int.from_bytes(archive.read(cached)[4:8], "little") == 0b01, cached
    # A few files of dependencies are not Python (templates, test data): at most a handful.
    assert len(missing) <= 5, missing
    assert not [m for m in missing if m.split("/")[0] in {"gallery", "accounts", "photosite"}]
    assert {"handler.py", "zappa_settings.py", "django_zappa_app.py"}.isdisjoint(missing)


def test_package_serves_pages_through_zappas_handler_with_nothing_but_itself(
    host_package, tmp_path
):
    with zipfile.ZipFile(host_package) as archive:
        archive.extractall(tmp_path / "task")
    # One module without its bytecode shows that a compilation would be noticed.
    (removed,) = (tmp_path / "task" / "gallery" / "__pycache__").glob("views.*.pyc")
    removed.unlink()
    env = {k: v for k, v in production_env().items() if not k.startswith(("PYTHON", "VIRTUAL"))}
    result = subprocess.run(
        [
            sys.executable,
            "-S",
            "-B",  # /var/task is read-only on Lambda: nothing compiled here is kept
            str(ROOT / "tests" / "deploy" / "lambda_smoke.py"),
            str(tmp_path / "task"),
            env["DJANGO_ALLOWED_HOSTS"],
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["healthz"]["status"] == 200, answers["healthz"]
    login = answers["login"]
    assert login["status"] == 200, login["body"][:2000]
    # Templates rendered with whitenoise's hashed static names, from the collected manifest.
    assert re.search(r"/static/css/site\.[0-9a-f]{12}\.css", login["body"])
    # The Cognito triggers run from the same zip (TriggerFunction, accounts.triggers.handler).
    assert answers["trigger"] == "PreSignUp_SignUp"
    # Every other module of the package, the site's and its dependencies', loads from the
    # bytecode that came with it.
    assert answers["compiled_from_source"] == ["gallery/views.py"]
    assert answers["clients"] == [
        "S3",
        "DynamoDB",
        "CognitoIdentityProvider",
        "CognitoIdentity",
        "Lambda",
        "SQS",
        "SecretsManager",
    ]
