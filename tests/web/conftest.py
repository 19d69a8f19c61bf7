"""The browser tests' fixtures live in web_fixtures.py (a module name of its own: tests/api has a conftest
too, and the test modules import helpers from it)."""

from web_fixtures import browser, phone, ui, web_server

__all__ = ["browser", "phone", "ui", "web_server"]
