"""Portals as data: one row per portal in a TOML file, crawled through the platform bases.

The registry is ``gxnb_spiders/portals.toml`` unless ``GXNB_REGISTRY`` (environment or
``-s``) names another file. A row::

    [[portal]]
    id = "dt"                                   # the spider's and the database's name
    name = "大同市人民政府"
    url = "http://www.dt.gov.cn/"               # the portal's home page
    platform = "trs"                            # trs | hanweb_jcms | hanweb_xxgk | lianyungang | generic
    column_urls = ["http://www.dt.gov.cn/dtszf/gkndbgz/index.shtml"]
    area_code = "140200"                        # 行政区划代码 (6 or 12 digits)
    level = "city"                              # province | city | county | township | department
    schedule = "30 2 * * *"                     # cron: minute hour day month weekday (UTC)

Optional: ``units_urls`` and ``bodies`` (name → area code) for ``hanweb_xxgk``,
``allowed_domains`` (default: the home page's host without ``www.``, so its subdomains
too), ``enabled = false`` to leave a portal out of scheduled runs. What each platform
needs: ``column_urls`` (trs, hanweb_jcms, lianyungang), ``units_urls`` or ``bodies``
(hanweb_xxgk); generic starts from ``url``.

Every row is checked when the file is read; every problem is reported at once, naming
the file, the row (its number and id) and the field. Each row becomes a spider class of
its platform (``spider_class``): ``scrapy crawl <id>`` and ``scrapy crawl portal -a id=<id>``
both crawl it, ``scrapy list`` and ``scrapy crawlall`` include it.
"""
from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from gxnb_spiders import platforms

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

DEFAULT_REGISTRY = Path(__file__).resolve().parent / "portals.toml"
DEFAULT_SCHEDULE = "30 2 * * *"

# platform name → its base spider, from the modules of gxnb_spiders/platforms/
PLATFORMS = platforms.bases()
NEEDS = {name: base.needs for name, base in PLATFORMS.items()}
LEVELS = ["province", "city", "county", "township", "department"]

_URL = {"type": "string", "pattern": r"^https?://[^\s/]+(/\S*)?$"}
_URLS = {"type": "array", "items": _URL, "minItems": 1}
ROW_SCHEMA = {
    "type": "object",
    "required": ["id", "name", "url", "platform"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9_-]{0,99}$"},
        "name": {"type": "string", "minLength": 1},
        "url": _URL,
        "platform": {"enum": sorted(PLATFORMS)},
        "column_urls": _URLS,
        "units_urls": _URLS,
        "bodies": {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
        "allowed_domains": {"type": "array", "items": {"type": "string", "pattern": r"^[a-z0-9.-]+$"},
                            "minItems": 1},
        "area_code": {"type": "string", "pattern": r"^\d{6}(\d{6})?$"},
        "level": {"enum": LEVELS},
        "schedule": {"type": "string"},
        "enabled": {"type": "boolean"},
    },
}


class RegistryError(ValueError):
    """The registry file cannot be used; the message lists every problem found."""


def registry_path(settings=None) -> Path:
    """The registry file these settings name (none given: the project's settings now)."""
    if settings is None:
        from gxnb_spiders import config

        settings = config.project_settings()
    value = settings.get("GXNB_REGISTRY")
    return Path(value) if value else DEFAULT_REGISTRY


def _cron_problem(expr: str) -> str | None:
    fields = expr.split()
    if len(fields) != 5:
        return f"{expr!r} is not a cron expression of 5 fields (minute hour day month weekday)"
    try:
        from celery.schedules import crontab
    except ImportError:  # the cluster extra is not installed: the shape check only
        ok = all(re.fullmatch(r"[\d*/,\-a-z]+", f, re.I) for f in fields)
        return None if ok else f"{expr!r} is not a cron expression"
    minute, hour, day, month, weekday = fields
    try:
        crontab(minute=minute, hour=hour, day_of_month=day, month_of_year=month, day_of_week=weekday)
    except Exception as exc:
        return f"{expr!r} is not a valid cron expression: {exc}"
    return None


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _domain_of(url: str) -> str:
    host = _host(url)
    return host[4:] if host.startswith("www.") else host


