"""The corpus of bad inputs: each case breaks a copy of the mini guide in one way and
names the exact lines `guide` must print (see tests/bad_inputs/README.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from guide.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
CASES = sorted((ROOT / "tests" / "bad_inputs").glob("*.yaml"))
CASE_KEYS = {"defect", "replace", "write", "write_bytes", "delete", "command", "exit", "expect"}


def load_case(path: Path) -> dict:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
    assert case.get("defect"), f"{path.name}: say what the defect is"
    assert isinstance(case.get("expect"), list), f"{path.name}: 'expect' must be a list"
    return case


def apply_edits(case: dict, guide: Path) -> None:
    """The edits, kind by kind in the order the case file lists them."""
    for kind in [k for k in case if k in ("replace", "write", "write_bytes", "delete")]:
        for edit in case[kind]:
            path = guide / edit["file"]
            if kind == "replace":
                text = path.read_text(encoding="utf-8")
                assert edit["old"] in text, f"{edit['file']}: {edit['old']!r} not found"
                path.write_text(text.replace(edit["old"], edit["new"], 1), encoding="utf-8")
            elif kind == "write":
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(edit["content"], encoding="utf-8")
            elif kind == "write_bytes":
                # One character per byte: "\xef\xbb\xbf" in a double-quoted YAML string is a BOM.
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(edit["content"].encode("latin-1"))
            else:
                path.unlink()


def run_case(case: dict, tmp_path: Path, capsys) -> tuple[int, list[str], str]:
    """(exit code, stderr lines with the guide folder's prefix removed, raw stderr)."""
    guide = tmp_path / "mini"
    shutil.copytree(MINI, guide)
    apply_edits(case, guide)
    command = case.get("command", "check")
    assert command in ("check", "build"), command
    argv = [command, str(guide)]
    if command == "build":
        argv += ["-o", str(tmp_path / "out.pdf")]
    capsys.readouterr()
    code = main(argv)
    err = capsys.readouterr().err
    text = err
    for prefix in {str(guide.resolve()), str(guide)}:
        text = text.replace(prefix + "/", "")
    text = text.replace(str(ROOT) + "/", "<repo>/")
    return code, text.splitlines(), err


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_input(path, tmp_path, capsys):
    case = load_case(path)
    code, lines, err = run_case(case, tmp_path, capsys)
    assert "Traceback" not in err
    assert lines == case["expect"]
    assert code == case.get("exit", 1)


def test_the_corpus_is_large_and_each_defect_is_named_once():
    defects = [load_case(path)["defect"] for path in CASES]
    assert len(defects) >= 40
    repeated = sorted({d for d in defects if defects.count(d) > 1})
    assert not repeated, f"defects named twice: {repeated}"
