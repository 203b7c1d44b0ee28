"""The wheel a user installs: build it, install it into a fresh virtual environment, run ``pate``.

Offline and quick: the wheel is built from a copy of the sources with the
installed setuptools (``pip wheel --no-build-isolation --no-index``); the
fresh environment has no pip and borrows the dependencies (numpy, numba,
pandas, scikit-learn) from this interpreter's site-packages through a
``.pth`` path line, which does not run this environment's own ``.pth`` hooks,
so an editable install of the repository cannot shadow the wheel.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from helpers import REPO

pytestmark = pytest.mark.slow  # builds a wheel into a fresh virtual environment


def _sh(*args, **kwargs) -> subprocess.CompletedProcess:
    out = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs)
    assert out.returncode == 0, f"{' '.join(map(str, args))}\n{out.stdout}\n{out.stderr}"
    return out


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("setuptools", minversion="77")  # the offline build needs setuptools>=77
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode != 0:
        pytest.skip("pip is not available to build the wheel")
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, src / name)
    shutil.copytree(
        REPO / "pate", src / "pate", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.nbi", "*.nbc")
    )
    _sh(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--quiet",
        "-w",
        root / "dist",
        src,
    )
    (built,) = (root / "dist").glob("pate_eval-*.whl")
    return built


def test_the_wheel_ships_the_data_notice_and_the_type_marker(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "pate/py.typed",
        "pate/data/README.md",
        "pate/data/exchange-2_cpc_results.csv.gz",
        "pate/data/ec2_request_latency_system_failure.csv.gz",
        "pate/data/nab_windows.json",
        "pate/cli/__init__.py",
        "pate/benchmark/_tables.py",
        "pate/report/templates/report.html.j2",
        "pate/report/templates/style.css",
        "pate/report/templates/sort.js",
    ):
        assert needed in names, needed
    assert not any(n.startswith(("tests/", "benchmarks/", "docs/")) for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "pate = pate.cli:command" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_pate_evaluate_runs_from_a_fresh_environment(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=sys.platform != "win32").create(env_dir)
    python = env_dir / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    fresh = Path(_sh(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (fresh / "_borrowed_dependencies.pth").write_text("\n".join(sorted(here)) + "\n")
    _sh(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel)

    # cwd away from the repository: `python -c` puts the working directory first on sys.path
    where = _sh(
        python, "-c", "import pate, pathlib; print(pathlib.Path(pate.__file__).parent)", cwd=tmp_path
    ).stdout.strip()
    assert Path(where) == fresh / "pate", f"pate imported from {where}, not from the wheel"
    data = Path(where) / "data"
    assert (data / "README.md").read_text().startswith("# Example data shipped with pate")
    assert (Path(where) / "py.typed").is_file()

    script = env_dir / ("Scripts/pate.exe" if sys.platform == "win32" else "bin/pate")
    out = _sh(
        script,
        "evaluate",
        data,
        "--metric",
        "pate,pate_f1",
        "--threshold",
        "0.5",
        "--format",
        "csv",
        "--quiet",
        cwd=tmp_path,
    )
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    names = {p.name.removesuffix(".csv.gz") for p in sorted(data.glob("*.csv.gz"))}
    assert len(rows) == 2 * 16 and {r["series"] for r in rows} == names
    assert all(0.0 <= float(r["pate"]) <= 1.0 for r in rows)
    assert "null" in {r["score"] for r in rows}
    # the report's templates come from the wheel (Jinja2 and matplotlib are borrowed from this environment)
    if importlib.util.find_spec("jinja2") and importlib.util.find_spec("matplotlib"):
        (tmp_path / "results.csv").write_text("series,detector,pate\ns1,a,0.9\ns1,b,0.2\ns2,a,0.8\ns2,b,0.4\n")
        _sh(script, "report", "results.csv", "-o", "page.html", cwd=tmp_path)
        assert '<h2 id="metric-pate-h">Metric pate</h2>' in (tmp_path / "page.html").read_text()
    version = _sh(script, "--version", cwd=tmp_path).stdout.strip()
    assert version == "pate " + _sh(python, "-c", "import pate; print(pate.__version__)", cwd=tmp_path).stdout.strip()


PUBLISHED = ("LICENSE", "NOTICE", "SOURCE.json", "tsb-ad-u.csv.gz", "tsb-ad-m.csv.gz")


def test_the_wheel_ships_the_published_results_with_their_licence_and_notice(wheel):
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    for name in PUBLISHED:
        assert f"pate/published/tsb-ad/{name}" in names, name
    licence = archive.read("pate/published/tsb-ad/LICENSE").decode()
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    notice = archive.read("pate/published/tsb-ad/NOTICE").decode()
    assert "https://github.com/TheDatumOrg/TSB-AD" in notice and "What was changed" in notice
    for name in PUBLISHED:  # byte for byte the repository's files
        assert (
            archive.read(f"pate/published/tsb-ad/{name}")
            == (REPO / "pate" / "published" / "tsb-ad" / name).read_bytes()
        )
    # the example series stay alone in pate/data (pate evaluate reads that folder recursively)
    assert not any(n.startswith("pate/data/") and "published" in n for n in names)


def test_published_results_and_against_run_from_a_fresh_environment(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=sys.platform != "win32").create(env_dir)
    python = env_dir / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    fresh = Path(_sh(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (fresh / "_borrowed_dependencies.pth").write_text("\n".join(sorted(here)) + "\n")
    _sh(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel)
    code = (
        "import pate.compare as c; r = c.published_results('tsb-ad-u'); "
        "print(len(r), len(c.published_results('tsb-ad-m')), c.list_published()[1].license); "
        "s = r[r.detector == 'Sub-PCA'].assign(detector='mine'); s['value'] = 1 - (1 - s['value']) / 2; "
        "s.to_csv('mine.csv', index=False)"
    )
    assert _sh(python, "-c", code, cwd=tmp_path).stdout.split() == ["11200", "4140", "Apache-2.0"]
    script = env_dir / ("Scripts/pate.exe" if sys.platform == "win32" else "bin/pate")
    out = _sh(script, "compare", "mine.csv", "--against", "tsb-ad-u", "--format", "csv", cwd=tmp_path)
    assert out.stdout.splitlines()[1].startswith("mine,")
