"""Writing an output file without ever destroying data.

rasid is run over text from the open web, often as root in a container, and
its ``--out`` may point anywhere. A naive ``open(path, "w")`` truncates the old
results before the first new byte exists; ``os.replace`` onto the path turns
``/dev/null`` into a plain file and replaces a symlink instead of the file it
points to. The rules here:

* a regular file (new or existing) is written to a temporary file *beside its
  real target* (symlinks are followed) and renamed over it only when the run
  commits; a failed, interrupted or empty run leaves the old file as it was;
* a character device, FIFO or socket (``/dev/null``, ``/dev/stdout``, a pipe)
  is written in place, never replaced;
* a new file gets ``0666 & ~umask`` like any other program's output, and an
  existing file keeps its mode (and its owner, when we may set it);
* a folder, or a path whose folder is missing or read-only, is refused
  *before* any work starts (:func:`check_target`);
* temporary files are removed on SIGTERM and SIGINT too: :func:`install_signal_handlers`
  turns SIGTERM into :class:`Terminated` so the ``finally`` blocks run.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

__all__ = [
    "OutputError",
    "Terminated",
    "check_target",
    "install_signal_handlers",
    "open_output",
    "output_path",
]

TEMP_SUFFIX = ".rasid-tmp"


class OutputError(Exception):
    """The output cannot be written: the message names the path and says why, in one line."""


class Terminated(BaseException):
    """SIGTERM arrived: raised in the main thread so that cleanup (``finally``) runs, then exit 143."""


def install_signal_handlers() -> dict[int, Any]:
    """SIGTERM raises :class:`Terminated`; SIGINT raises KeyboardInterrupt (the CLI maps both).

    Returns the handlers they replace, for :func:`restore_signal_handlers`.
    """

    def on_term(signum: int, frame: Any) -> None:
        raise Terminated()

    return {
        signal.SIGTERM: signal.signal(signal.SIGTERM, on_term),
        signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler),
    }


def restore_signal_handlers(previous: dict[int, Any]) -> None:
    """Put back what :func:`install_signal_handlers` replaced (main() called from a program or a test)."""
    for signum, handler in previous.items():
        if handler is not None:
            signal.signal(signum, handler)


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def _is_stream(path: str) -> bool:
    """True for a path that must be written in place: a character device, FIFO or socket."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def check_target(path: str | None) -> None:
    """Refuse an output path that cannot work, before the run does any work.

    ``None`` and ``-`` are stdout. A missing parent folder is created (``--out
    out/events.jsonl`` on a fresh clone); a folder as the target, or a folder
    we may not write into, raises :class:`OutputError` now rather than after
    an hour of extraction.
    """
    if path is None or path == "-":
        return
    real = os.path.realpath(path)
    if os.path.isdir(real):
        raise OutputError(f"{path}: is a folder, not a file")
    if _is_stream(real):
        if not os.access(real, os.W_OK):
            raise OutputError(f"{path}: not writable")
        return
    if os.path.exists(real) and not os.path.isfile(real):
        raise OutputError(f"{path}: not a regular file or device")
    folder = os.path.dirname(real) or "."
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{path}: cannot create its folder ({e.strerror or type(e).__name__})") from None
    if not os.path.isdir(folder):
        raise OutputError(f"{path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: folder {folder} is not writable")


class GuardedStream:
    """A text stream whose write errors name the output: :class:`OutputError` instead of a bare OSError.

    Only errors of *this* stream are turned into "cannot write PATH"; an error
    elsewhere in the run (stdout full while the records go to a file) keeps its
    own name. A broken pipe stays a BrokenPipeError: the reader went away
    (``| head``) and the CLI ends quietly.
    """

    def __init__(self, stream: IO[str], name: str) -> None:
        self._stream = stream
        self.name = name

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise _write_error(self.name, e) from None

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as e:
            raise _write_error(self.name, e) from None


@dataclass
class Output:
    """What :func:`open_output` yields: the stream, and whether the run has something to keep.

    ``commit`` starts True: a run that has nothing to say against it replaces
    the old file. Set it to False (the CLI does when every input failed) to
    keep the old file untouched.
    """

    fh: Any  # a GuardedStream: a text stream with write, writelines and flush
    path: str | None
    commit: bool = True

    def write(self, text: str) -> int:
        return int(self.fh.write(text))


