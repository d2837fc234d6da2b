// The world geometry `gti explore` embeds when unit codes are ISO 3166-1 alpha-3 (built by
// build.mjs into dist/world.json, which the binary embeds only into pages that need it).
//
// From world-atlas 2.0.2 (Natural Earth 4.1.0 admin-0 countries as TopoJSON, ISC; Natural
// Earth is public domain): the 1:110m countries, their ids turned from ISO numeric into
// alpha-3 (i18n-iso-countries' code table, MIT); and, for every country the 1:50m file has
// but the 1:110m one drops (small states: Andorra, Singapore, Tuvalu's neighbours…), a point
// at the centroid of its 1:50m shape, so that it still shows on the map as a dot.

import { geoCentroid } from "d3-geo";
import { feature } from "topojson-client";

/** The world asset from the parsed 110m and 50m topologies and the [a2, a3, numeric] table. */
export function buildWorld(t110, t50, codes) {
  const alpha3 = new Map(codes.map(([, a3, num]) => [num, a3]));
  const countries = t110.objects.countries;
  const shapes = new Set();
  const geometries = countries.geometries.map((g) => {
    const code = alpha3.get(g.id);
    if (code) shapes.add(code);
    // Kosovo, N. Cyprus and Somaliland have no ISO code: drawn, never coloured.
    return { ...g, id: code, properties: { name: g.properties.name } };
  });
  const topology = { ...t110, objects: { countries: { ...countries, geometries } } };
  const points = [];
  for (const f of feature(t50, t50.objects.countries).features) {
    const code = alpha3.get(f.id);
    if (!code || shapes.has(code)) continue;
    const [lon, lat] = geoCentroid(f);
    points.push([code, f.properties.name, round(lon), round(lat)]);
  }
  points.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return {
    credit:
      "Country borders: Natural Earth (public domain), 1:110m admin-0 countries, small states as points from 1:50m, " +
      "via world-atlas 2.0.2 (ISC licence, Mike Bostock); ISO codes from i18n-iso-countries 7.14.0 (MIT licence). " +
      "Borders are Natural Earth's de facto boundaries and imply no position on any territory.",
    iso: codes.map(([, a3]) => a3).sort(),
    topology,
    points,
  };
}

const round = (v) => Math.round(v * 100) / 100;
