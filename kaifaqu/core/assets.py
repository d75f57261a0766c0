"""Fetch the front-end packages listed in ``assets.json`` into ``static/vendor/``.

Run at setup (``python -m kaifaqu.core.assets``). Each tarball comes from the npm
registry (``NPM_CONFIG_REGISTRY`` points at an intranet mirror), is checked against
its pinned sha512, and only the listed files are unpacked. Once done the app serves
them itself, so the product runs with no internet.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

MANIFEST = Path(__file__).resolve().parent / "assets.json"
VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"
STAMP = VENDOR_DIR / ".installed.json"
SOURCE_MAP = re.compile(rb"(//# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^*]*\*/)")


def registry_url() -> str:
    url = os.environ.get("NPM_CONFIG_REGISTRY") or os.environ.get("npm_config_registry")  # noqa: SIM112 - npm spells it so
    return (url or "https://registry.npmjs.org/").rstrip("/")


def packages() -> list[dict]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["packages"]


def wanted_stamp() -> dict[str, str]:
    return {package["name"]: package["version"] for package in packages()}


def is_installed() -> bool:
    if not STAMP.exists():
        return False
    if json.loads(STAMP.read_text(encoding="utf-8")) != wanted_stamp():
        return False
    return all((VENDOR_DIR / target).exists() for package in packages() for target in package["files"].values())


def fetch_package(package: dict) -> None:
    name, version = package["name"], package["version"]
    url = f"{registry_url()}/{name}/-/{name.split('/')[-1]}-{version}.tgz"
    with urllib.request.urlopen(url, timeout=120) as response:
        data = response.read()
    algorithm, expected = package["integrity"].split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise RuntimeError(f"{name}@{version} 校验失败：下载内容与 assets.json 中的 integrity 不一致")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for source, target in package["files"].items():
            member = archive.extractfile(f"package/{source}")
            if member is None:
                raise RuntimeError(f"{name}@{version} 中没有文件 {source}")
            path = VENDOR_DIR / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_without_source_map(target, member.read()))


def _without_source_map(target: str, content: bytes) -> bytes:
    # The .map files are not shipped; a dangling reference would break collectstatic's
    # hashed storage and make browsers request a file that is not there.
    if not target.endswith((".js", ".css")):
        return content
    return SOURCE_MAP.sub(b"", content)


def install(force: bool = False) -> bool:
    """Fetch every package unless already present. Returns whether anything was fetched."""
    if is_installed() and not force:
        return False
    for package in packages():
        print(f"  获取前端资源 {package['name']}@{package['version']}", file=sys.stderr)
        fetch_package(package)
    STAMP.write_text(json.dumps(wanted_stamp(), ensure_ascii=False, indent=2), encoding="utf-8")
    return True


if __name__ == "__main__":
    install(force="--force" in sys.argv)
