from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from citizen.selection.cli import main

BENCH = Path(os.environ.get("SORTITION_BENCH_DIR",
                            Path(__file__).resolve().parents[3] / "shared/bench/sortition"))
ROOT = Path(__file__).resolve().parents[2]

CATEGORIES = "category,feature,min,max\ngender,f,2,3\ngender,m,2,3\nage,y,1,4\nage,o,1,4\n"
RESPONDENTS = "gender,age\n" + "".join(
    f"{'f' if i % 2 else 'm'},{'y' if i % 3 else 'o'}\n" for i in range(16))
FEATURES = "feature,value,min,max,min_flex,max_flex\ngender,f,2,3,0,5\ngender,m,2,3,0,5\n"
CANDIDATES = "id,name,gender\n" + "".join(
    f"c{i},Name {i},{'f' if i % 2 else 'm'}\n" for i in range(12))


def run(tmp_path: Path, categories: str, respondents: str, *extra: str,
        capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    (tmp_path / "c.csv").write_text(categories, encoding="utf-8")
    (tmp_path / "r.csv").write_text(respondents, encoding="utf-8")
    code = main(["select", "--categories", str(tmp_path / "c.csv"), "--respondents",
                 str(tmp_path / "r.csv"), "--out", str(tmp_path / "out"), *extra])
    return code, capsys.readouterr().err


def test_select_writes_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(tmp_path, CATEGORIES, RESPONDENTS, "--panel-size", "5", "--seed", "3",
                    capsys=capsys)
    assert code == 0, err
    out = tmp_path / "out"
    report = json.loads((out / "report.json").read_text())
    assert report["seed"] == 3 and len(report["panel"]) == 5
    assert abs(sum(lp["probability"] for lp in report["lottery"]) - 1) < 1e-6
    assert (out / "probabilities.csv").read_text().count("\n") == 17
    assert (out / "reserves.csv").exists() and (out / "timings.json").exists()


def test_features_layout_with_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(tmp_path, FEATURES, CANDIDATES, "--panel-size", "5", "--seed", "1",
                    "--transparent", "50", capsys=capsys)
    assert code == 0, err
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert all(pid.startswith("c") for pid in report["panel"])
    assert report["transparent"]["panels"] == 50


@pytest.mark.parametrize(
    ("categories", "respondents", "expected"),
    [
        ("cat,feat,lo,hi\n", RESPONDENTS, "line 1"),
        (CATEGORIES.replace("2,3\ngender,m", "two,3\ngender,m"), RESPONDENTS,
         "line 2, column 'min'"),
        (CATEGORIES + "age,x\n", RESPONDENTS, "line 6: expected 4 fields"),
        (CATEGORIES, RESPONDENTS + "f,middle\n", "line 18, column 'age': the value 'middle'"),
        (CATEGORIES, "gender\nf\n", "no column for category 'age'"),
        (FEATURES, CANDIDATES + "c3,Again,f\n", "line 14: the identifier 'c3' was already"),
        (CATEGORIES.replace("gender,m,2,3", "gender,m,0,1"), RESPONDENTS,
         "cannot add up to the panel size 5"),
        (CATEGORIES.replace("gender,f,2,3", "gender,f,3,2"), RESPONDENTS, "need 0 <= min"),
        ("", RESPONDENTS, "empty"),
    ],
)
def test_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], categories: str,
                   respondents: str, expected: str) -> None:
    code, err = run(tmp_path, categories, respondents, "--panel-size", "5", capsys=capsys)
    assert code == 2
    assert expected in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["select", "--categories", str(tmp_path / "none.csv"), "--respondents",
                 str(tmp_path / "none.csv"), "--panel-size", "2", "--out", str(tmp_path)])
    assert code == 2
    assert "file not found" in capsys.readouterr().err


def test_infeasible_reports_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cats = "category,feature,min,max\ngender,f,4,5\ngender,m,0,5\nage,y,0,5\nage,o,0,5\n"
    resp = "gender,age\n" + "f,y\n" * 2 + "m,o\n" * 6
    code, err = run(tmp_path, cats, resp, "--panel-size", "5", capsys=capsys)
    assert code == 3
    assert "lower the minimum for gender = f from 4 to 2" in err


def test_byte_identical_across_processes(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(CATEGORIES, encoding="utf-8")
    (tmp_path / "r.csv").write_text(RESPONDENTS, encoding="utf-8")
    outs = []
    for hashseed in ("1", "12345"):
        out = tmp_path / f"out{hashseed}"
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        subprocess.run([sys.executable, "-m", "citizen.selection", "select", "--categories",
                        str(tmp_path / "c.csv"), "--respondents", str(tmp_path / "r.csv"),
                        "--panel-size", "5", "--seed", "99", "--transparent", "20",
                        "--out", str(out)], check=True, env=env, cwd=ROOT,
                       capture_output=True)
        outs.append(out)
    names = sorted(p.name for p in outs[0].iterdir() if p.name != "timings.json")
    assert "report.json" in names and "panel.csv" in names
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


@pytest.mark.parametrize(("name", "files", "k", "minimum"), [
    ("instances/example_small_20", ("categories.csv", "respondents.csv"), 20, 0.1),
    ("instances/sortition_algorithms_fixture_22", ("features.csv", "candidates.csv"), 22,
     0.0909),
    ("synthetic/synth_mass_24", ("features.csv", "candidates.csv"), 24, 0.2222),
])
def test_real_instances(name: str, files: tuple[str, str], k: int, minimum: float) -> None:
    folder = BENCH / name
    if not folder.exists():
        pytest.skip("benchmark data not available")
    from citizen.selection import load_problem, select

    problem = load_problem(folder / files[0], folder / files[1], k)
    result = select(problem, seed=1)
    assert result.fairness.minimum >= minimum - 1e-4
