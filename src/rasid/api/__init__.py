"""rasid's HTTP API (issue #18): :func:`rasid.api.app.create_app`, run by ``rasid serve``.

Imported only by ``rasid serve`` and the tests: ``rasid extract`` must start without FastAPI.
"""
