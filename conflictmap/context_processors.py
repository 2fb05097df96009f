"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def basemap(request: HttpRequest) -> dict:
    """Expose the optional online tile layer to the map templates."""
    return {
        "BASEMAP_TILE_URL": settings.BASEMAP_TILE_URL,
        "BASEMAP_TILE_ATTRIBUTION": settings.BASEMAP_TILE_ATTRIBUTION,
    }
