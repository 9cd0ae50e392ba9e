#!/usr/bin/env python3
"""Writes the scenario telemetry CSVs, the zones and intents files (deterministic; run from this folder).

Positions are laid out in metres east/north of a per-scenario base point and turned into lon/lat with the WGS84
radii of curvature at the base latitude (the same local plane Yunlu uses). Altitudes are AMSL so no DEM is needed.
The expected alert files (*.expected.jsonl) are written by hand from the closed-form times in README.md.
"""
import math

A, F = 6378137.0, 1 / 298.257223563
E2 = F * (2 - F)
T0 = "2025-06-01T08:00:{:02d}Z"


def scale(lat):
    p = math.radians(lat)
    w = 1 - E2 * math.sin(p) ** 2
    n = A / math.sqrt(w)
    m = A * (1 - E2) / w ** 1.5
    return n * math.cos(p) * math.pi / 180, m * math.pi / 180


def ll(base, e, n):
    sx, sy = scale(base[1])
    return base[0] + e / sx, base[1] + n / sy


def t(s):
    return "2025-06-01T{:02d}:{:02d}:{:02d}Z".format(8 + s // 3600, (s // 60) % 60, s % 60)


def write(name, rows):
    with open(name, "w", newline="\n") as f:
        f.write("time_utc,aircraft_id,lat_deg,lon_deg,alt_m,alt_ref,vn_mps,ve_mps,vu_mps\n")
        for r in sorted(rows, key=lambda r: (r[0], r[1])):
            s, ac, base, e, n, alt, vn, ve, vu = r
            lon, lat = ll(base, e, n)
            v = "" if vn is None else "{},{},{}".format(vn, ve, vu)
            f.write("{},{},{:.9f},{:.9f},{},AMSL,{}\n".format(t(s), ac, lat, lon, alt, v if v else ",,"))


B1 = (106.70, 26.60)   # head-on
B2 = (106.72, 26.60)   # crossing
B3 = (106.74, 26.60)   # overtaking
B4 = (106.76, 26.60)   # climbing through
B5 = (106.70, 26.62)   # zone entry
B6 = (106.74, 26.62)   # leaving the intent
B7 = (106.78, 26.62)   # silent drone
B8 = (106.70, 26.64)   # leaving the intent, then landing (contingent cleared when the track goes stale)

rows = []
for s in range(0, 61):
    rows.append((s, "A1", B1, -500 + 10 * s, 0, 1200, 0, 10, 0))
    rows.append((s, "B1", B1, 500 - 10 * s, 0, 1200, 0, -10, 0))
write("head-on.csv", rows)

rows = []
for s in range(0, 71):
    rows.append((s, "A2", B2, 0, -600 + 10 * s, 1200, 10, 0, 0))
    rows.append((s, "B2", B2, -600 + 10 * s, 0, 1200, 0, 10, 0))
write("crossing.csv", rows)

rows = []
for s in range(0, 61):
    rows.append((s, "A3", B3, 5 * s, 0, 1200, 0, 5, 0))
    rows.append((s, "B3", B3, -405 + 15 * s, 0, 1200, 0, 15, 0))
write("overtaking.csv", rows)

rows = []
for s in range(0, 71):
    rows.append((s, "A4", B4, 0, 0, 1200, 0, 0, 0))
    rows.append((s, "B4", B4, 30, 0, 1100 + 2 * s, 0, 0, 2))
write("climbing-through.csv", rows)

rows = []
for s in range(0, 161):
    rows.append((s, "Z5", B5, 5 + 10 * s, 0, 1200, 0, 10, 0))
write("zone-entry.csv", rows)

rows = []
for s in range(0, 141):
    off = 80 if (30 <= s < 45) or (60 <= s < 131) else 0
    rows.append((s, "C6", B6, 10 * s, off, 1200, 0, 10, 0))
write("leave-intent.csv", rows)

rows = []
for s in range(0, 61):
    rows.append((s, "D7", B7, 0, 0, 1200, None, None, None))
    if s <= 20 or s >= 50:
        rows.append((s, "E7", B7, 1000, 0, 1200, None, None, None))
write("silent.csv", rows)

rows = []
for s in range(0, 401):
    if s <= 80:
        rows.append((s, "C8", B8, 10 * s, 80 if s >= 10 else 0, 1200, 0, 10, 0))
    rows.append((s, "F8", B8, 0, 1000, 1200, 0, 0, 0))
write("leave-intent-lands.csv", rows)

# The zone for zone-entry: a square 500..1500 m east, -500..500 m north of B5, 0..2000 m AMSL, prohibited.
corners = [ll(B5, e, n) for e, n in [(500, -500), (1500, -500), (1500, 500), (500, 500), (500, -500)]]
with open("zones.geojson", "w", newline="\n") as f:
    coords = ", ".join("[{:.9f}, {:.9f}]".format(lon, lat) for lon, lat in corners)
    f.write('{\n  "type": "FeatureCollection",\n  "features": [\n    {\n      "type": "Feature",\n'
            '      "geometry": { "type": "Polygon", "coordinates": [[' + coords + ']] },\n'
            '      "properties": {\n        "identifier": "SCNZ5",\n        "name": "scenario zone",\n'
            '        "restriction": "PROHIBITED",\n        "reasons": ["SENSITIVE"],\n'
            '        "lower": { "value": 0, "reference": "AMSL" },\n        "upper": { "value": 2000, "reference": "AMSL" },\n'
            '        "applicability": [{ "permanent": true }]\n      }\n    }\n  ]\n}\n')

# The intent of C6: a corridor -100..2000 m east, -50..50 m north of B6, 1150..1250 m AMSL, 08:00-08:10.
corridor = [ll(B6, e, n) for e, n in [(-100, -50), (2000, -50), (2000, 50), (-100, 50)]]
with open("leave-intent.intents.json", "w", newline="\n") as f:
    verts = ", ".join('{{"lat": {:.9f}, "lng": {:.9f}}}'.format(lat, lon) for lon, lat in corridor)
    f.write('[\n  {\n    "id": "I6", "aircraft": "C6", "state": "Activated",\n    "volumes": [\n      {\n'
            '        "volume": {\n          "outline_polygon": { "vertices": [' + verts + '] },\n'
            '          "altitude_lower": { "value": 1150, "reference": "AMSL", "units": "M" },\n'
            '          "altitude_upper": { "value": 1250, "reference": "AMSL", "units": "M" }\n        },\n'
            '        "time_start": { "value": "2025-06-01T08:00:00Z", "format": "RFC3339" },\n'
            '        "time_end": { "value": "2025-06-01T08:10:00Z", "format": "RFC3339" }\n      }\n    ]\n  }\n]\n')

# The intents of C8 (a corridor like I6's around B8) and of F8 (a box around its hover point 1 km north), 08:00-08:10.
corridor8 = [ll(B8, e, n) for e, n in [(-100, -50), (2000, -50), (2000, 50), (-100, 50)]]
box8 = [ll(B8, e, n) for e, n in [(-200, 800), (200, 800), (200, 1200), (-200, 1200)]]


def intent(iid, aircraft, ring):
    verts = ", ".join('{{"lat": {:.9f}, "lng": {:.9f}}}'.format(lat, lon) for lon, lat in ring)
    return ('  {\n    "id": "' + iid + '", "aircraft": "' + aircraft + '", "state": "Activated",\n    "volumes": [\n      {\n'
            '        "volume": {\n          "outline_polygon": { "vertices": [' + verts + '] },\n'
            '          "altitude_lower": { "value": 1150, "reference": "AMSL", "units": "M" },\n'
            '          "altitude_upper": { "value": 1250, "reference": "AMSL", "units": "M" }\n        },\n'
            '        "time_start": { "value": "2025-06-01T08:00:00Z", "format": "RFC3339" },\n'
            '        "time_end": { "value": "2025-06-01T08:10:00Z", "format": "RFC3339" }\n      }\n    ]\n  }')


with open("leave-intent-lands.intents.json", "w", newline="\n") as f:
    f.write("[\n" + intent("I8", "C8", corridor8) + ",\n" + intent("I8F", "F8", box8) + "\n]\n")
