"""The built knowledge base cached on disk, so that a second start-up skips the build (issue #19).

Why: :func:`rasid.pipeline.load_knowledge` parses the YAML and TSV files and
builds the gazetteer, the actor inventory and every phrase matcher (about
0.8 s, mostly building phrase keys), and every ``rasid`` command paid that at
start. All of it is the return values of the argument-less cached loaders
(``lru_cache(maxsize=1)``) of the knowledge packages, and they all pickle, so
the first start pickles them into one file (one pickle, so that objects two
loaders share stay shared) and the next ones unpickle it (about 0.1 s) and
put each value back into its loader's cache.

The file is keyed by a digest of everything the built structures depend on:
the rasid version, the pipeline's sources and the language data (each file's
bytes), the Python version and build, and whether this is the compiled build.
A missing, stale, corrupt or unreadable file, or an unwritable directory, is
never an error: the knowledge is built as without a cache. ``RASID_CACHE=0``
turns the cache off; ``RASID_CACHE_DIR`` moves it (default
``$XDG_CACHE_HOME/rasid`` or ``~/.cache/rasid``).

A loader's cache is primed by calling it once with its function's code
swapped for one that returns the stored value (``lru_cache`` has no way to
store a value directly). That needs a pure-Python function: in the compiled
build (mypyc) the loaders are native, so there the cache is not used at all
and the knowledge is built (its build is faster there anyway). Replacing a
native loader in its modules' globals would work (compiled code looks decorated
functions up there at each call), but the built objects do not unpickle in that
build: a compiled class's ``__new__`` runs its ``__init__`` (which needs
arguments, or registers a PhraseMatcher), and a compiled frozen dataclass
refuses ``__setstate__``. bench/RESULTS.md (branch ``ops``) has the details.

The file is a pickle, so it is only read from a directory this user owns and
that nobody else can write to (it is created with mode 0700).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import sys
import tempfile
from importlib import import_module, resources
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

# The packages whose loaders are cached (the same as pipeline.load_knowledge warms).
PACKAGES = ("rasid.text.", "rasid.knowledge.", "rasid.geo.", "rasid.extract.")
# What the built structures depend on: the sources that build them and the data they read.
_PARTS = ("document.py", "pipeline.py", "text", "knowledge", "geo", "extract", "data")
_FORMAT = 1  # bump when this file's layout changes
# Module globals that the loaders' values are registered in (each PhraseMatcher holds its number in the
# matcher module's start index): saved in the same pickle as the values, and copied back into the live
# object, which is only done while it is still empty (nothing registered before the restore).
REGISTRIES = ("rasid.knowledge.matcher:_INDEX",)


def enabled() -> bool:
    """Whether the disk cache may be used: not turned off, and loaders that can be primed (pure build)."""
    if os.environ.get("RASID_CACHE", "1").strip().lower() in ("0", "no", "off", "false"):
        return False
    from rasid.pipeline import compiled

    return not compiled()


def cache_dir() -> Path:
    explicit = os.environ.get("RASID_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rasid"


def _source_files() -> list[tuple[str, Path]]:
    root = Path(str(resources.files("rasid")))
    files: list[tuple[str, Path]] = []
    for part in _PARTS:
        path = root / part
        if path.is_file():
            files.append((part, path))
        elif part == "data":
            found = (f for f in path.rglob("*") if f.is_file() and "__pycache__" not in f.parts)
            files.extend((f.relative_to(root).as_posix(), f) for f in found)
        else:
            files.extend((f.relative_to(root).as_posix(), f) for f in path.rglob("*.py"))
    return sorted(files)


def cache_key() -> str:
    """A digest of the rasid version, its extraction sources and data, and this Python and build."""
    from rasid.pipeline import compiled

    try:
        version = importlib_metadata.version("rasid")
    except importlib_metadata.PackageNotFoundError:  # pragma: no cover - a bare checkout
        version = "0"
    digest = hashlib.sha256()
    head = f"{_FORMAT}\0{version}\0{sys.version}\0{sys.implementation.cache_tag}\0{compiled()}\0"
    digest.update(head.encode("utf-8"))
    for name, path in _source_files():
        digest.update(name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def cache_file() -> Path:
    return cache_dir() / f"knowledge-{cache_key()}.pickle"


def loaders() -> list[tuple[str, Any]]:
    """``(module:name, loader)`` for each argument-less cached loader of the imported knowledge modules."""
    out = []
    for name in sorted(sys.modules):
        if not name.startswith(PACKAGES):
            continue
        for attr, value in list(vars(sys.modules[name]).items()):
            info = getattr(value, "cache_info", None)
            if info is None or getattr(value, "__module__", None) != name or info().maxsize != 1:
                continue
            if _argless(value):
                out.append((f"{name}:{attr}", value))
    return out


def _safe_dir(path: Path) -> bool:
    """The directory is ours and nobody else can write to it (a pickle from there is run as code)."""
    try:
        st = path.stat()
    except OSError:
        return False
    return (not hasattr(os, "getuid") or st.st_uid == os.getuid()) and not st.st_mode & 0o022


def _argless(loader: Any) -> bool:
    """A pure-Python function of no arguments and no closure: one whose code can be swapped by :func:`_prime`."""
    code = getattr(getattr(loader, "__wrapped__", None), "__code__", None)
    return code is not None and not (code.co_argcount or code.co_kwonlyargcount or code.co_freevars)


def _returns(_value: Any = None) -> Any:
    return _value


def _prime(loader: Any, value: Any) -> bool:
    """Put ``value`` in ``loader``'s ``lru_cache`` as if the loader had returned it."""
    if not _argless(loader):
        return False
    function: Any = loader.__wrapped__
    code = function.__code__
    defaults, kwdefaults = function.__defaults__, function.__kwdefaults__
    try:
        function.__code__, function.__defaults__, function.__kwdefaults__ = _returns.__code__, (value,), None
        loader.cache_clear()
        loader()
    finally:
        function.__code__, function.__defaults__, function.__kwdefaults__ = code, defaults, kwdefaults
    return True


