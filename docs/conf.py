"""Sphinx configuration for the peoscales documentation."""

from __future__ import annotations

import sys
from pathlib import Path

import peoscales

# Local extensions (the glossary tables are generated from peoscales._glossary).
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "peoscales"
author = "The peoscales developers"
copyright = "2026, the peoscales developers"
release = peoscales.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
    "matplotlib.sphinxext.plot_directive",
    "peoscales_glossary",
]

source_suffix = {".rst": "restructuredtext", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "api/generated/*.md"]
templates_path: list[str] = []
html_static_path = ["_static"]
html_theme = "alabaster"
html_title = f"peoscales {release}"

autosummary_generate = True
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# Notebooks are committed with their outputs (the test suite executes them);
# the documentation shows those outputs and never runs code itself.
nb_execution_mode = "off"

# The chart gallery (charts.rst) is drawn from its code at build time: no stored images.
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 100)]
plot_rcparams = {"savefig.bbox": "tight"}
suppress_warnings = ["mystnb.unknown_mime_type"]
