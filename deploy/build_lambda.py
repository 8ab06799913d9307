"""Build the Lambda package (`zappa package`) from the runtime requirements only.

Zappa zips the whole active virtualenv. The development venv also holds moto, pytest, ruff,
cfn-lint and what they pull in (sympy alone is 42 MB), which would push the package past
Lambda's limits. So this stages a throwaway venv that links exactly the production part of
requirements.txt (what the Dockerfile installs: everything above the local AWS stack), plus
Zappa, with their dependencies, and packages that: the same versions the tests ran against,
with no download.

    python -m deploy.build_lambda prod -o var/photosite-prod.zip
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
# requirements.txt lists what production runs first; from the line starting with this, what
# `make run` adds (moto). The Dockerfile cuts the file at the same line.
LOCAL_STACK_MARKER = "# The embedded local AWS stack"
PACKAGER = "zappa"
# Lambda's limits for a function deployed as a .zip (not a container image).
ZIPPED_LIMIT_BYTES = 50 * 1024 * 1024  # direct upload; through S3 the unzipped limit rules
UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024  # function code and layers, unzipped


def runtime_requirements(path: Path = ROOT / "requirements.txt") -> list[Requirement]:
    """Return the requirements production runs: those above the local AWS stack's."""
    lines = path.read_text().splitlines()
    cut = next((n for n, line in enumerate(lines) if line.startswith(LOCAL_STACK_MARKER)), None)
    if cut is None:
        raise ValueError(f"{path} has no line starting with {LOCAL_STACK_MARKER!r}")
    runtime = lines[:cut]
    return [Requirement(line.split("#")[0].strip()) for line in runtime if line[:1].isalpha()]


def closure(requirements: Iterable[Requirement]) -> dict[str, metadata.Distribution]:
    """Return the installed distributions these requirements need, by canonical name."""
    found: dict[str, metadata.Distribution] = {}
    pending = [(req, frozenset(req.extras)) for req in requirements]
    seen_extras: dict[str, frozenset[str]] = {}
    while pending:
        req, extras = pending.pop()
        name = canonicalize_name(req.name)
        if seen_extras.get(name, frozenset()) >= extras and name in found:
            continue
        seen_extras[name] = seen_extras.get(name, frozenset()) | extras
        dist = metadata.distribution(req.name)
        found[name] = dist
        for text in dist.requires or []:
            child = Requirement(text)
            if child.marker is None or any(
                child.marker.evaluate({"extra": extra}) for extra in (*extras, "")
            ):
                pending.append((child, frozenset(child.extras)))
    return found


def stage_venv(dists: Iterable[metadata.Distribution], destination: Path) -> Path:
    """Make a venv-shaped directory whose site-packages links only these distributions."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site_packages = destination / "lib" / version / "site-packages"
    site_packages.mkdir(parents=True)
    source = Path(sysconfig.get_paths()["purelib"])
    for dist in dists:
        tops = {Path(str(f)).parts[0] for f in dist.files or [] if not str(f).startswith("..")}
        for top in tops - {"__pycache__"}:
            target = site_packages / top
            if not target.exists() and (source / top).exists():
                target.symlink_to(source / top)
    return destination


def zappa_command() -> Path:
    """Return the zappa executable of this venv."""
    return Path(sys.executable).parent / "zappa"


def collect_static() -> None:
    """Collect static files with production settings into var/staticfiles, as the image does.

    whitenoise serves them on Lambda too, and production settings need the hashed manifest.
    The key and host exist for this command only.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"AWS_ENDPOINT_URL", "COGNITO_JWKS_URL", "PHOTOSITE_DEMO_USERS"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "photosite.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "collectstatic.invalid",
        }
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def build(stage: str, output: Path) -> Path:
    """Run `zappa package` for a stage in a staged runtime-only venv; return the zip's path."""
    collect_static()
    wanted = [*runtime_requirements(), Requirement(PACKAGER)]
    with tempfile.TemporaryDirectory(prefix="photosite-lambda-venv-") as tmp:
        venv = stage_venv(closure(wanted).values(), Path(tmp) / "venv")
        env = {**os.environ, "VIRTUAL_ENV": str(venv)}
        # Packaging reads no AWS resource; a region keeps boto3 from asking for one.
        env.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        # Zappa copies ~9,000 files twice before zipping them: on a tmpfs that takes a third
        # of the time it takes on a container's overlay disk.
        if os.access("/dev/shm", os.W_OK) and "TMPDIR" not in os.environ:  # noqa: S108
            env["TMPDIR"] = "/dev/shm"  # noqa: S108
        subprocess.run(  # noqa: S603 (fixed command)
            [str(zappa_command()), "package", stage, "--output", str(output.resolve())],
            cwd=ROOT,
            env=env,
            check=True,
        )
    return output


def needs_s3_upload(package: Path) -> bool:
    """Tell whether the zip is too big to upload to Lambda directly (Zappa always uses S3)."""
    return package.stat().st_size > ZIPPED_LIMIT_BYTES


def main(argv: list[str] | None = None) -> None:
    """Build the package and report its size against Lambda's limits."""
    import zipfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", nargs="?", default="prod")
    parser.add_argument("-o", "--output", type=Path, default=Path("var/photosite-lambda.zip"))
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    build(args.stage, args.output)
    zipped = args.output.stat().st_size
    with zipfile.ZipFile(args.output) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    mb = 1024 * 1024
    print(
        f"{args.output}: {zipped / mb:.1f} MiB zipped (direct-upload limit "
        f"{ZIPPED_LIMIT_BYTES // mb}), {unzipped / mb:.1f} MiB unzipped (limit "
        f"{UNZIPPED_LIMIT_BYTES // mb})"
    )
    if needs_s3_upload(args.output):
        print("too big for a direct upload: deploy it through S3 (zappa and CloudFormation do)")
    if unzipped > UNZIPPED_LIMIT_BYTES:  # zappa uploads through S3, so only this one binds
        sys.exit("too large for Lambda: set slim_handler or trim dependencies")


if __name__ == "__main__":
    main()
