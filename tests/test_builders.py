"""Outputs as builders (guide/builders/): each output is one module behind one interface,
registered by name and chosen with `guide build --to NAME`; adding one touches nothing else."""

from __future__ import annotations

from pathlib import Path

from conftest import BUILTIN_LAYOUT_NAMES, MINI

from guide.builders import BUILDERS, DEFAULT, builder
from guide.cli import main

TITLES = '''
from guide.builders.base import Rendered


class Titles:
    """An output of the section titles, one a line: a builder as simple as one can be."""

    name = "titles"
    suffix = ".txt"
    description = "section titles"

    def warm(self):
        pass

    def render(self, guide, settings, doing, relayout=None, impose=True):
        text = "".join(s.title + "\\n" for source in guide.sources for s in source.sections)
        return Rendered(settings.layout.name, self.name, text.encode(), self.suffix, 0, [])


BUILDER = Titles()
'''


def test_each_builder_is_registered_by_its_own_name():
    assert DEFAULT == "pdf"
    for name in BUILDERS:
        assert builder(name).name == name
    assert {builder(name).suffix for name in BUILDERS} == {".pdf", ".html", ".apkg"}


def test_an_output_added_to_the_registry_alone_is_built_with_to(
    monkeypatch, tmp_path: Path, capsys
):
    (tmp_path / "titles_builder.py").write_text(TITLES, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(BUILDERS, "titles", "titles_builder")
    target = tmp_path / "out" / "mini.txt"
    assert main(["build", str(MINI), "--to", "titles", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == "Gutenberg’s invention\nThe press spreads\n"
    assert capsys.readouterr().out.startswith(f"built {target} (student, section titles) in ")
    # Every layout, each named by the builder's suffix.
    monkeypatch.chdir(tmp_path)
    assert main(["build", str(MINI), "--to", "titles", "--layout", "all", "-q"]) == 0
    layouts = BUILTIN_LAYOUT_NAMES
    written = sorted(p.name for p in (tmp_path / "output").glob("mini-*"))
    assert written == sorted(f"mini-{layout}.txt" for layout in layouts)


def test_html_is_the_preview_builder_and_an_unknown_output_is_named(tmp_path, capsys):
    target = tmp_path / "mini.html"
    assert main(["build", str(MINI), "--to", "HTML", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["build", str(MINI), "--to", "pfd"]) == 2
    assert "did you mean 'pdf'?" in capsys.readouterr().err


def test_a_layout_may_choose_its_output_and_the_command_line_another(mini_copy, capsys):
    web = mini_copy / "layouts" / "web"
    web.mkdir(parents=True)
    (web / "layout.yaml").write_text(
        "name: web\ndescription: a page for the class website\nextends: student\nto: html\n"
        "stylesheets: []\n",
        encoding="utf-8",
    )
    out = mini_copy / "out"
    assert main(["build", str(mini_copy), "--layout", "web", "-o", str(out / "a.html")]) == 0
    assert (out / "a.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "(web, HTML preview)" in capsys.readouterr().out
    assert (
        main(["build", str(mini_copy), "--layout", "web", "--to", "pdf", "-o", str(out / "a.pdf")])
        == 0
    )
    assert (out / "a.pdf").read_bytes().startswith(b"%PDF-")
    # A layout that names no builder of the registry is refused where it says so.
    (web / "layout.yaml").write_text(
        "name: web\ndescription: x\nextends: student\nto: epub\nstylesheets: []\n",
        encoding="utf-8",
    )
    assert main(["build", str(mini_copy), "--layout", "web"]) == 1
    assert "layout.yaml:4" in capsys.readouterr().err
