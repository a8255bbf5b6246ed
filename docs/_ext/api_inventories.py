"""Offline inventories: the examples' code links to the Keras, NumPy, matplotlib and Python docs.

sphinx-gallery already links every name in an example's code to its reference
page, through the intersphinx inventories it is given. The build must not use
the network, so no inventory is fetched:

* Python's ``objects.inv`` is kept in ``docs/_inventories/`` (the one Debian
  ships in ``python3.11-doc``).
* Keras publishes no ``objects.inv``, and NumPy's and matplotlib's would have
  to be downloaded, so they are written here, with sphobjinv, from the tables
  ``docs/_inventories/{keras,numpy,matplotlib}.txt`` (public name -> page).
  sphinx-gallery looks an object up under the module that defines it
  (``keras.src.layers.rnn.lstm.LSTM``), so each row is also entered under that
  path, found by importing the name. That needs Keras imported, so the result is
  cached and remade only when a table, a library version or this file changes.

``manifest(app)`` gives, for every inventory name, the table row it comes from
(``docs/_ext/api_pages.py`` lists a page's API with it).
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import keras_jobs

HERE = Path(__file__).resolve().parent
TABLE_DIR = HERE.parent / "_inventories"
LIBRARIES = ("keras", "numpy", "matplotlib")
PYTHON_INVENTORY = ("https://docs.python.org/3/", TABLE_DIR / "python-3.11.inv")


# -- the tables --------------------------------------------------------------
def read_table(library: str) -> list[tuple[str, str]]:
    """Rows ``(name, url)`` of ``docs/_inventories/<library>.txt``."""
    rows = []
    path = TABLE_DIR / f"{library}.txt"
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or not parts[1].startswith("https://"):
            raise ValueError(f"{path}:{number}: expected 'NAME URL', got {line!r}")
        rows.append((parts[0], parts[1]))
    return rows


def resolve(name: str):
    """The object a dotted public name refers to (``keras.layers.LSTM``)."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            obj = getattr(obj, part)
        return obj
    raise ImportError(name)


def _defining_path(obj) -> str | None:
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str) and "<" not in qualname:
        return f"{module}.{qualname}"
    return None


def _role(obj) -> str:
    if inspect.isclass(obj):
        return "class"
    if inspect.ismodule(obj):
        return "module"
    if callable(obj):
        return "function"
    return "attribute"


def _subclasses(cls):
    seen, todo = [], list(cls.__subclasses__())
    while todo:
        sub = todo.pop()
        if sub not in seen:
            seen.append(sub)
            todo.extend(sub.__subclasses__())
    return seen


def build_entries(library: str) -> dict[str, dict]:
    """Inventory entries for one table: ``{name: {url, role, public}}``.

    ``public`` is the table row a name came from (what the page lists).
    Entries for rows come first; a specific row wins over a ``NAME.*`` row.
    """
    rows = read_table(library)
    entries: dict[str, dict] = {}
    specific = {name: url for name, url in rows if not name.endswith(".*")}
    wildcard = {name[:-2]: url for name, url in rows if name.endswith(".*")}
    classes = {}  # class object -> its public name (rows that are classes)

    def add(name, url, role, public, overwrite=False):
        if name and (overwrite or name not in entries):
            entries[name] = {"url": url, "role": role, "public": public}

    for public, url in list(specific.items()) + list(wildcard.items()):
        try:
            obj = resolve(public)
        except (ImportError, AttributeError) as error:
            raise ValueError(
                f"docs/_inventories/{library}.txt: {public} is not an importable "
                f"name with the installed {library} ({error})"
            ) from None
        add(public, url, _role(obj), public, overwrite=True)
        add(_defining_path(obj), url, _role(obj), public)
        if inspect.isclass(obj):
            classes[obj] = public

    def member_row(cls, attr):
        """The most specific row for ``cls.attr``: a row naming it on the class
        or the nearest ancestor that has one, else the class's ``.*`` row."""
        for klass in inspect.getmro(cls):
            public = classes.get(klass)
            if public and f"{public}.{attr}" in specific:
                return f"{public}.{attr}", specific[f"{public}.{attr}"]
        return None

    for public, url in wildcard.items():
        cls = resolve(public)
        if not inspect.isclass(cls):
            raise ValueError(f"{library}.txt: {public}.* names no class")
        # the class, and subclasses without a row of their own (Functional,
        # the class of every functional keras.Model, is one)
        family = [cls] + [s for s in _subclasses(cls) if s not in classes]
        for klass in family:
            base = _defining_path(klass)
            if klass is not cls:
                add(base, url, "class", public)
            for attr in dir(klass):
                if attr.startswith("_"):
                    continue
                found = member_row(klass, attr)
                member_public, member_url = found or (public, url)
                try:
                    role = _role(inspect.getattr_static(klass, attr))
                except AttributeError:
                    role = "attribute"
                role = "method" if role == "function" else role
                if klass is cls:
                    add(f"{public}.{attr}", member_url, role, member_public)
                add(f"{base}.{attr}", member_url, role, member_public)
    return entries


