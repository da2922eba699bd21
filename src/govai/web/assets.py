"""GOV.UK Frontend's compiled assets (CSS, JavaScript, fonts, images), brought in from the npm
registry with npm at install or start-up time, checked against a pinned digest, and served by
GovAI itself under ``/assets/`` (no CDN).

``govai web assets`` fetches them (``govai serve`` does so once when they are missing);
``--from TARBALL`` unpacks a tarball obtained another way, for a machine with no npm or no
network. They land in ``GOVAI_WEB_ASSETS`` or, by default, beside this package
(``src/govai/web/static/vendor/``, ignored by git).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from govai.errors import GovAIError

# govuk-frontend-jinja 4.1.0 renders the markup of GOV.UK Frontend 6.3.0: keep the two in step.
GOVUK_FRONTEND = "6.3.0"
GOVUK_FRONTEND_SHA512 = ("sha512-cXIQxm5PHCsbic47GXZrVBZhAeeshTLRL6ZBKilLsR6rMCjJuWb7Fruq0VUNMBJFlJk/srsRj/q8d5bM9cgKoA==")
# Only what a page needs: the compiled CSS and JavaScript, the fonts, the icons and the manifest.
_WANTED = ("dist/govuk/govuk-frontend.min.css", "dist/govuk/govuk-frontend.min.js", "dist/govuk/assets/")
MARKER = ".govuk-frontend-version"
OWN = Path(__file__).resolve().parent / "static" / "govai"  # GovAI's own CSS and scripts (in git)


class AssetsError(GovAIError):
    pass


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # npm's "sha512-<base64>"


FRONTEND = Package("govuk-frontend", GOVUK_FRONTEND, GOVUK_FRONTEND_SHA512)


def directory() -> Path:
    """Where the GOV.UK Frontend files are (or will be) unpacked."""
    configured = os.environ.get("GOVAI_WEB_ASSETS")
    if configured:
        return Path(configured).expanduser()
    return Path(__file__).resolve().parent / "static" / "vendor" / "govuk-frontend"


def present(where: Path | None = None) -> bool:
    where = where or directory()
    marker = where / MARKER
    return (marker.is_file() and marker.read_text(encoding="utf-8").strip() == GOVUK_FRONTEND
            and (where / "govuk-frontend.min.css").is_file())


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def npm_pack(package: Package, into: Path) -> bytes:
    """The package's tarball, fetched by npm from the configured registry, digest checked."""
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsError(f"npm is not installed, so {package.name} {package.version} cannot be fetched: install "
                          f"Node.js and npm, or run: govai web assets --from {package.name}-{package.version}.tgz")
    into.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "pack", f"{package.name}@{package.version}", "--silent", "--pack-destination",
                           str(into)], capture_output=True, text=True, timeout=300, check=False)
    tarball = into / f"{package.name}-{package.version}.tgz"
    if done.returncode != 0 or not tarball.is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise AssetsError(f"npm pack {package.name}@{package.version} failed: {detail[0][:300]}")
    data = tarball.read_bytes()
    check(package, data)
    return data


def check(package: Package, data: bytes) -> None:
    found = integrity_of(data)
    if found != package.integrity:
        raise AssetsError(f"{package.name} {package.version}: the tarball's digest {found[:30]}... is not the "
                          f"pinned {package.integrity[:30]}...; refusing to use it")


def unpack(data: bytes, where: Path) -> int:
    """Unpack the assets a page needs into ``where`` (replacing what was there); returns the file count."""
    staging = Path(tempfile.mkdtemp(prefix=".govuk-frontend-", dir=_parent_for(where)))
    count = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                name = member.name.removeprefix("package/")
                if not member.isfile() or not name.startswith(_WANTED) or name.endswith(".map"):
                    continue
                # dist/govuk/assets/fonts/x -> fonts/x: the CSS asks for /assets/fonts/..., served from here
                relative = Path(name.removeprefix("dist/govuk/").removeprefix("assets/"))
                if relative.is_absolute() or ".." in relative.parts:
                    continue
                target = staging / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                assert source is not None
                target.write_bytes(source.read())
                count += 1
        (staging / MARKER).write_text(GOVUK_FRONTEND + "\n", encoding="utf-8")
        if where.exists():
            shutil.rmtree(where)
        staging.rename(where)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    if not (where / "govuk-frontend.min.css").is_file():
        raise AssetsError(f"the {FRONTEND.name} tarball holds no dist/govuk/govuk-frontend.min.css")
    return count


def _parent_for(where: Path) -> Path:
    where.parent.mkdir(parents=True, exist_ok=True)
    if not os.access(where.parent, os.W_OK):
        raise AssetsError(f"cannot write the web assets to {where.parent}; set GOVAI_WEB_ASSETS to a writable "
                          "directory")
    return where.parent


def fetch(*, force: bool = False, tarball: Path | None = None, where: Path | None = None) -> tuple[Path, int]:
    """Make sure GOV.UK Frontend's assets are in place; returns where, and how many files were
    written (0 when they were already there)."""
    where = where or directory()
    if present(where) and not force and tarball is None:
        return where, 0
    if tarball is not None:
        data = tarball.read_bytes()
        check(FRONTEND, data)
    else:
        with tempfile.TemporaryDirectory(prefix="govai-npm-") as tmp:
            data = npm_pack(FRONTEND, Path(tmp))
    return where, unpack(data, where)
