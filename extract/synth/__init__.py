"""Synthetic Thai action-plan forms with exact ground truth (content, layout, renderers, degradations).

Main entry points::

    make_form(seed, digits="thai", n_items=None) -> Form
    layout_page(form, font=..., ruling=...) -> PageLayout
    render_raster(layout, dpi) / render_pdf(layouts, path)
    degrade(image, layout, Degradation(...)) -> (image, matrix, artifacts)
    write_document(path, [PageSpec(...)], kind) -> truth dict (also <name>.truth.json)
    generate_set(out_dir, seed, specs_or_count) / make_samples(out_dir)
"""
from .content import Form, Row, make_form, table_cells
from .degrade import Degradation, degrade
from .document import (DocSpec, PageSpec, build_layout, generate_set, make_samples, random_doc_specs,
                       render_page, write_document)
from .layout import FONTS, PageLayout, layout_page
from .render import render_pdf, render_raster

__all__ = ["Form", "Row", "make_form", "table_cells", "Degradation", "degrade", "DocSpec", "PageSpec",
           "build_layout", "generate_set", "make_samples", "random_doc_specs", "render_page", "write_document",
           "FONTS", "PageLayout", "layout_page", "render_pdf", "render_raster"]
