"""One process that imports Keras for the build's jobs that need real Keras.

``api_inventories`` (the offline inventories: it imports every name to find
the module that defines it) and ``shape_explorer`` (the messages Keras refuses
models with) make their data with real Keras, outside the Sphinx process, which
never imports TensorFlow. Importing TensorFlow costs ~3-6 s of CPU; a clean
build used to pay it twice, in two processes. Now each of them keeps its own
cache and, when that cache is stale, asks for its job at config-inited
(``request``). At the end of config-inited one process runs every job asked
for, one after the other, at the lowest CPU priority, while sphinx-gallery
runs the examples. ``wait`` returns once that process has ended; each
extension then reads its own cache (and reports the process's output if its
cache is still missing). A build whose caches are all current starts no process.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "KERAS_BACKEND": "tensorflow"}


def request(app, module: str, function: str, *args) -> None:
    """Have the Keras process call ``module.function(*args)`` (args as strings)."""
    app.__dict__.setdefault("_keras_jobs", []).append([module, function, *map(str, args)])


def _lowest_priority() -> None:
    os.nice(19)


def _start(app, config) -> None:
    jobs = app.__dict__.pop("_keras_jobs", None)
    app._keras_process = None
    if not jobs:
        return
    from sphinx.util import logging

    logging.getLogger(__name__).info(
        "keras_jobs: one Keras process for %s", ", ".join(f"{m}.{f}" for m, f, *_ in jobs))
    app._keras_process = subprocess.Popen(
        [sys.executable, str(Path(__file__)), json.dumps(jobs)],
        env={**os.environ, **ENV}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, preexec_fn=_lowest_priority if hasattr(os, "nice") else None,
    )


def wait(app) -> str:
    """Wait for the Keras process, if one runs; its output (for error messages)."""
    process = getattr(app, "_keras_process", None)
    if process is not None:
        app._keras_output, _ = process.communicate()
        app._keras_process = None
    return getattr(app, "_keras_output", "")


def _stop(app, exception) -> None:
    """build-finished: a build that failed early leaves no process behind."""
    process = getattr(app, "_keras_process", None)
    if process is not None:
        process.kill()
        process.communicate()
        app._keras_process = None


def setup(app):
    # after the extensions' own config-inited handlers (default 500) asked for jobs
    app.connect("config-inited", _start, priority=950)
    app.connect("build-finished", _stop)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    failed = 0
    for module, function, *args in json.loads(sys.argv[1]):
        try:
            getattr(importlib.import_module(module), function)(*args)
        except Exception:  # noqa: BLE001 - reported; the other jobs still run
            print(f"keras_jobs: {module}.{function} failed:", flush=True)
            traceback.print_exc()
            failed += 1
    sys.exit(1 if failed else 0)
