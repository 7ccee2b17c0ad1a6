"""The map library, installed from PyPI (XStatic packages) and served by the app itself.

No CDN: the map works without internet, and no third party learns who looks at the map. The
version is part of the URL, so the files may be cached for a year.
"""

from __future__ import annotations

from pathlib import Path

import xstatic.pkg.leaflet as leaflet
import xstatic.pkg.leaflet_markercluster as markercluster

#: URL name ("leaflet-1.9.3") → folder of the package's files
PACKAGES: dict[str, Path] = {
    f"leaflet-{leaflet.VERSION}": Path(leaflet.BASE_DIR),
    f"markercluster-{markercluster.VERSION}": Path(markercluster.BASE_DIR),
}
LEAFLET = f"leaflet-{leaflet.VERSION}"
MARKERCLUSTER = f"markercluster-{markercluster.VERSION}"
CACHE_SECONDS = 365 * 24 * 3600