# -- writing and caching the inventories ---------------------------------------
def _cache_key() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for library in LIBRARIES:
        digest.update((TABLE_DIR / f"{library}.txt").read_bytes())
        digest.update(metadata.version(library).encode())
    return digest.hexdigest()


def _split(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}/"
    return base, url[len(base):]


def _inventory_files(cache: Path) -> dict[tuple[str, str], Path]:
    """``(library, base URL) -> inventory file``: one per library and host.

    Derived from the tables alone (no import), so intersphinx can be pointed
    at the files before they are made.
    """
    files = {}
    for library in LIBRARIES:
        bases = sorted({_split(url)[0] for _, url in read_table(library)})
        for number, base in enumerate(bases):
            files[library, base] = cache / f"{library}-{number}.inv"
    return files


def _mapping(cache: Path) -> dict[str, tuple[str, str]]:
    """intersphinx's mapping: Python's inventory and the ones made here."""
    mapping = {"python": (PYTHON_INVENTORY[0], str(PYTHON_INVENTORY[1]))}
    for (_, base), path in _inventory_files(cache).items():
        mapping[path.stem.replace("-", "_")] = (base, str(path))
    return mapping


def _cached_manifest(cache: Path) -> dict | None:
    """The manifest of the inventories in ``cache`` if they are all current."""
    path = cache / "manifest.json"
    if not path.exists():
        return None
    manifest = json.loads(path.read_text())
    if manifest.get("key") != _cache_key():
        return None
    if not all(file.exists() for file in _inventory_files(cache).values()):
        return None
    return manifest


def write_inventories(cache: Path) -> dict:
    """(Re)make the inventories in ``cache`` when needed; return the manifest.

    The manifest maps each inventory name to the table row it comes from.
    """
    cache = Path(cache)
    manifest = _cached_manifest(cache)
    if manifest is not None:
        return manifest

    import sphobjinv as soi

    cache.mkdir(parents=True, exist_ok=True)
    files = _inventory_files(cache)
    public = {}
    for library in LIBRARIES:
        by_base: dict[str, list] = {}
        for name, entry in build_entries(library).items():
            base, rel = _split(entry["url"])
            by_base.setdefault(base, []).append((name, entry["role"], rel))
            public[name] = [library, entry["public"]]
        for base, objects in by_base.items():
            inventory = soi.Inventory()
            inventory.project = library
            inventory.version = metadata.version(library)
            for name, role, rel in sorted(objects):
                inventory.objects.append(
                    soi.DataObjStr(
                        name=name, domain="py", role=role, priority="1",
                        uri=rel, dispname="-",
                    )
                )
            path = files[library, base]
            soi.writebytes(str(path), soi.compress(inventory.data_file(contract=True)))
    manifest = {"key": _cache_key(), "public": public}
    (cache / "manifest.json").write_text(json.dumps(manifest, sort_keys=True))
    return manifest