def restore() -> bool:
    """Fill the loaders' caches from the disk cache; False (and nothing changed) when there is none to use."""
    if not enabled():
        return False
    try:
        path = cache_file()
        if not _safe_dir(path.parent):
            return False
        data = path.read_bytes()
        frozen = gc.isenabled()
        gc.disable()  # unpickling creates a few hundred thousand objects that all live on
        try:
            stored = pickle.loads(data)
        finally:
            if frozen:
                gc.enable()
        if not isinstance(stored, dict) or stored.get("format") != _FORMAT:
            return False
        targets: list[tuple[Any, Any]] = []
        for key, value in stored["values"].items():
            targets.append((_global(key), value))
        registries = [(_global(key), saved) for key, saved in stored["registries"].items()]
        if any(_state(live) != _state(type(live)()) for live, _ in registries):
            return False  # something registered already (a second load in one process): numbers would clash
    except Exception:  # missing, corrupt, stale layout, a loader renamed: build instead
        return False
    for live, saved in registries:
        for attr, value in _state(saved).items():
            setattr(live, attr, value)
    for loader, value in targets:
        if not loader.cache_info().currsize:  # one that ran already (at import) keeps its own value
            _prime(loader, value)
    return True


def _global(key: str) -> Any:
    module, attr = key.split(":")
    return getattr(import_module(module), attr)


def _state(obj: Any) -> dict[str, Any]:
    """An object's attributes, slots or ``__dict__``."""
    slots = [s for cls in type(obj).__mro__ for s in getattr(cls, "__slots__", ())]
    return {s: getattr(obj, s) for s in slots if hasattr(obj, s)} | dict(getattr(obj, "__dict__", {}))


def save() -> bool:
    """Write what the loaders hold now to the disk cache (after a build); False when it could not."""
    if not enabled():
        return False
    try:
        values = {key: loader() for key, loader in loaders() if loader.cache_info().currsize == 1}
        path = cache_file()
        if path.exists():
            return True
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _safe_dir(path.parent):
            return False
        registries = {key: _global(key) for key in REGISTRIES}
        stored = {"format": _FORMAT, "values": values, "registries": registries}
        data = pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".knowledge-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)  # atomic: a reader sees the old file or the whole new one
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _remove_stale(path)
    except Exception:  # read-only home, full disk, a value that does not pickle: no cache, no error
        return False
    return True


# Files kept: other versions' too (two checkouts or virtualenvs that share ~/.cache would otherwise
# delete each other's file and rebuild at every start), but not without end (each is ~9 MB).
_KEEP = 4


def _remove_stale(current: Path) -> None:
    """Remove all but the newest :data:`_KEEP` files (the one just written among them)."""
    others = []
    for old in current.parent.glob("knowledge-*.pickle"):
        if old != current:
            with contextlib.suppress(OSError):
                others.append((old.stat().st_mtime, old))
    for _, old in sorted(others, reverse=True)[_KEEP - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()
