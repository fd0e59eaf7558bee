"""`argraph ...` in a child process of its own, without paying the interpreter's start and the
imports (about 1.5 s of CPU, most of a refused build) for each one.

A fork server (multiprocessing's "forkserver": a fresh, single-threaded interpreter started once
per test process) imports the CLI and the build once; each call forks a child from it, which
drops the ARGRAPH_* variables, applies the memory limit, sends its stdout and stderr to a file
and runs the command line as `argraph` would. The child is a process of its own as before: a
read of /dev/zero without a bound dies of the address-space limit, a wait on a FIFO is killed
after `timeout_s`, and neither touches the test process."""

from __future__ import annotations

import multiprocessing
import os
import resource
import sys
import tempfile
from collections.abc import Callable
from multiprocessing.context import ForkServerContext

PRELOAD = ["argraph.cli", "graph.build", "graph.validate"]
_context: ForkServerContext | None = None


def _ctx() -> ForkServerContext:
    global _context
    if _context is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        _context = ctx
    return _context


def _child(args: list[str], out_path: str, memory_limit: int | None) -> None:
    """In the forked child: the command line, its output in `out_path`, its exit status."""
    for key in [k for k in os.environ if k.startswith("ARGRAPH_")]:
        del os.environ[key]
    if memory_limit is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os._exit(run_main(args))


def _exit_status(run: Callable[[], object]) -> int:
    """Call `run` as an interpreter runs its main program: its exit status (a message given as
    the status is printed, status 1; an uncaught exception is printed, status 1; an interrupt
    is 130), with stdout and stderr flushed."""
    code: object = 0
    try:
        run()
    except SystemExit as stop:
        code = stop.code
    except KeyboardInterrupt:
        code = 130
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    if not isinstance(code, int | None):
        print(code, file=sys.stderr, flush=True)
        return 1
    return code or 0


def run_main(args: list[str]) -> int:
    """`argraph *args` in this process, as the `argraph` script runs it: its exit status."""

    def run() -> None:
        from argraph.cli import main

        sys.argv = ["argraph", *args]
        main()

    return _exit_status(run)


def run_script(argv: list[str]) -> int:
    """`python *argv` (a script and its arguments) in this process, as the interpreter runs it:
    the script's folder first on `sys.path`, run as `__main__`; its exit status."""
    import runpy

    def run() -> None:
        sys.argv = list(argv)
        sys.path[0] = os.path.dirname(os.path.abspath(argv[0]))
        runpy.run_path(argv[0], run_name="__main__")

    return _exit_status(run)


def run_cli(*args: str, timeout_s: float, memory_limit: int | None = None) -> tuple[int, str]:
    """(exit status, stdout and stderr together) of `argraph *args` in a child process; a child
    still running after `timeout_s` is killed and raises TimeoutError."""
    with tempfile.TemporaryDirectory(prefix="argraph-cli-") as tmp:
        out_path = os.path.join(tmp, "output")
        proc = _ctx().Process(target=_child, args=(list(args), out_path, memory_limit))
        proc.start()
        proc.join(timeout_s)
        if proc.is_alive():
            proc.kill()
            proc.join(10)
            raise TimeoutError(f"argraph {' '.join(args)} still ran after {timeout_s} s")
        try:
            with open(out_path, encoding="utf-8", errors="replace") as f:
                output = f.read()
        except FileNotFoundError:  # the child died before it ran the command
            output = f"(no output: the child exited with {proc.exitcode} before the command)"
        assert proc.exitcode is not None
        return (proc.exitcode if proc.exitcode >= 0 else 128 - proc.exitcode), output
