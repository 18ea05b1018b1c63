// Editing the data with the pointer: press on a point to drag it, press on empty space to add a point (and drag it).
const GRAB_RADIUS = 10; // pixels

function nearest(chart, points, event) {
  let best = -1;
  let bestDistance = GRAB_RADIUS;
  points.forEach((p, i) => {
    const c = chart.toClient(p);
    const d = Math.hypot(c.x - event.clientX, c.y - event.clientY);
    if (d <= bestDistance) [best, bestDistance] = [i, d];
  });
  return best;
}

/** points is edited in place; onChange runs after every edit. */
export function editPoints(chart, points, onChange) {
  const el = chart.element;
  let dragged = -1;
  el.style.touchAction = 'none';
  el.addEventListener('pointerdown', (event) => {
    dragged = nearest(chart, points, event);
    if (dragged < 0) {
      const p = chart.toData(event);
      if (!p) return;
      dragged = points.push(p) - 1;
    }
    event.preventDefault();
    el.setPointerCapture(event.pointerId);
    onChange();
  });
  el.addEventListener('pointermove', (event) => {
    if (dragged < 0) return;
    points[dragged] = chart.toData(event, true);
    onChange();
  });
  for (const type of ['pointerup', 'pointercancel']) {
    el.addEventListener(type, () => {
      dragged = -1;
    });
  }
}
