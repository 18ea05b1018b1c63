// End to end in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): build the page with
// Vite, serve it on 127.0.0.1, click and drag through it and assert on what it shows.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };
// The plot's axes (src/data.js) and size in pixels (src/chart.js).
const X = [0, 1];
const Y = [-1.5, 1.5];
const SIZE = { width: 640, height: 380 };

let server;
let browser;
let url;

/** Pixel <-> data conversion for the page's plot, from the position of a drawn point (Vega's transform is relative to the plot origin). */
async function plotFrame(page) {
  const { rect, transform } = await page.$eval('[data-testid=chart] .layer_1_marks path', (p) => ({ rect: p.getBoundingClientRect().toJSON(), transform: p.getAttribute('transform') }));
  const [tx, ty] = transform.match(/translate\(([-\d.e]+),([-\d.e]+)\)/).slice(1).map(Number);
  const left = rect.x + rect.width / 2 - tx;
  const top = rect.y + rect.height / 2 - ty;
  return {
    toClient: (x, y) => ({ x: left + ((x - X[0]) / (X[1] - X[0])) * SIZE.width, y: top + ((Y[1] - y) / (Y[1] - Y[0])) * SIZE.height }),
    toData: (px, py) => ({ x: X[0] + ((px - left) / SIZE.width) * (X[1] - X[0]), y: Y[1] - ((py - top) / SIZE.height) * (Y[1] - Y[0]) }),
  };
}

/** The drawn points in data coordinates. */
async function drawnPoints(page, frame) {
  const centres = await page.$$eval('[data-testid=chart] .layer_1_marks path', (ps) => ps.map((p) => p.getBoundingClientRect().toJSON()).map((r) => [r.x + r.width / 2, r.y + r.height / 2]));
  return centres.map(([px, py]) => frame.toData(px, py));
}

/** Each drawn curve as its stroke colour and the value it shows at x. */
async function curveAt(page, frame, x) {
  const paths = await page.$$eval('[data-testid=chart] .layer_0_pathgroup path', (ps) => ps.map((p) => ({ stroke: p.getAttribute('stroke'), d: p.getAttribute('d') ?? '', box: p.getBoundingClientRect().toJSON() })));
  const origin = frame.toClient(X[0], Y[1]);
  return paths
    .filter((p) => p.d.split('L').length > 50)
    .map((p) => {
      // Vega writes the line as M x,y L x,y ... in plot coordinates.
      const vertices = p.d.slice(1).split('L').map((v) => v.split(',').map(Number));
      const target = frame.toClient(x, 0).x - origin.x;
      const [, py] = vertices.reduce((best, v) => (Math.abs(v[0] - target) < Math.abs(best[0] - target) ? v : best));
      return { stroke: p.stroke, y: frame.toData(0, py + origin.y).y };
    });
}

async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 5; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / 5, from.y + ((to.y - from.y) * i) / 5);
  await page.mouse.up();
}

async function trainAndWait(page) {
  await page.click('[data-testid=train]');
  await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid=status]').textContent;
      return /step (\d+)\/\1 /.test(s) && !/training/.test(s);
    },
    null,
    { timeout: 40_000 },
  );
  const text = async (id) => page.textContent(`[data-testid=${id}]`);
  const status = await text('status');
  const [, first, last] = status.match(/loss ([-\d.e]+) → ([-\d.e]+)/).map(Number);
  return { status, first, last, certificate: await text('certificate'), violations: Number((await text('violations')).match(/: (\d+)$/)[1]) };
}