def guarded_stdout() -> GuardedStream:
    """sys.stdout with its write errors named "stdout" (OutputError); OutputError if it is closed."""
    if sys.stdout is None:  # started with stdout closed (`rasid extract ... --out - >&-`)
        raise OutputError("cannot write stdout: it is closed")
    return GuardedStream(sys.stdout, "stdout")


@contextmanager
def open_output(path: str | None) -> Iterator[Output]:
    """A text stream for ``path`` that replaces the target only if the block ends with ``commit`` set.

    ``None`` or ``-`` is stdout; a device or FIFO is written in place; a
    regular file goes through a temporary file beside the real target (after
    symlinks), renamed over it at the end. Any exception (SIGTERM and SIGINT
    included) removes the temporary file and leaves the old file as it was.
    Write errors of this output (disk full...) become :class:`OutputError`.
    """
    if path is None or path == "-":
        out = Output(guarded_stdout(), path)
        yield out
        out.fh.flush()
        return
    check_target(path)
    real = os.path.realpath(path)
    if _is_stream(real):
        try:
            fh = open(real, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed below
        except OSError as e:
            raise _write_error(path, e) from None
        try:
            out = Output(GuardedStream(fh, path), path)
            yield out
            out.fh.flush()
        finally:
            _close_quietly(fh)
        return
    with output_path(path, name_errors=False) as (tmp, out):
        fh = open(tmp, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed below
        try:
            out.fh = GuardedStream(fh, path)
            yield out
            out.fh.flush()
            try:
                os.fsync(fh.fileno())
            except OSError as e:
                raise _write_error(path, e) from None
        finally:
            _close_quietly(fh)


@contextmanager
def output_path(path: str, *, name_errors: bool = True) -> Iterator[tuple[str, Output]]:
    """A temporary path beside ``path``'s real target, renamed over it when the block commits.

    For writers that need a file name rather than a stream (parquet): with
    ``name_errors`` an OSError inside the block is taken for a write error of
    this output and becomes :class:`OutputError`. The yielded :class:`Output`
    has no stream; set ``commit = False`` to keep the old file.
    """
    check_target(path)
    real = os.path.realpath(path)
    folder, name = os.path.split(real)
    # SIGINT/SIGTERM are held from the temp file's creation until the block that removes it is entered:
    # a signal in between (a test sends one as soon as the file appears) would leave it behind
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _CLEANUP_SIGNALS)
    try:
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=TEMP_SUFFIX)
        except OSError as e:
            raise _write_error(path, e) from None
        os.close(fd)
        out = Output(None, path)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a signal that came meanwhile is raised here
        try:
            yield tmp, out
        except OSError as e:
            if not name_errors:
                raise
            raise _write_error(path, e) from None
        if out.commit:
            try:
                _adopt_mode(tmp, real)
                os.replace(tmp, real)
            except OSError as e:
                raise _write_error(path, e) from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


_CLEANUP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _close_quietly(fh: IO[str]) -> None:
    """Close after a write error without a second error replacing the first (close flushes again)."""
    try:
        fh.close()
    except OSError:
        pass  # a failed write was already reported by the flush that met it


def _adopt_mode(tmp: str, real: str) -> None:
    """Give ``tmp`` the mode the target would have: the old file's, else ``0666 & ~umask``."""
    try:
        old = os.stat(real)
    except FileNotFoundError:
        os.chmod(tmp, 0o666 & ~_umask())
        return
    os.chmod(tmp, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown"):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)
        except OSError:
            pass  # not ours to give away: the file stays ours, as a new one would


def _write_error(path: str, e: OSError) -> OutputError:
    reason = e.strerror or str(e) or type(e).__name__
    if e.errno == errno.ENOSPC or "No space left" in str(e):  # pyarrow's errors carry no errno
        reason = "no space left on the device"
        if path != "stdout":
            reason += "; the old file, if any, is unchanged"
    return OutputError(f"cannot write {path}: {reason}")
