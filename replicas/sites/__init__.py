"""One module per replicated portal; each exposes ``SITE``, a ``Site`` instance (or a list)."""
import importlib
import pkgutil


def load_all():
    out = []
    for mod in pkgutil.iter_modules(__path__):
        m = importlib.import_module(f"{__name__}.{mod.name}")
        site = getattr(m, "SITE", None)
        if site is None:
            continue
        out.extend(site if isinstance(site, list) else [site])
    return out
