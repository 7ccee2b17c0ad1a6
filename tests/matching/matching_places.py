"""Real places (lat, lon) used by the matching tests."""

KONGSVINGER = (60.190, 12.004)
SKARNES = (60.254, 11.683)  # ~19 km from Kongsvinger
HAMAR = (60.795, 11.068)  # ~85 km from Kongsvinger
TRONDHEIM = (63.430, 10.395)  # ~370 km from Kongsvinger
