"""The interactive map's own controls, as CSS and one script.

The script (run once the map exists, ``map`` in scope) adds the key (collapsed to a
small "Key" button at every width, so it never covers the region until the reader asks
for it), the view buttons, the full attribution, the hatching of handed-over
districts, keyboard behaviour (accessible names read as text, the map panning to the
focused marker, Escape closing a popup) and the label layout: permanent labels are
shown in priority order and hidden where they would overprint another label, cover a
marker or a control, or leave the frame; a label with a second line (a date) that
does not fit anywhere tries again with its name alone. ``LAND_BOUNDS`` (the land file's bounds),
``LEGEND``, ``VIEWS``, ``LABEL_ORDER`` and ``ATTRIBUTION`` are replaced by JSON literals
before it is added.
"""

from __future__ import annotations

CONTROLS_CSS = (
    ".kit-legend{background:#fff;padding:4px 8px;font:12px/1.35 sans-serif;color:#111;"
    "max-width:250px;max-height:55vh;overflow:auto;box-shadow:0 1px 4px rgba(0,0,0,.35);"
    "border-radius:4px;}"
    ".kit-legend summary{cursor:pointer;font-weight:bold;}"
    # A key or popup taller than its box scrolls; shadows at its edges show there is more
    # (they move with the content: none at the end).
    ".kit-legend,.leaflet-popup-scrolled{background:"
    "linear-gradient(#fff 30%,rgba(255,255,255,0)) center top/100% 24px no-repeat local,"
    "linear-gradient(rgba(255,255,255,0),#fff 70%) center bottom/100% 24px no-repeat local,"
    "radial-gradient(farthest-side at 50% 0,rgba(0,0,0,.35),transparent) center top/100% 10px"
    " no-repeat scroll,radial-gradient(farthest-side at 50% 100%,rgba(0,0,0,.35),transparent)"
    " center bottom/100% 10px no-repeat scroll #fff;}"
    "@media (max-width:600px){.kit-legend{max-height:45vh;max-width:210px;}}"
    ".kit-legend ul{list-style:none;margin:4px 0 0;padding:0;}"
    ".kit-legend li{display:flex;gap:6px;align-items:flex-start;margin:2px 0;}"
    ".kit-legend li svg{flex:none;margin-top:1px;}"
    "@media (max-width:600px){.kit-views button{font-size:11px !important;"
    "padding:4px 6px !important;}}"
    ".kit-views button{display:block;width:100%;font:12px sans-serif;color:#111;"
    "background:#fff;border:0;border-bottom:1px solid #ccc;padding:5px 8px;cursor:pointer;"
    "text-align:left;}"
    ".kit-views button:last-child{border-bottom:0;}"
    ".kit-views button:hover,.kit-views button:focus{background:#f0f0f0;}"
    ".kit-icon{background:none;border:none;}"
    ".kit-icon:focus{outline:3px solid #0050b3;outline-offset:2px;}"
    # A label too is hidden until the layout has found it a clear spot.
    ".leaflet-tooltip.kit-label{visibility:hidden;}"
    ".leaflet-tooltip.kit-label{background:rgba(255,255,255,.88);border:0;box-shadow:none;"
    "padding:0 3px;font:12px/1.2 sans-serif;color:#000;white-space:nowrap;}"
    ".leaflet-tooltip.kit-label:before{display:none;}"
    ".kit-short .kit-extra{display:none;}"
    ".kit-compact .kit-long{display:none;}"
    ".kit-break{display:none;}"
    ".kit-wrap .kit-break-date,.kit-wrap-all .kit-break{display:inline;}"
    "@media (max-width:600px){.leaflet-tooltip.kit-label{font-size:11px;}}"
    # An area's name is hidden until the layout has found it a clear spot.
    ".kit-area{font:italic 11px/1.2 sans-serif;color:#222;white-space:nowrap;visibility:hidden;"
    "transform:translate(-50%,-50%);display:inline-block;text-align:center;"
    "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff;}"
    ".kit-distance{font:bold 12px/1.25 sans-serif;font-style:normal;text-align:left;"
    "transform:translate(12px,-50%);white-space:nowrap;}"
    # A name beside a line goes to its right, or where that does not fit, to its left.
    ".kit-beside.kit-flip{transform:translate(calc(-100% - 12px),-50%);text-align:right;}"
    "@media (max-width:600px){.kit-distance{font-size:11px;}}"
    ".kit-source{font:normal 11px/1.2 sans-serif;color:#333;}"
    ".kit-corridor{transform:translate(12px,-50%);text-align:left;}"
    ".kit-region{font:italic bold 14px sans-serif;white-space:nowrap;}"
    ".kit-region-dot{width:10px;height:10px;border:2px dotted #000;border-radius:50%;}"
    ".kit-country{font:bold 13px sans-serif;letter-spacing:.1em;color:#555;font-style:normal;}"
    ".kit-popup{max-width:240px;font:12px/1.35 sans-serif;}"
    ".kit-popup ul{padding-left:16px;margin:4px 0;}"
    ".kit-popup summary{cursor:pointer;color:#0050b3;}"
    ".leaflet-control-attribution{white-space:normal;max-width:70vw;font-size:11px;}"
    # The scale's figures stay inside its bar: the bar is at least 75 px (maxWidth 150,
    # below), wider than "100 km" at this size (Leaflet's 100 px let it run past the tick).
    ".leaflet-control-scale-line{font-size:11px;padding:1px 4px;}"
)

