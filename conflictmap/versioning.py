"""The API's contract: its routes under /api/v1/, their old /api/ paths as deprecated aliases for one release,
and JSON whose links are absolute."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path

V1 = "api/v1/"
LEGACY = "api/"
# When the /api/ paths were deprecated (RFC 9745's Deprecation header gives it as a Unix time).
DEPRECATED_AT = datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC)


def versioned(
    route: str, view: Callable[..., HttpResponse], name: str, legacy: dict[str, Any] | None = None
) -> list[URLPattern]:
    """The route under /api/v1/ by its name, and under /api/ (unnamed) as a deprecated alias; `legacy` holds
    the keyword arguments that keep the old path's behaviour where v1 changed it."""
    return [path(V1 + route, view, name=name), path(LEGACY + route, deprecated(view), legacy or {})]


def deprecated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer as the view does, saying the path is deprecated and where its successor is (RFC 9745, RFC 8288)."""

    @wraps(view)
    def alias(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        prefix = request.path.removesuffix(request.path_info)  # the script name, when mounted below /
        successor = request.build_absolute_uri(f"{prefix}/{V1}{request.path_info.removeprefix('/' + LEGACY)}")
        if request.META.get("QUERY_STRING"):
            successor += "?" + request.META["QUERY_STRING"]
        link = f'<{successor}>; rel="successor-version"'
        response["Deprecation"] = f"@{int(DEPRECATED_AT.timestamp())}"
        response["Link"] = f"{response['Link']}, {link}" if response.has_header("Link") else link
        return response

    return alias


def absolute_urls(data: Any, absolute: Callable[[str], str]) -> Any:
    """Return the data with every site path under a `url` or `…_url` key made absolute by `absolute`."""
    if isinstance(data, dict):
        return {
            key: absolute(value)
            if (key == "url" or key.endswith("_url")) and isinstance(value, str) and value.startswith("/")
            else absolute_urls(value, absolute)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [absolute_urls(item, absolute) for item in data]
    return data


def api_json(data: Any, request: HttpRequest, status: int = 200) -> JsonResponse:
    """Answer compact UTF-8 JSON whose links are absolute: the API's one way to write JSON."""
    return JsonResponse(
        absolute_urls(data, request.build_absolute_uri),
        status=status,
        safe=False,
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
