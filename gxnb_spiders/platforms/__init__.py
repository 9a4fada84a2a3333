"""The CMS platforms gxnb knows, one module each.

A module holds the platform's strategy (a ``base.Platform``: detect, list entries, told,
next pages, report scope) and its base spider (a ``base.ColumnSpider`` setting
``platform``, ``strategy`` and ``needs``, the registry fields a row of it must have).
Nothing else names them: the registry's ``platform`` values and the generic spider's
detection are read from the modules found here.
"""
from __future__ import annotations

import pkgutil
from functools import lru_cache
from importlib import import_module


@lru_cache(maxsize=1)
def _modules() -> tuple:
    return tuple(import_module(f"{__name__}.{m.name}") for m in pkgutil.iter_modules(__path__))


def strategies() -> list:
    """Every platform's strategy, in the order the generic spider tries them."""
    from gxnb_spiders.platforms.base import Platform

    found = {}
    for module in _modules():
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Platform) and obj.name \
                    and obj.__module__ == module.__name__:
                found[obj.name] = obj()
    return sorted(found.values(), key=lambda p: (p.detect_order, p.name))


def bases() -> dict:
    """Platform name → its base spider (the class a registry row of it becomes)."""
    from gxnb_spiders.platforms.base import ReportSpider

    found = {}
    for module in _modules():
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, ReportSpider) and obj.__module__ == module.__name__ \
                    and "platform" in vars(obj) and "needs" in vars(obj):
                found[obj.platform] = obj
    return found