def _within(host: str, domains: list[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def check_rows(rows, where: str) -> list[dict]:
    """The rows, completed with their defaults; RegistryError listing every problem."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(ROW_SCHEMA)
    problems: list[str] = []
    seen: dict[str, int] = {}
    out = []
    if not isinstance(rows, list):
        raise RegistryError(f"{where}: expected [[portal]] rows")
    for n, row in enumerate(rows, start=1):
        label = f"{where}: portal {n}" + (f" (id {row.get('id')!r})" if isinstance(row, dict) and row.get("id") else "")
        if not isinstance(row, dict):
            problems.append(f"{label}: not a table of fields")
            continue
        errors = sorted(validator.iter_errors(row), key=lambda e: list(e.path))
        for e in errors:
            field = ".".join(str(p) for p in e.path) or "row"
            problems.append(f"{label}: {field}: {e.message}")
        if errors:
            continue
        row = dict(row)
        row.setdefault("allowed_domains", [_domain_of(row["url"])])
        row.setdefault("schedule", DEFAULT_SCHEDULE)
        row.setdefault("enabled", True)
        row["host"] = _host(row["url"])
        if row["id"] in seen:
            problems.append(f"{label}: id: {row['id']!r} is already the id of portal {seen[row['id']]}")
        seen.setdefault(row["id"], n)
        needs = NEEDS[row["platform"]]
        if needs and not any(row.get(f) for f in needs):
            problems.append(f"{label}: platform {row['platform']} needs {' or '.join(needs)}")
        for field in ("url", "column_urls", "units_urls"):
            urls = row.get(field)
            for i, u in enumerate([urls] if isinstance(urls, str) else urls or []):
                if not _within(_host(u), row["allowed_domains"]):
                    name = field if isinstance(urls, str) else f"{field}.{i}"
                    problems.append(f"{label}: {name}: {u} is not within allowed_domains "
                                    f"{row['allowed_domains']} (it would never be fetched)")
        cron = _cron_problem(row["schedule"])
        if cron:
            problems.append(f"{label}: schedule: {cron}")
        out.append(row)
    if problems:
        raise RegistryError(f"{len(problems)} problem(s) in the portal registry:\n  " + "\n  ".join(problems))
    return out


def load(path: str | os.PathLike | None = None) -> list[dict]:
    """The checked rows of the registry at ``path`` (default: registry_path())."""
    path = Path(path) if path else registry_path()
    return _load(str(path.resolve()), path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=8)
def _load(path: str, _mtime: int) -> list[dict]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"{path}: no such registry file (GXNB_REGISTRY)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"portal"})
    if unknown:
        raise RegistryError(f"{path}: unknown top-level key(s) {', '.join(unknown)} (rows are [[portal]])")
    return check_rows(data.get("portal", []), path)


def find(portal_id: str, path=None) -> dict:
    rows = load(path)
    for row in rows:
        if row["id"] == portal_id:
            return row
    raise KeyError(f"no portal {portal_id!r} in the registry {Path(path) if path else registry_path()}")


def spider_class(row: dict):
    """A spider class of the row's platform, configured by the row."""
    base = PLATFORMS[row["platform"]]
    attrs = {
        "name": row["id"],
        "portal_url": row["url"],
        "allowed_domains": list(row["allowed_domains"]),
        "registry_row": row,
        "portal": property(lambda self: self.name),  # the database's name of it: the row's id
        "__module__": __name__,
        "__doc__": f"{row['name']} ({row['platform']}; from the portal registry)",
    }
    for field in ("column_urls", "units_urls"):
        if row.get(field):
            attrs[field] = tuple(row[field])
    if row.get("bodies"):
        attrs["bodies"] = dict(row["bodies"])
    if row["platform"] == "generic":
        def __init__(self, *args, url=None, _start=row["url"], _base=base, **kwargs):
            _base.__init__(self, *args, url=url or _start, **kwargs)
            self.allowed_domains = list(row["allowed_domains"])
        attrs["__init__"] = __init__
    return type("Portal_" + re.sub(r"\W", "_", row["id"]), (base,), attrs)


class RegistrySpiderLoader:
    """Scrapy's spider loader (``SPIDER_LOADER_CLASS``): the spiders of SPIDER_MODULES,
    plus one per registry row."""

    def __new__(cls, settings):
        from scrapy.spiderloader import SpiderLoader

        class Loader(SpiderLoader):
            def __init__(self, settings):
                super().__init__(settings)
                path = registry_path(settings)
                for row in load(path):
                    if row["id"] in self._spiders:
                        raise RegistryError(f"{path}: portal id {row['id']!r} is also the name of a spider in "
                                            f"{', '.join(self.spider_modules)}; one of them must go")
                    self._spiders[row["id"]] = spider_class(row)

        return Loader(settings)

    @classmethod
    def from_settings(cls, settings):
        return cls(settings)
