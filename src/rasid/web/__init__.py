"""The browser UI's static assets (``static/``), served by ``rasid serve``.

There is no Python here on purpose: the API (``rasid.api``) mounts this
package's ``static`` folder, found through importlib.resources, so the page,
its scripts, the vendored map libraries and the offline basemap ship inside
the wheel and nothing is fetched from a CDN or a tile server.
"""