# -- Sphinx hooks --------------------------------------------------------------
def _cache_dir(app) -> Path:
    return Path(app.doctreedir) / "api_inventories"


def config_inited(app, config) -> None:
    """Point intersphinx at the inventories; start making them when stale.

    Making them imports Keras (and TensorFlow), ~4 s: that runs in a separate
    process, at the same time as sphinx-gallery runs the examples, and
    ``join_inventories`` waits for it before intersphinx reads them. It runs
    at the lowest CPU priority, so the gallery's two workers keep the cores
    and it mostly runs while a core waits for the last example of a section
    (sphinx-gallery runs the sections one after the other).
    """
    cache = _cache_dir(app)
    config.intersphinx_mapping = _mapping(cache)
    manifest = _cached_manifest(cache)
    if manifest is not None:
        app._api_inventories_manifest = manifest
        return
    # in the one process that imports Keras for the build (docs/_ext/keras_jobs.py)
    keras_jobs.request(app, "api_inventories", "write_inventories", cache)
    app._api_inventories_pending = True


def join_inventories(app) -> None:
    if getattr(app, "_api_inventories_pending", False):
        output = keras_jobs.wait(app)
        app._api_inventories_pending = False
        if _cached_manifest(_cache_dir(app)) is None:
            from sphinx.errors import ExtensionError

            raise ExtensionError(
                "api_inventories: making the Keras/NumPy/matplotlib inventories failed:\n" + output
            )
    manifest(app)


def manifest(app) -> dict:
    manifest = getattr(app, "_api_inventories_manifest", None)
    if manifest is None:
        manifest = write_inventories(_cache_dir(app))
        app._api_inventories_manifest = manifest
    return manifest



def _inventory_files_state(app) -> list | None:
    """What intersphinx would read: every mapping entry and its file's size and
    modification time; None when an inventory is not a local file."""
    state = []
    for name, (uri, locations) in sorted(app.config.intersphinx_mapping.values()):
        for location in locations:
            if location is None or "://" in location:
                return None
            try:
                stat = (Path(app.srcdir) / location).stat()
            except OSError:
                return None
            state.append([name, uri, location, stat.st_mtime_ns, stat.st_size])
    return state


def load_changed_inventories(app) -> None:
    """builder-inited, in place of intersphinx's ``load_mappings`` (see setup).

    intersphinx reads every local inventory again at every build (~0.3 s here,
    most of it Python's), even when none changed. Here it reads them only when
    the mapping or a file changed since the inventories kept in the saved
    environment were read (the state is kept beside them).
    """
    from sphinx.ext.intersphinx import load_mappings

    state = _inventory_files_state(app)
    env = app.env
    if state is not None and getattr(env, "intersphinx_cache", None):
        if getattr(env, "api_inventories_read", None) == state:
            return
    load_mappings(app)
    env.api_inventories_read = state


def setup(app):
    # before intersphinx normalises its mapping (800)
    app.connect("config-inited", config_inited, priority=100)
    # at builder-inited (500): after sphinx-gallery ran the examples (registered
    # earlier), before intersphinx reads the inventories (registered below)
    app.connect("builder-inited", join_inventories, priority=500)
    app.setup_extension("sphinx.ext.intersphinx")
    app.setup_extension("keras_jobs")
    # Patch: intersphinx's reading of the inventories, done only when they
    # changed (intersphinx has no setting for it; see load_changed_inventories)
    from sphinx.ext.intersphinx import load_mappings

    for listener in list(app.events.listeners.get("builder-inited", [])):
        if listener.handler is load_mappings:
            app.disconnect(listener.id)
            app.connect("builder-inited", load_changed_inventories, priority=listener.priority)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
