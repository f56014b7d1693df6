"""A LaTeX cache that several renders can share at once, and that a full disk cannot break:
one per machine (`shared_dir`), so a formula compiles once, whatever the output folder.

Manim compiles every formula in its tex_dir: it writes the .tex, .dvi and .svg in place,
treats any existing file as done, and deletes every non-SVG file of the folder after each
formula, so two renders sharing a folder delete each other's work, and a file cut short
(disk full, a kill) is trusted for ever. Here each formula compiles in a private folder
and only its finished SVG moves into the shared folder, atomically (os.replace); an SVG
that does not parse is rebuilt. Manim's SVG reader also writes a modified copy beside the file
it reads; here that copy goes to a private folder. `install()` puts both in place.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path


def shared_dir() -> Path:
    """The machine's LaTeX cache: $XDG_CACHE_HOME/ridge-lagrange/tex (default ~/.cache/…),
    shared by every render and output folder."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ridge-lagrange" / "tex"


class TexError(RuntimeError):
    """A formula that did not compile, or a cache that could not be written; one line."""


def _intact(svg: Path) -> bool:
    try:
        return ET.parse(svg).getroot().tag.endswith("svg")
    except (ET.ParseError, OSError):
        return False


def tex_to_svg_file(expression: str, environment: str | None = None, tex_template=None) -> Path:
    """The SVG of `expression`, from the shared cache (config.tex_dir) or compiled now."""
    from manim import config
    from manim.utils.tex_file_writing import make_tex_compilation_command, tex_hash

    template = tex_template or config["tex_template"]
    code = (
        template.get_texcode_for_expression_in_env(expression, environment)
        if environment is not None
        else template.get_texcode_for_expression(expression)
    )
    shared = Path(config.get_dir("tex_dir"))
    svg = shared / f"{tex_hash(code)}.svg"
    if svg.exists() and _intact(svg):
        return svg
    work = shared / f".build-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        work.mkdir(parents=True)
        tex = work / svg.with_suffix(".tex").name
        tex.write_text(code, encoding="utf-8")
        compilers = template.tex_compiler
        for compiler in [compilers] if isinstance(compilers, str) else compilers:
            cmd = make_tex_compilation_command(compiler, template.output_format, tex, work)
            done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if done.returncode != 0:
                raise TexError(f"LaTeX could not typeset {expression!r} (log: {tex.stem}.log)")
        built = work / svg.name
        subprocess.run(
            [
                "dvisvgm",
                *(["--pdf"] if template.output_format == ".pdf" else []),
                "--page=1",
                "--no-fonts",
                "--verbosity=0",
                f"--output={built}",
                str(tex.with_suffix(template.output_format)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not _intact(built):
            raise TexError(f"dvisvgm could not convert {expression!r} to SVG")
        os.replace(built, svg)
    except OSError as err:
        if err.errno == errno.ENOSPC:
            raise TexError(f"the disk is full: no room to compile LaTeX in {shared}") from None
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return svg


def generate_mobject(self):
    """SVGMobject.generate_mobject, except that the modified copy of the SVG it parses goes
    to a private temporary folder rather than beside the shared cached file (where two
    processes would write and delete the same copy)."""
    import svgelements
    from manim import RIGHT

    tree = self.modify_xml_tree(ET.parse(self.get_file_path()))
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "modified.svg"
        tree.write(copy)
        svg = svgelements.SVG.parse(copy)
    mobjects, self.id_to_vgroup_dict = self.get_mobjects_from(svg)
    self.add(*mobjects)
    self.flip(RIGHT)
    return self


def install() -> None:
    """Use this cache for every MathTex from now on (in this process)."""
    from manim import SVGMobject
    from manim.mobject.text import tex_mobject
    from manim.utils import tex_file_writing

    tex_file_writing.tex_to_svg_file = tex_to_svg_file
    tex_mobject.tex_to_svg_file = tex_to_svg_file
    SVGMobject.generate_mobject = generate_mobject
