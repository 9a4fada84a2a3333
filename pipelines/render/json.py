"""The diff report as JSON: the report dict itself, stably ordered."""
import json as _json


def json_text(report: dict) -> str:
    return _json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