CONTROLS_JS = """
map.attributionControl.setPrefix(false);
// A scale wide enough for its figures (see the style above).
L.control.scale({maxWidth: 150}).addTo(map);
map.attributionControl.addAttribution(ATTRIBUTION);
var legend = L.control({position: 'bottomright'});
var legendDiv = null;
legend.onAdd = function () {
  legendDiv = L.DomUtil.create('div', 'leaflet-control');
  legendDiv.innerHTML = LEGEND;
  L.DomEvent.disableClickPropagation(legendDiv);
  L.DomEvent.disableScrollPropagation(legendDiv);
  var d = legendDiv.querySelector('details');
  // Labels are laid out again around the key; the attribute says (to tests too) when.
  d.addEventListener('toggle', function () {
    keyToggled(d.open);
    legendDiv.setAttribute('data-laid-out', d.open ? 'open' : 'closed');
  });
  return legendDiv;
};
legend.addTo(map);
// The view buttons sit bottom left, where the region view leaves only the sea and
// land with no place on it (top left, they covered Yerevan).
var views = L.control({position: 'bottomleft'});
var viewsDiv = null;
views.onAdd = function () {
  viewsDiv = L.DomUtil.create('div', 'leaflet-bar leaflet-control kit-views');
  VIEWS.forEach(function (v) {
    var b = L.DomUtil.create('button', '', viewsDiv);
    b.type = 'button';
    b.textContent = v.label;
    b.title = v.title;
    L.DomEvent.on(b, 'click', function (e) { L.DomEvent.stop(e); show(viewBounds(v)); });
  });
  L.DomEvent.disableClickPropagation(viewsDiv);
  return viewsDiv;
};
views.addTo(map);
// A narrow frame (a phone's) opens the region closer, on the places that changed hands,
// so that their names fit.
var NARROW = 500;
function viewBounds(v) {
  return v.narrow && map.getSize().x < NARROW ? v.narrow : v.bounds;
}
// On a narrow frame the key and the view buttons (both at the bottom) cannot sit side by
// side: the key goes top right, under the layer control, and opens downwards no lower than
// the buttons' top, so a reader can switch views with the key open.
function placeKey() {
  if (!legendDiv || !viewsDiv) return;
  var narrow = map.getSize().x < NARROW;
  var want = narrow ? 'topright' : 'bottomright';
  if (legend.getPosition() !== want) legend.setPosition(want);
  var details = legendDiv.querySelector('details');
  var frame = map.getContainer().getBoundingClientRect();
  var top = legendDiv.getBoundingClientRect().top - frame.top;
  // On a desktop the key may use the map's height (its rows need no scroll there); on a
  // phone at most 35% of it, so the view can move below it (keyToggled).
  if (!narrow) { details.style.maxHeight = Math.max(120, frame.height - 60) + 'px'; return; }
  var below = viewsDiv.getBoundingClientRect().top - frame.top;
  details.style.maxHeight = Math.max(80, Math.min(below - top - 10,
                                                  frame.height * 0.35)) + 'px';
}
// The key opened or closed. On a desktop the labels stay where they are: those the key
// covers are hidden while it is open (moving them put names beside the wrong markers).
// On a phone the key would cover the region: the view moves into the space below it,
// and back when it closes.
function keyToggled(open) {
  if (map.getSize().x < NARROW) {
    placeKey();
    if (current) show(current);
    layoutLabels();
    return;
  }
  if (!open) { layoutLabels(); return; }
  var key = legendDiv.getBoundingClientRect();
  map.getContainer().querySelectorAll('.kit-label, .kit-area').forEach(function (el) {
    if (el.style.visibility !== 'hidden' && overlaps(el.getBoundingClientRect(), key)) {
      el.style.visibility = 'hidden';
    }
  });
}
// Fit a view beside the controls, so they do not hide what it shows.
// The view last asked for (a button, the opening, or where the reader moved the map).
var current = null, showing = false;
function show(bounds) {
  var left = viewsDiv ? viewsDiv.offsetWidth + 20 : 10;
  var open = legendDiv && legendDiv.querySelector('details').open;
  var right = open ? legendDiv.offsetWidth + 16 : 10;
  var top = 10;
  var size = map.getSize();
  if (size.x < 700) { left = 10; right = 10; }
  var bottom = 30;
  // On a phone an open key sits above the view, the view buttons below it (keyToggled).
  if (open && size.x < NARROW) {
    var frame = map.getContainer().getBoundingClientRect();
    top = legendDiv.getBoundingClientRect().bottom - frame.top + 10;
    if (viewsDiv) bottom = frame.bottom - viewsDiv.getBoundingClientRect().top + 10;
  }
  current = bounds;
  showing = true;
  map.fitBounds(bounds, {animate: false, paddingTopLeft: [left, top],
                         paddingBottomRight: [right, bottom]});
  showing = false;
}
map.on('moveend', function () {
  var open = legendDiv && legendDiv.querySelector('details').open;
  if (!showing && !open) current = map.getBounds();
});
// Opening a popup's sources makes it taller: lay it out again and pan it into the frame.
document.addEventListener('toggle', function (e) {
  if (map._popup && e.target.closest && e.target.closest('.leaflet-popup')) map._popup.update();
}, true);
// The land file ends at a frame: the map never shows past it (no straight coast).
// The floor is set as an option, not with setMinZoom: that would zoom a map still at
// zoom 0 (a frame laid out late) with an animation, and while a zoom animates Leaflet
// drops every other view change, so the region view asked for next would be lost.
function keepToLand() {
  if (!LAND_BOUNDS) return;
  map.options.minZoom = Math.ceil(map.getBoundsZoom(LAND_BOUNDS, true) * 4) / 4;
  map.options.maxBoundsViscosity = 1;
  map.setMaxBounds(LAND_BOUNDS);
}
// A frame with no size yet (a report page still laying out, or a frame out of view that
// the browser has not laid out) would open zoomed right out: open on the region once the
// frame has a size. Until the reader touches the map, every new frame size opens it on
// the region again (a frame can first be laid out at a provisional size).
var touched = false;
['mousedown', 'touchstart', 'wheel', 'keydown'].forEach(function (type) {
  map.getContainer().addEventListener(type, function () { touched = true; }, {passive: true});
});
var lastSize = '';
function open() {
  map.invalidateSize(false);
  var size = map.getSize();
  if (touched || !size.x || !size.y || size.x + 'x' + size.y === lastSize) return;
  if (map._animatingZoom) { map.once('zoomend', open); return; }  // see keepToLand
  lastSize = size.x + 'x' + size.y;
  placeKey();
  show(viewBounds(VIEWS[0]));
  keepToLand();
  layoutLabels();
  // Once more when the frame has drawn (a first layout can measure boxes a moment
  // before the browser has finished placing them); only then is the map "opened".
  requestAnimationFrame(function () {
    layoutLabels();
    var c = map.getContainer();
    c.setAttribute('data-kit-opened', 'region');  // opened and laid out (tests wait on it)
    c.setAttribute('data-kit-zoom', String(map.getZoom()));
  });
}
var sized = new ResizeObserver(open);
sized.observe(map.getContainer());
function hatch() {
  var svg = map.getPanes().overlayPane.querySelector('svg');
  if (!svg) return;
  if (!svg.querySelector('#kit-hatch')) {
    var ns = 'http://www.w3.org/2000/svg';
    var defs = document.createElementNS(ns, 'defs');
    var p = document.createElementNS(ns, 'pattern');
    p.setAttribute('id', 'kit-hatch');
    p.setAttribute('width', '7'); p.setAttribute('height', '7');
    p.setAttribute('patternUnits', 'userSpaceOnUse');
    p.setAttribute('patternTransform', 'rotate(-45)');
    var line = document.createElementNS(ns, 'line');
    line.setAttribute('x1', '0'); line.setAttribute('y1', '0');
    line.setAttribute('x2', '0'); line.setAttribute('y2', '7');
    line.setAttribute('stroke', '#000'); line.setAttribute('stroke-width', '1.3');
    line.setAttribute('stroke-opacity', '0.6');
    p.appendChild(line); defs.appendChild(p); svg.insertBefore(defs, svg.firstChild);
  }
  map.eachLayer(function (l) {
    if (l.feature && l.feature.properties && l.feature.properties.kit_hatch && l.getElement()) {
      l.getElement().setAttribute('fill', 'url(#kit-hatch)');
      l.getElement().setAttribute('fill-opacity', '1');
    }
  });
}
map.on('layeradd zoomend', hatch);
hatch();
// Marker titles (their accessible names) arrive escaped, as every text from the data
// does; read them as text once, through an inert parser (nothing in it loads or runs).
function readTitle(l) {
  if (!(l instanceof L.Marker) || !l.options.title || l._kitTitle) return;
  l._kitTitle = true;
  var doc = new DOMParser().parseFromString(l.options.title, 'text/html');
  l.options.title = doc.documentElement.textContent;
  var el = l.getElement();
  if (el) {
    el.title = l.options.title;
    el.setAttribute('aria-label', l.options.title);
    // The map follows the keyboard: a focused marker is brought into view.
    el.addEventListener('focus', function () {
      map.panInside(l.getLatLng(), {padding: [60, 60], animate: false});
    });
  }
}
map.eachLayer(readTitle);
map.on('layeradd', function (e) { readTitle(e.layer); });
// Escape closes a popup opened from the keyboard.
L.DomEvent.on(map.getContainer(), 'keydown', function (e) {
  if (e.key === 'Escape' && map._popup && map.hasLayer(map._popup)) map.closePopup();
});
// Labels: in priority order, each takes the first side where it overprints nothing.
var ORDER = LABEL_ORDER;
var SIDES = [['right', [10, 0]], ['left', [-10, 0]], ['top', [0, -10]], ['bottom', [0, 10]],
             ['right', [8, -14]], ['right', [8, 14]], ['left', [-8, -14]], ['left', [-8, 14]],
             ['right', [8, -24]], ['right', [8, 24]], ['left', [-8, -24]], ['left', [-8, 24]],
             ['top', [0, -22]], ['bottom', [0, 22]], ['top', [-30, -10]], ['top', [30, -10]],
             ['bottom', [-30, 10]], ['bottom', [30, 10]]];
// An area's name (the region) may stand further from its dot: it names the outline.
var AREA_SIDES = SIDES.concat([['right', [40, 0]], ['left', [-40, 0]], ['top', [0, -34]],
  ['bottom', [0, 34]], ['right', [70, 0]], ['left', [-70, 0]], ['top', [0, -58]],
  ['bottom', [0, 58]], ['top', [40, -34]], ['bottom', [40, 34]], ['top', [-40, -34]],
  ['bottom', [-40, 34]]]);
// A main place's label may also stand a little further off (still nearer its own marker
// than any other: see fits).
var MAIN_SIDES = SIDES.concat([['right', [8, -34]], ['right', [8, 34]], ['left', [-8, -34]],
  ['left', [-8, 34]], ['top', [0, -34]], ['bottom', [0, 34]], ['top', [-40, -22]],
  ['top', [40, -22]], ['bottom', [-40, 22]], ['bottom', [40, 22]]]);
// Boxes overlap when they share more than a hairline (sub-pixel rounding is not
// overprinting).
function overlaps(a, b) {
  return a.left < b.right - 1 && b.left < a.right - 1 &&
         a.top < b.bottom - 1 && b.top < a.bottom - 1;
}
// A changed place's label carries its date (class kit-dated): the layout is run again,
// those left undated going first, until every one has its date or no order does better;
// the best order found is the one shown. (A greedy layout in one fixed order left 4 of
// the 9 undated on a phone, though an order existed that dated all 9.) Each label's box
// is measured once per form and side (Leaflet places a tooltip by adding its offset), so
// the orders are tried on numbers, and only the one shown is written to the page.
var TRIES = 40;
// A label stands no nearer (edge to edge) any other marker than its own, plus this
// margin (px), or a reader could take it for the other's (2 px nearer another was allowed
// before). Stricter rules (1 px leaves Hadrut undated on a desktop; 4 px, or centres too,
// leave Shusha unlabelled on a phone): the crowd round Khankendi needs leader lines.
var CLEAR = 0;
var FORM_CLASSES = ['kit-short', 'kit-compact', 'kit-wrap', 'kit-wrap-all'];
var DIRECTIONS = ['right', 'left', 'top', 'bottom'];
function setForm(el, form) {
  FORM_CLASSES.forEach(function (c) { el.classList.remove(c); });
  form.forEach(function (c) { el.classList.add(c); });
}
function moved(r, x, y) {
  return {left: r.left + x, right: r.right + x, top: r.top + y, bottom: r.bottom + y,
          width: r.width};
}
function layoutLabels() {
  var frame = map.getContainer().getBoundingClientRect();
  var narrow = map.getSize().x < NARROW;
  var controls = [];
  document.querySelectorAll('.leaflet-control').forEach(function (c) {
    controls.push(c.getBoundingClientRect());
  });
  // A marker blocks where its symbol is drawn (not its whole, partly empty icon box).
  var symbols = [];
  map.getContainer().querySelectorAll('.leaflet-marker-icon').forEach(function (el) {
    if (el.querySelector('.kit-area')) return;
    var shape = el.querySelector('svg > *') || el.firstElementChild || el;
    symbols.push({icon: el, r: shape.getBoundingClientRect()});
  });
  var blocked = [];
  // A label must be nearer its own marker than any other, or it would name the wrong one.
  function gap(a, b) {
    var dx = Math.max(a.left - b.right, b.left - a.right, 0);
    var dy = Math.max(a.top - b.bottom, b.top - a.bottom, 0);
    return Math.sqrt(dx * dx + dy * dy);
  }
  function fits(r, own) {
    if (r.left < frame.left + 2 || r.right > frame.right - 2 || r.top < frame.top + 2 ||
        r.bottom > frame.bottom - 2 || r.width === 0) return false;
    if (blocked.some(function (b) { return overlaps(r, b); })) return false;
    if (!own) return true;
    var mine = symbols.find(function (s) { return s.icon === own; });
    return !mine || symbols.every(function (s) {
      return s.icon === own || gap(r, s.r) >= gap(r, mine.r) + CLEAR;
    });
  }
  // The places' labels, with the forms each may take, best first: the whole label (on a
  // narrow map, its compact form: "taken 17 Oct"); the compact form; the compact form
  // with its date on a line of its own, then broken at every break (interactive.py's
  // LABEL); the name alone (the rest is in the popup).
  // (Leaflet rewrites a tooltip's content on update: the classes go on its box.)
  var labels = {};
  ORDER.forEach(function (name) {
    var marker = window[name];
    if (!marker || !map.hasLayer(marker) || !marker.getTooltip()) return;
    var tip = marker.getTooltip();
    if (!tip.isOpen()) marker.openTooltip();
    var el = tip.getElement();
    if (!el) return;
    var icon = marker.getElement();
    var at = icon ? icon.getBoundingClientRect() : null;
    // A name whose marker is out of the frame would name nothing the reader can see.
    var seen = at && at.left >= frame.left && at.right <= frame.right &&
      at.top >= frame.top && at.bottom <= frame.bottom &&
      !controls.some(function (c) { return overlaps(at, c); });
    var compact = !!el.querySelector('.kit-long');
    var forms = [compact && narrow ? ['kit-compact'] : []];
    if (compact && !narrow) forms.push(['kit-compact']);
    if (el.querySelector('.kit-break-date')) forms.push(['kit-compact', 'kit-wrap']);
    if (el.querySelector('.kit-break')) forms.push(['kit-compact', 'kit-wrap-all']);
    if (el.querySelector('.kit-extra')) forms.push(['kit-short']);
    var area = !!el.querySelector('.kit-region');
    labels[name] = {tip: tip, el: el, icon: icon, seen: seen, forms: forms, boxes: [],
                    area: area, dated: el.classList.contains('kit-dated'),
                    main: el.classList.contains('kit-main'),
                    sides: area ? AREA_SIDES : el.classList.contains('kit-main') ? MAIN_SIDES
                      : SIDES};
  });
  // A label's box in a form, at each direction with no offset (measured once).
  function boxes(label, i) {
    if (!label.boxes[i]) {
      var out = {};
      setForm(label.el, label.forms[i]);
      DIRECTIONS.forEach(function (d) {
        label.tip.options.direction = d;
        label.tip.options.offset = L.point(0, 0);
        label.tip.update();
        var r = label.el.getBoundingClientRect();
        out[d] = {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width};
      });
      label.boxes[i] = out;
    }
    return label.boxes[i];
  }
  // The area names (the Moscow line's, the corridor's, the countries'): each box, and
  // the box of a name beside a line when it goes to the line's left.
  var areas = [];
  map.getContainer().querySelectorAll('.kit-area').forEach(function (el) {
    el.classList.remove('kit-flip');
    var item = {el: el, name: el.getAttribute('data-name'), r: el.getBoundingClientRect(),
                distance: el.classList.contains('kit-distance')};
    if (el.classList.contains('kit-beside')) {
      el.classList.add('kit-flip');
      item.flipped = el.getBoundingClientRect();
      el.classList.remove('kit-flip');
    }
    areas.push(item);
  });
  function placeLabel(name, plan, shuffled) {
    var label = labels[name];
    if (!label || !label.seen) return;
    var sides = label.sides;
    if (shuffled && (label.main || label.dated)) sides = shuffle(sides.slice());
    for (var i = 0; i < label.forms.length; i++) {
      var base = boxes(label, i);
      for (var k = 0; k < sides.length; k++) {
        var side = sides[k];
        var r = moved(base[side[0]], side[1][0], side[1][1]);
        if (fits(r, label.area ? null : label.icon)) {
          blocked.push(r);
          plan[name] = {form: i, side: side};
          return;
        }
      }
    }
  }
  // Area names after the places, except the Moscow line's, which goes first: a line
  // without its name reads as a border (the corridor's is tried before the countries').
  // A name has several spots: its first that fits is shown, once.
  function placeArea(item, named, plan) {
    if (item.name && named[item.name]) return;
    var r = fits(item.r) ? item.r : item.flipped && fits(item.flipped) ? item.flipped : null;
    if (!r) return;
    blocked.push(r);
    if (item.name) named[item.name] = true;
    plan.areas.push({item: item, flip: r === item.flipped});
  }
  var seed = 1;
  // A fixed pseudo-random sequence: the same frame always gets the same layout.
  function random() { seed = (seed * 16807) % 2147483647; return seed / 2147483647; }
  function shuffle(list) {
    for (var k = list.length - 1; k > 0; k--) {
      var j = Math.floor(random() * (k + 1)), t = list[k];
      list[k] = list[j]; list[j] = t;
    }
    return list;
  }
  function attempt(order, shuffled) {
    blocked = controls.concat(symbols.map(function (s) { return s.r; }));
    var plan = {areas: []}, named = {};
    areas.forEach(function (a) { if (a.distance) placeArea(a, named, plan); });
    order.forEach(function (name) { placeLabel(name, plan, shuffled); });
    areas.forEach(function (a) { if (!a.distance) placeArea(a, named, plan); });
    // The changed places left without their date, and the labels left out.
    plan.undated = ORDER.filter(function (name) {
      var label = labels[name], p = plan[name];
      return label && label.seen && label.dated &&
        (!p || label.forms[p.form].indexOf('kit-short') >= 0);
    });
    plan.unnamed = ORDER.filter(function (name) {
      return labels[name] && labels[name].seen && labels[name].main && !plan[name];
    });
    plan.hidden = ORDER.filter(function (name) { return labels[name] && !plan[name]; }).length;
    return plan;
  }
  var order = ORDER.filter(function (name) { return labels[name]; });
  var lead = order.filter(function (name) { return labels[name].area; });
  // Better: fewer changed places undated, then fewer main places unnamed, then fewer
  // labels left out.
  function score(p) { return [p.undated.length, p.unnamed.length, p.hidden]; }
  function better(a, b) {
    var x = score(a), y = score(b);
    for (var j = 0; j < x.length; j++) if (x[j] !== y[j]) return x[j] < y[j];
    return false;
  }
  var best = null;
  // The first tries keep each label's sides in their order of preference (right of the
  // marker first); later ones shuffle the main labels' sides too.
  for (var i = 0; i < TRIES; i++) {
    var plan = attempt(order, i >= TRIES / 4);
    if (!best || better(plan, best)) best = plan;
    if (!plan.undated.length && !plan.unnamed.length) break;
    // The changed places left undated and the main places left unnamed go first, then
    // the region's name (it has many spots), the other main places in a shuffled order.
    var missed = plan.undated.concat(plan.unnamed.filter(function (n) {
      return plan.undated.indexOf(n) < 0;
    }));
    var rest = order.filter(function (n) { return missed.indexOf(n) < 0 && !labels[n].area; });
    var main = shuffle(rest.filter(function (n) { return labels[n].main; }));
    order = missed.concat(lead.filter(function (n) { return missed.indexOf(n) < 0; }), main,
                          rest.filter(function (n) { return !labels[n].main; }));
  }
  // Only the best layout is written to the page.
  Object.keys(labels).forEach(function (name) {
    var label = labels[name], p = best[name];
    if (!p) { label.el.style.visibility = 'hidden'; return; }
    setForm(label.el, label.forms[p.form]);
    label.tip.options.direction = p.side[0];
    label.tip.options.offset = L.point(p.side[1]);
    label.tip.update();
    label.el.style.visibility = 'visible';
  });
  areas.forEach(function (a) { a.el.style.visibility = 'hidden'; });
  best.areas.forEach(function (a) {
    if (a.flip) a.item.el.classList.add('kit-flip');
    a.item.el.style.visibility = 'visible';
  });
}
map.on('zoomend moveend overlayadd overlayremove resize', layoutLabels);
"""
