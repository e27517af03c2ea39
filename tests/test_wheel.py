"""Installed as a user installs a Python tool: a wheel built from this checkout, installed (not
editable) into a fresh virtual environment outside the repository, runs `guide new`, `check`,
`build --layout all` and `layouts` from a folder outside it, with the built-in layouts it
carries inside the package.

The dependencies come from a wheelhouse beside the test environment (`.venv/wheelhouse/`),
filled once from the package index at the versions `.venv` has (a `pip freeze` as
constraints), so every later run builds and installs offline in seconds. A new dependency, or
a version `.venv` moved to, fills it again. The fresh environment is made without pip and
without the system's site-packages: it can see nothing of `.venv`, the editable install
included. One test, so that pytest-xdist never makes the environment twice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from pathlib import Path

from conftest import BUILTIN_LAYOUT_NAMES, FLAGSHIP, ROOT

LAYOUTS = BUILTIN_LAYOUT_NAMES
# What the wheel is built from: the package and the files pyproject.toml names.
PACKAGE_FILES = ["pyproject.toml", "README.md", "guide"]


def _wheelhouse(tmp_path_factory) -> Path:
    """Beside the test environment, so it goes with it (`make distclean`); a temporary one
    when the tests do not run in a virtual environment."""
    if sys.prefix != sys.base_prefix:
        return Path(sys.prefix) / "wheelhouse"
    return tmp_path_factory.mktemp("wheelhouse")


def _run(command: list[str | Path], cwd: Path, env: dict[str, str] | None = None):
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True
    )


def _ok(result: subprocess.CompletedProcess) -> str:
    shown = " ".join(result.args)
    assert result.returncode == 0, (
        f"{shown} exited {result.returncode}:\n{result.stdout}{result.stderr}"
    )
    return result.stdout


def _pip(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], cwd)


def _fill(wheelhouse: Path, work: Path, *wanted: str | Path) -> None:
    """Download `wanted` and what it needs into the wheelhouse (from the index: network).
    Into a folder of its own first, then moved in file by file, so that another test session
    reading the wheelhouse meanwhile never sees half a wheel."""
    incoming = Path(tempfile.mkdtemp(dir=work))
    _ok(
        _pip(
            "download", "--quiet", "-c", work / "constraints.txt", "-d", incoming, *wanted, cwd=work
        )
    )
    wheelhouse.mkdir(parents=True, exist_ok=True)
    for wheel in incoming.iterdir():
        if not wheel.name.startswith("guide-"):
            os.replace(wheel, wheelhouse / wheel.name)


def _offline(wheelhouse: Path, work: Path, args: list[str | Path], *fill: str | Path) -> None:
    """pip `args` from the wheelhouse alone; if something is missing there, fetch `fill` and
    what it needs, and once more."""
    offline = ["--no-index", "--find-links", wheelhouse]
    if _pip(*args, *offline, cwd=work).returncode != 0:
        _fill(wheelhouse, work, *fill)
        _ok(_pip(*args, *offline, cwd=work))


def _environment_without_pip(folder: Path) -> Path:
    """A fresh virtual environment, its python returned. Made without pip, and filled by the
    test environment's pip (`pip --python`, pip 22.3 or later): five seconds less."""
    pip_version = _ok(_pip("--version", cwd=folder.parent)).split()[1]
    with_pip = tuple(int(part) for part in pip_version.split(".")[:2]) < (22, 3)
    venv.EnvBuilder(with_pip=with_pip, system_site_packages=False, clear=True).create(folder)
    return folder / "bin" / "python"


def _is_pdf(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]


def test_a_wheel_installed_outside_the_repository_runs_every_command(tmp_path_factory):
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(ROOT)
    wheelhouse = _wheelhouse(tmp_path_factory)
    seconds = {}
    started = time.perf_counter()

    # The wheel, built from a copy of the package's files (the checkout gets no build/ folder,
    # and another session building at the same time is no trouble).
    source = base / "source"
    source.mkdir()
    for name in PACKAGE_FILES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    frozen = _ok(_pip("freeze", "--exclude-editable", cwd=base)).splitlines()
    (base / "constraints.txt").write_text(
        "".join(line + "\n" for line in frozen if "==" in line), encoding="utf-8"
    )
    dist = base / "dist"
    # Built in isolation, as pip builds any project: setuptools comes from the wheelhouse.
    _offline(
        wheelhouse, base, ["wheel", "--quiet", "--no-deps", "-w", dist, source], "setuptools>=68"
    )
    (wheel,) = dist.glob("guide-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for layout in LAYOUTS:
        assert f"guide/builtin_layouts/{layout}/layout.yaml" in names
    assert "guide/starters/en/guide.yaml" in names and "guide/starters/de/guide.yaml" in names
    assert not any("__pycache__" in name for name in names)
    seconds["wheel"] = time.perf_counter() - started

    # Installed, not editable, with its dependencies at the test environment's versions.
    python = _environment_without_pip(base / "venv")
    install = ["--python", python, "install", "--quiet", "-c", base / "constraints.txt", wheel]
    _offline(wheelhouse, base, install, wheel)
    bin_folder = python.parent
    seconds["install"] = time.perf_counter() - started - seconds["wheel"]

    # From a folder outside the repository, with nothing of the test environment about.
    work = base / "work"
    work.mkdir()
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    env["PATH"] = f"{bin_folder}{os.pathsep}{env.get('PATH', '')}"

    def guide(*args: str) -> str:
        return _ok(_run([bin_folder / "guide", *args], work, env))

    where = _ok(
        _run(
            [
                python,
                "-c",
                "import guide, guide.layouts as l; print(guide.__file__); print(l.BUILTIN_LAYOUTS)",
            ],
            work,
            env,
        )
    ).splitlines()
    site_packages = base / "venv" / "lib"
    for path in where:
        assert Path(path).is_relative_to(site_packages), where

    listed = guide("layouts")
    assert [line.split()[0] for line in listed.splitlines()] == LAYOUTS

    guide("new", "demo", "--title", "A Wheel's Guide", "--author", "Ms Rivera")
    shutil.copytree(FLAGSHIP, work / "moon-race")
    # Every layout on the new guide proves every layout's files are installed; the flagship,
    # its texts and repairs, in one (all five would add some 45 s to every test run).
    for name, layouts in (("demo", LAYOUTS), ("moon-race", ["student"])):
        assert "valid" in guide("check", name)
        which = "all" if len(layouts) > 1 else layouts[0]
        built = guide("build", name, "--layout", which, "--deps")
        for layout in layouts:
            pdf = work / "output" / f"{name}-{layout}.pdf"
            assert f"built output/{name}-{layout}.pdf" in built
            assert _is_pdf(pdf), pdf
            # Every file the build read: the guide's own here, the layouts in the environment.
            rules = (pdf.parent / f"{pdf.name}.d").read_text(encoding="utf-8")
            assert str(site_packages) in rules and str(ROOT) not in rules
    seconds["commands"] = time.perf_counter() - started - seconds["wheel"] - seconds["install"]
    print("seconds: " + ", ".join(f"{step} {value:.1f}" for step, value in seconds.items()))
