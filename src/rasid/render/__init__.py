"""Renderers for annotation objects (see :mod:`rasid.annotate`)."""

from rasid.render.html import render_html

__all__ = ["render_html"]
