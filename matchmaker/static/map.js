// The cluster map (/map): fetches /map/data.json and draws it with Leaflet (served by the app).
// Every label is built as text (createTextNode / textContent), never as HTML from user data, and
// nothing here talks to any server but ours unless the operator configured background tiles.
(function () {
  "use strict";

  const TRADES = ["agriculture", "forestry_wood", "food", "industry", "energy", "recycling",
                  "construction", "transport", "services", "other"];
  const STATUSES = ["suggested", "deferred", "rejected", "introduced", "in_dialogue", "agreement",
                    "no_deal"];
  const FALLBACK_VIEW = { center: [60.2, 12.0], zoom: 8 };

  function node(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) {
      element.textContent = String(text);
    }
    if (className) {
      element.className = className;
    }
    return element;
  }

  function link(href, text) {
    const anchor = node("a", text);
    anchor.href = href; // our own relative URLs, made by the server
    return anchor;
  }

  // For the one string Leaflet takes as HTML (a configured tile attribution).
  function escapeText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function known(value, list, fallback) {
    return list.indexOf(value) >= 0 ? value : fallback;
  }

  function companyPopup(company, labels) {
    const box = node("div", null, "map-popup");
    box.appendChild(node("h3", company.name));
    const where = [company.city, company.municipality].filter(Boolean).join(" · ");
    if (where) {
      box.appendChild(node("p", where));
    }
    const trade = labels.trade[company.trade] || "";
    box.appendChild(node("p", [company.industry, trade].filter(Boolean).join(" · ")));
    if (company.own) {
      box.appendChild(node("p", labels.your_company));
    }
    const open = node("p");
    open.appendChild(link(company.url, labels.open_company));
    box.appendChild(open);
    return box;
  }

  function linkPopup(item, names, labels) {
    const box = node("div", null, "map-popup");
    box.appendChild(node("h3", (names[item.from_id] || "") + " → " + (names[item.to_id] || "")));
    box.appendChild(node("p", item.offer_title + " → " + item.need_title));
    box.appendChild(node("p", [labels.status[item.status] || item.status,
                               labels.kind[item.kind] || item.kind,
                               labels.pair_type[item.pair_type] || item.pair_type].join(" · ")));
    const facts = [labels.score + " " + Math.round(item.score * 100)];
    if (item.distance_km !== null && item.distance_km !== undefined) {
      facts.push(labels.distance + " " + Math.round(item.distance_km) + " km");
    }
    box.appendChild(node("p", facts.join(" · ")));
    const open = node("p");
    open.appendChild(link(item.url, labels.open_match));
    box.appendChild(open);
    return box;
  }

  function addTiles(map, tiles) {
    if (!tiles || !tiles.url) {
      return false;
    }
    L.tileLayer(tiles.url, { attribution: escapeText(tiles.attribution || ""), maxZoom: 18 })
      .addTo(map);
    return true;
  }

  function addPlaces(map, places) {
    const layer = L.layerGroup();
    places.forEach(function (place) {
      L.tooltip({ permanent: true, direction: "top", offset: [0, -10], className: "map-place",
                  interactive: false })
        .setLatLng([place.lat, place.lon])
        .setContent(node("span", place.name))
        .addTo(layer);
    });
    layer.addTo(map);
  }

  function addLinks(map, data) {
    const names = {};
    data.companies.forEach(function (c) { names[c.id] = c.name; });
    const byId = {};
    const chains = L.layerGroup().addTo(map); // under the links
    const links = L.layerGroup().addTo(map);
    data.links.forEach(function (item) {
      byId[item.id] = item;
      const status = known(item.status, STATUSES, "suggested");
      L.polyline([item.from_latlon, item.to_latlon], { className: "map-link status-" + status })
        .bindPopup(linkPopup(item, names, data.labels))
        .addTo(links);
    });
    (data.chains || []).forEach(function (chain) {
      chain.forEach(function (suggestionId) {
        const item = byId[suggestionId];
        if (item) {
          L.polyline([item.from_latlon, item.to_latlon], { className: "map-chain" })
            .bindTooltip(node("span", data.labels.chain), { sticky: true })
            .addTo(chains);
        }
      });
    });
  }

  function addCompanies(map, data) {
    const group = L.markerClusterGroup({ maxClusterRadius: 30, showCoverageOnHover: false,
                                         disableClusteringAtZoom: 12 });
    data.companies.forEach(function (company) {
      const trade = known(company.trade, TRADES, "other");
      const icon = L.divIcon({ className: "map-marker trade-" + trade + (company.own ? " own" : ""),
                               iconSize: [16, 16], html: "" });
      L.marker([company.lat, company.lon], { icon: icon, title: company.name, alt: company.name,
                                             keyboard: true })
        .bindPopup(companyPopup(company, data.labels))
        .addTo(group);
    });
    group.addTo(map);
  }

  function draw(element, data) {
    const hasTiles = Boolean(data.tiles && data.tiles.url);
    // maxZoom on the map itself: without tiles no layer gives one, and the clusters need it.
    const map = L.map(element, { attributionControl: hasTiles, minZoom: 4, maxZoom: 18 });
    // The view first: the marker clusters need a zoom level when they are added.
    const points = data.companies.map(function (c) { return [c.lat, c.lon]; });
    if (points.length) {
      map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 12 });
    } else {
      map.setView(FALLBACK_VIEW.center, FALLBACK_VIEW.zoom);
    }
    addTiles(map, data.tiles);
    if (!hasTiles) {
      addPlaces(map, data.places);
    }
    addLinks(map, data);
    addCompanies(map, data);
  }

  function start() {
    const element = document.getElementById("cluster-map");
    if (!element || typeof L === "undefined") {
      return;
    }
    const status = document.getElementById("cluster-map-status");
    fetch(element.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) { draw(element, data); })
      .catch(function (error) {
        console.error(error);
        if (status) {
          status.textContent = element.dataset.error;
        }
      });
  }

  start();
}());
