"""Seeing a running motcua: a request id on every request and log line, request metrics per view, and the
log formats (plain text, or one JSON object a line with LOG_FORMAT=json).

- `RequestId` (first middleware): takes the load balancer's `X-Request-ID` when it is a sane token (1-64
  letters, digits, `-`, `_`, `.`, `:`), makes one otherwise, answers it in `X-Request-ID`, and holds it in
  a context variable that `RequestIdFilter` adds to every log record made while the request runs.
- `RequestMetrics`: a Prometheus histogram of the time each request took, by route (the key of
  motcua/policy.py, so a bounded set), method and status class. The numbers are per process unless
  PROMETHEUS_MULTIPROC_DIR names a folder the processes of one node share (prometheus_client's multiprocess
  mode; empty it when the node starts). /metrics (portal/operations.py) serves them.

This module imports no app.
"""

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

from django.urls import Resolver404, resolve
from prometheus_client import Histogram, disable_created_metrics

__all__ = ["JsonFormatter", "RequestId", "RequestIdFilter", "RequestMetrics", "current_request_id"]

HEADER = "X-Request-ID"
VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
access_log = logging.getLogger("motcua.request")


def current_request_id() -> str:
    return _request_id.get()


class RequestId:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.request_id = given if VALID_ID.fullmatch(given) else uuid.uuid4().hex
        token = _request_id.set(request.request_id)
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            return response
        finally:
            _request_id.reset(token)


disable_created_metrics()  # the *_created samples only double the output
REQUEST_SECONDS = Histogram(
    "motcua_http_request_duration_seconds",
    "Time from the request reaching Django to its answer, by route, method and status class.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_of(request) -> str:
    """The matched route (`ho-so/<str:code>/`), resolving it when a middleware answered before the view."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
        except Exception:  # a path no resolver can even read (it was refused before)
            return "unmatched"
    return match.route or "unmatched"


class RequestMetrics:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        method = request.method if request.method in METHODS else "OTHER"
        route = route_of(request)
        status = f"{response.status_code // 100}xx"
        REQUEST_SECONDS.labels(route, method, status).observe(seconds)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "%s %s %s %.1f ms",
                method,
                route,
                response.status_code,
                seconds * 1000,
                extra={"route": route, "status": response.status_code, "ms": round(seconds * 1000, 1)},
            )
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


# Attributes every LogRecord has; anything else on a record came through `extra=` and goes in the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, the `extra=` fields, and the
    traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