describe.skipIf(!chromium)('playground in headless Chromium', () => {
  beforeAll(async () => {
    execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: here, stdio: 'pipe' });
    const dist = join(here, 'dist');
    server = createServer((req, res) => {
      const path = join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname));
      const file = existsSync(path) && !path.endsWith('/') ? path : join(dist, 'index.html');
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${server.address().port}/`;
    const { chromium: pw } = await import('playwright-core');
    browser = await pw.launch({
      executablePath: chromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  test('drags points in, fits a monotonic Lipschitz network that ignores the outlier, and an MLP that chases it', async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('[data-testid=status][data-ready=true]', { timeout: 30_000 });
    const status = () => page.textContent('[data-testid=status]');
    expect(await status()).toMatch(/^backend wasm · model monotonic \(mse\) · points 16 · step 0\/1000/);
    const frame = await plotFrame(page);

    // Drag the first point (x = 1/32) down to y = -0.6: still 16 points, one of them now there.
    const [first] = await drawnPoints(page, frame);
    expect(first.x).toBeCloseTo(1 / 32, 2);
    await drag(page, frame.toClient(first.x, first.y), frame.toClient(first.x, -0.6));
    await expect.poll(async () => (await drawnPoints(page, frame)).some((p) => Math.abs(p.x - 1 / 32) < 0.01 && Math.abs(p.y + 0.6) < 0.02)).toBe(true);
    expect(await status()).toMatch(/points 16 /);

    // Click on empty space to add a point on the trend at x = 0.69, then drag it down to y = -1: a non-monotone outlier.
    const added = frame.toClient(0.69, 0.35);
    await page.mouse.click(added.x, added.y);
    await expect.poll(status).toMatch(/points 17 /);
    await drag(page, added, frame.toClient(0.69, -1));
    await expect.poll(async () => (await drawnPoints(page, frame)).some((p) => Math.abs(p.x - 0.69) < 0.01 && Math.abs(p.y + 1) < 0.02)).toBe(true);
    expect(await status()).toMatch(/points 17 /);

    // Monotonic network, increasing, lambda = 1.5.
    await page.locator('[data-testid=lambda]').fill('1.5');
    await expect.poll(() => page.textContent('#lambda-value')).toBe('1.50');
    const mono = await trainAndWait(page);
    expect(mono.status).toMatch(/^backend wasm · model monotonic \(mse\) · points 17 · step 1000\/1000 /);
    expect(Number.isFinite(mono.first) && Number.isFinite(mono.last)).toBe(true);
    expect(mono.last).toBeLessThan(mono.first);
    const [, lambda, boundF, boundG] = mono.certificate.match(/λ ([\d.]+) · certified Lip\(f\) ≤ ([\d.]+) · Lip\(g\) ≤ ([\d.]+)/).map(Number);
    expect(lambda).toBe(1.5);
    // Lip(g) <= lambda and, with the residual lambda x, f' in [0, 2 lambda] (lipschitz README, eqs. 2.3-2.4); 4 printed decimals.
    expect(boundG).toBeLessThanOrEqual(lambda + 1e-4);
    expect(boundF).toBeLessThanOrEqual(2 * lambda + 1e-4);
    expect(mono.violations).toBe(0);
    const [monoCurve] = await curveAt(page, frame, 0.69);
    expect(monoCurve.stroke).toBe('#d62728');
    // The monotone fit cannot dip to the outlier at y = -1 between neighbours near y = 0.4-0.6 (squared error still flattens it there).
    expect(monoCurve.y).toBeGreaterThan(0);

    // With the Huber loss the monotone fit ignores the outlier: it stays on the trend 1.1 tanh(3 (x - 0.5)) = 0.58 at x = 0.69.
    await page.selectOption('[data-testid=loss]', 'huber');
    const robust = await trainAndWait(page);
    expect(robust.status).toMatch(/^backend wasm · model monotonic \(huber\) · points 17 · step 1000\/1000 /);
    expect(robust.last).toBeLessThan(robust.first);
    expect(robust.violations).toBe(0);
    const [robustCurve] = await curveAt(page, frame, 0.69);
    expect(Math.abs(robustCurve.y - 0.58)).toBeLessThan(0.2);

    // The plain MLP on the same points: lower training loss, because it chases the outlier, and so it decreases somewhere.
    await page.selectOption('[data-testid=model]', 'mlp');
    await page.selectOption('[data-testid=loss]', 'mse');
    const mlp = await trainAndWait(page);
    expect(mlp.status).toMatch(/^backend wasm · model mlp \(mse\) · points 17 · step 2000\/2000 /);
    expect(mlp.last).toBeLessThan(mlp.first);
    expect(mlp.certificate).toMatch(/plain MLP: no certified bound/);
    expect(mlp.violations).toBeGreaterThan(0);
    expect(mlp.last).toBeLessThan(mono.last);
    const curves = await curveAt(page, frame, 0.69);
    expect(curves.map((c) => c.stroke).sort()).toEqual(['#7f7f7f', '#d62728']);
    const mlpCurve = curves.find((c) => c.stroke === '#7f7f7f');
    // It bends down towards the outlier, below both monotone fits.
    expect(mlpCurve.y).toBeLessThan(robustCurve.y - 0.5);
    expect(mlpCurve.y).toBeLessThan(monoCurve.y);
    expect(errors).toEqual([]);
    console.log(`playground: monotonic loss ${mono.first} -> ${mono.last}, ${mono.certificate}, violations ${mono.violations}, f(0.69) ${monoCurve.y.toFixed(3)}; Huber: loss ${robust.first} -> ${robust.last}, f(0.69) ${robustCurve.y.toFixed(3)}; MLP loss ${mlp.first} -> ${mlp.last}, violations ${mlp.violations}, f(0.69) ${mlpCurve.y.toFixed(3)}`);
    await page.close();
  });
});

test('playground test prerequisites', () => {
  if (!chromium) console.warn('SKIPPED the browser test: Chromium not found at /usr/bin/chromium (apt-get install chromium)');
  expect(true).toBe(true);
});
