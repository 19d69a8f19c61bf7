"""Session-wide settings: the knowledge cache (rasid.knowledge.cache) goes to a temporary directory, never
the user's ~/.cache, for the tests in this process and every ``rasid`` they start."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

if "RASID_CACHE_DIR" not in os.environ:
    _dir = tempfile.mkdtemp(prefix="rasid-test-cache-")
    os.environ["RASID_CACHE_DIR"] = _dir
    atexit.register(shutil.rmtree, _dir, True)
