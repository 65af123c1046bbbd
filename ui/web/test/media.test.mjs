// The media tab of a finished run made by the real client and daemon (ui_client --mode
// media): an image panel whose step slider changes the image, an image's boxes and mask drawn
// over it, a histogram drawn as a heat map over the steps, a paged and sortable table with
// image thumbnails, an HTML page in a sandboxed frame, audio players and GIF videos with the
// same step slider, point clouds and model files drawn with three.js in views that orbit (and a
// clear message without WebGL), a histogram set only in the summary drawn as bars, a table's
// image thumbnails with their boxes and masks, and a custom line chart (wandb::plot::line)
// drawn by Vega-Lite with every logged point.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestEnv, launchBrowser, newPage, screenshot, entityOf, eventually } from './support.mjs';

let env, browser, page, runUrl;

before(async () => {
  env = new TestEnv();
  await env.run(['--mode', 'media', '--id', 'media-run', '--steps', '20']);
  await env.startUi();
  const entity = await entityOf(env, 'media');
  runUrl = `${env.origin}/r/${entity}/media/media-run`;
  browser = await launchBrowser();
  page = await newPage(browser);
  await page.goto(`${runUrl}?tab=media`);
  await page.waitForSelector('#media-sections .media-panel');
});

after(async () => {
  await browser?.close();
  await env?.cleanup();
});

const IMAGE = '.image-panel[data-key="samples"]';

// The image the panel shows: its src and its size in pixels once loaded.
const shownImage = () => page.$eval(IMAGE, (p) => {
  const img = p.querySelector('figure img');
  return img && img.complete && img.naturalWidth
    ? { step: p.dataset.step, src: img.getAttribute('src'), width: img.naturalWidth, height: img.naturalHeight,
        caption: p.querySelector('figcaption')?.textContent }
    : null;
});

test('the media tab has a section per kind and the chart\'s table is not shown twice', async () => {
  const sections = await page.$$eval('details.section', (s) => s.map((d) => d.dataset.section));
  assert.deepEqual(sections, ['Images', 'Histograms', 'Tables', 'HTML', 'Audio', 'Video', '3D', 'Summary', 'Custom charts']);
  const tables = await page.$$eval('details[data-section="Tables"] .table-panel', (p) => p.map((e) => e.dataset.key));
  assert.deepEqual(tables, ['detected', 'predictions']);
});

test('the image panel shows the last step, and the slider shows the image of the chosen step', async () => {
  // Steps 0..4: step S's image is 8 + 4*S pixels wide, captioned "step S".
  const last = await eventually(async () => {
    const img = await shownImage();
    return img?.step === '4' ? img : null;
  }, 20000, 'the last step\'s image');
  assert.equal(last.width, 24);
  assert.equal(last.height, 8);
  assert.equal(last.caption, 'step 4');
  assert.match(last.src, /samples_4_/);
  await page.$eval(`${IMAGE} .step-slider`, (s) => { s.value = '1'; s.dispatchEvent(new Event('input')); });
  const first = await eventually(async () => {
    const img = await shownImage();
    return img?.step === '1' ? img : null;
  }, 20000, 'step 1\'s image');
  assert.equal(first.width, 12);
  assert.equal(first.caption, 'step 1');
  assert.match(first.src, /samples_1_/);
  assert.match(await page.$eval(`${IMAGE} .step-label`, (e) => e.textContent), /step 1/);
});

test('a list of images shows every image of the step with its caption', async () => {
  const panel = '.image-panel[data-key="examples"]';
  await page.waitForSelector(`${panel}[data-step="3"]`);
  const figures = await page.$$eval(`${panel} figure`, (f) => f.map((e) => ({
    width: e.querySelector('img').naturalWidth, caption: e.querySelector('figcaption')?.textContent })));
  assert.deepEqual(figures, [{ width: 8, caption: 'step 0' }, { width: 12, caption: 'step 1' }, { width: 16, caption: 'step 2' }]);
  assert.equal(await page.$eval(`${panel} .step-slider`, (s) => s.disabled), true);  // one step only
});

const DETECTIONS = '.image-panel[data-key="detections"]';

// Where the boxes of a detection image are drawn, as fractions of the image as shown, with
// their labels and outline colours.
const drawnBoxes = (figure) => page.$eval(figure, (f) => {
  const image = f.querySelector('img').getBoundingClientRect();
  return [...f.querySelectorAll('.box-layer[data-group="predictions"] g.box')].map((g) => {
    const r = g.querySelector('rect').getBoundingClientRect();  // its geometry, not its outline
    const round = (v) => Math.round(v * 1000) / 1000;
    return { x0: round((r.left - image.left) / image.width), x1: round((r.right - image.left) / image.width),
             y0: round((r.top - image.top) / image.height), y1: round((r.bottom - image.top) / image.height),
             label: g.querySelector('text').textContent, color: getComputedStyle(g.querySelector('rect')).stroke };
  });
});

// How many pixels of the mask layer are of each colour, and its size.
const maskColors = (figure) => page.$eval(`${figure} canvas.mask-layer[data-group="truth"]`, (c) => {
  const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
  const counts = {};
  for (let i = 0; i < data.length; i += 4) {
    const color = `rgb(${data[i]}, ${data[i + 1]}, ${data[i + 2]})${data[i + 3] === 255 ? '' : ' see-through'}`;
    counts[color] = (counts[color] ?? 0) + 1;
  }
  return { width: c.width, height: c.height, counts, opacity: getComputedStyle(c).opacity };
});

// How many pixels of a 240 x 180 detection image a region holds: those whose centres are in it,
// as ui_client paints it.
function pixelsIn(x0, x1, y0, y1) {
  const count = (f0, f1, n) => [...Array(n).keys()].filter((i) => (i + 0.5) / n >= f0 && (i + 0.5) / n < f1).length;
  return count(x0, x1, 240) * count(y0, y1, 180);
}

test('an image\'s boxes are drawn over it with their labels and its mask in the classes\' colours', async () => {
  await page.waitForSelector(`${DETECTIONS}[data-step="4"] .box-layer`);
  await page.$eval(DETECTIONS, (e) => e.scrollIntoView());
  // Step 4: the cat's box from 0.18 to 0.53 across and 0.2 to 0.85 down, captioned; the dog's
  // from 0.6 to 0.9 and 0.15 to 0.55, named by its class (240 x 180 pixels, shown as logged).
  const [cat, dog] = await drawnBoxes(`${DETECTIONS} figure`);
  assert.deepEqual({ ...cat, color: undefined }, { x0: 0.18, x1: 0.53, y0: 0.2, y1: 0.85, label: 'cat 0.93', color: undefined });
  assert.deepEqual({ ...dog, color: undefined }, { x0: 0.6, x1: 0.9, y0: 0.15, y1: 0.55, label: 'dog', color: undefined });
  assert.notEqual(cat.color, dog.color);
  // The mask's pixels: the cat's and the dog's in their boxes' colours, the background
  // (class 0) in a third; the canvas, see-through, lies over the image.
  const mask = await maskColors(DETECTIONS);
  assert.deepEqual({ width: mask.width, height: mask.height, opacity: mask.opacity }, { width: 240, height: 180, opacity: '0.45' });
  const [catPixels, dogPixels] = [pixelsIn(0.18, 0.53, 0.2, 0.85), pixelsIn(0.6, 0.9, 0.15, 0.55)];
  assert.equal(mask.counts[cat.color], catPixels);
  assert.equal(mask.counts[dog.color], dogPixels);
  assert.deepEqual(Object.values(mask.counts).sort((a, b) => a - b), [dogPixels, catPixels, 240 * 180 - catPixels - dogPixels]);
  const sameBox = await page.$eval(DETECTIONS, (p) => {
    const [img, canvas] = [p.querySelector('figure img'), p.querySelector('canvas.mask-layer')];
    return JSON.stringify(img.getBoundingClientRect()) === JSON.stringify(canvas.getBoundingClientRect());
  });
  assert.ok(sameBox, 'the mask does not cover the image');
  // The legend: each group with its classes, named by the run's class labels.
  const legend = await page.$$eval(`${DETECTIONS} .overlay-group`, (rows) => rows.map((r) => ({
    group: r.querySelector('input').dataset.group, classes: [...r.querySelectorAll('.class-swatch')].map((s) => s.textContent) })));
  assert.deepEqual(legend, [{ group: 'masks:truth', classes: ['background', 'cat', 'dog'] },
                            { group: 'boxes:predictions', classes: ['cat', 'dog'] }]);
  await screenshot(page, 'run-media-overlays');
});

test('a group\'s checkbox hides its layer at every step until checked again', async () => {
  const layerShown = () => page.$eval(`${DETECTIONS} .box-layer`, (l) => getComputedStyle(l).display !== 'none');
  await page.click(`${DETECTIONS} input[data-group="boxes:predictions"]`);
  assert.equal(await layerShown(), false);
  await slide(DETECTIONS, 0);
  await page.waitForSelector(`${DETECTIONS}[data-step="0"] .box-layer`);
  assert.equal(await layerShown(), false);
  assert.equal(await page.$eval(`${DETECTIONS} input[data-group="boxes:predictions"]`, (b) => b.checked), false);
  await page.click(`${DETECTIONS} input[data-group="boxes:predictions"]`);
  assert.equal(await layerShown(), true);
  // Step 0's cat is 0.08 further left than step 4's.
  assert.equal((await drawnBoxes(`${DETECTIONS} figure`))[0].x0, 0.1);
  assert.equal(await page.$eval(`${DETECTIONS} canvas.mask-layer`, (c) => getComputedStyle(c).display), 'block');
});

test('a list of images draws each image\'s own boxes and masks', async () => {
  const panel = '.image-panel[data-key="detection_list"]';
  await page.waitForSelector(`${panel}[data-step="3"]`);
  const figures = await page.$$eval(`${panel} figure`, (f) => f.map((e) => ({
    boxes: e.querySelectorAll('.box-layer rect').length, masks: e.querySelectorAll('canvas.mask-layer').length })));
  assert.deepEqual(figures, [{ boxes: 2, masks: 1 }, { boxes: 0, masks: 0 }]);
  const [cat] = await drawnBoxes(`${panel} figure`);
  assert.deepEqual([cat.x0, cat.x1, cat.label], [0.16, 0.51, 'cat 0.93']);
});

test('images and tables set only in the summary are shown in their own section', async () => {
  const section = 'details[data-section="Summary"]';
  await page.waitForSelector(`${section} .image-panel[data-key="best"][data-step="summary"]`);
  const best = await page.$eval(`${section} .image-panel[data-key="best"]`, (p) => ({
    width: p.querySelector('img').naturalWidth, slider: p.querySelector('.step-slider').hidden }));
  assert.deepEqual(best, { width: 16, slider: true });
  await page.waitForSelector(`${section} .table-panel[data-key="final.table"] tbody tr`);
  assert.equal((await page.$$(`${section} .table-panel[data-key="final.table"] tbody tr`)).length, 10);
  assert.match(await page.$eval(`${section} .table-panel .step-label`, (e) => e.textContent), /summary · 12 rows/);
});

test('an HTML page is shown in a sandboxed frame that cannot reach the app, per step', async () => {
  const panel = '.html-panel[data-key="report"]';
  // The frame of the shown step, and what its page says (read inside the frame).
  const shownPage = async (step) => {
    await page.waitForSelector(`${panel}[data-step="${step}"] iframe.html-frame`);
    const frame = await (await page.$(`${panel} iframe.html-frame`)).contentFrame();
    return eventually(async () => {
      const title = await frame.$eval('h1', (e) => e.textContent).catch(() => null);
      return title ? { frame, title } : null;
    }, 20000, `the page of step ${step}`);
  };
  const last = await shownPage('4');
  assert.equal(last.title, 'Report of step 4');
  assert.equal(await page.$eval(`${panel} iframe`, (f) => f.getAttribute('sandbox')), 'allow-scripts');
  // Scripts run in it, but in an origin of their own: the app's document is out of reach.
  const reach = await last.frame.evaluate(() => {
    try { return window.parent.document.title; } catch { return 'blocked'; }
  });
  assert.equal(reach, 'blocked');
  await page.$eval(`${panel} .step-slider`, (s) => { s.value = '0'; s.dispatchEvent(new Event('input')); });
  assert.equal((await shownPage('2')).title, 'Report of step 2');
  await page.$eval('details[data-section="HTML"]', (e) => e.scrollIntoView());
  await screenshot(page, 'run-media-html');
});

// Moves a panel's step slider to the `index`th of its steps, as a user's drag does.
const slide = (panel, index) => page.$eval(`${panel} .step-slider`, (s, i) => {
  s.value = String(i);
  s.dispatchEvent(new Event('input'));
}, index);

const SOUND = '.audio-panel[data-key="sound"]';

// The player the sound panel shows once the browser has read its file's header: its step, src,
// length in seconds and caption.
const shownClip = () => page.$eval(SOUND, (p) => {
  const audio = p.querySelector('figure audio');
  return audio && audio.readyState >= 1 && audio.duration > 0
    ? { step: p.dataset.step, src: audio.getAttribute('src'), duration: audio.duration,
        controls: audio.controls, caption: p.querySelector('figcaption')?.textContent }
    : null;
});

test('the audio panel plays the last step\'s clip and the slider picks another step', async () => {
  // Steps 1 3 5: a second at 8 kHz captioned "step S".
  const last = await eventually(async () => {
    const clip = await shownClip();
    return clip?.step === '5' ? clip : null;
  }, 20000, 'the last step\'s clip');
  assert.match(last.src, /sound_5_/);
  assert.ok(Math.abs(last.duration - 1) < 0.01, `duration ${last.duration}`);
  assert.equal(last.controls, true);
  assert.equal(last.caption, 'step 5');
  // The file as the player gets it: a WAV, sent as one.
  const file = await page.$eval(`${SOUND} audio`, async (a) => {
    const r = await fetch(a.src);
    const bytes = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, type: r.headers.get('content-type'), magic: String.fromCharCode(...bytes.slice(0, 4)) };
  });
  assert.deepEqual(file, { status: 200, type: 'audio/wav', magic: 'RIFF' });
  await slide(SOUND, 0);
  const first = await eventually(async () => {
    const clip = await shownClip();
    return clip?.step === '1' ? clip : null;
  }, 20000, 'step 1\'s clip');
  assert.match(first.src, /sound_1_/);
  assert.equal(first.caption, 'step 1');
  assert.match(await page.$eval(`${SOUND} .step-label`, (e) => e.textContent), /step 1/);
});

test('a list of sounds shows a player per clip with its caption', async () => {
  const panel = '.audio-panel[data-key="sounds"]';
  await page.waitForSelector(`${panel}[data-step="3"]`);
  const clips = await page.$$eval(`${panel} figure`, (f) => f.map((e) => ({
    src: /sounds_3_/.test(e.querySelector('audio').getAttribute('src')), caption: e.querySelector('figcaption')?.textContent })));
  assert.deepEqual(clips, [{ src: true, caption: 'low' }, { src: true, caption: 'high' }]);
  assert.equal(await page.$eval(`${panel} .step-slider`, (s) => s.disabled), true);  // one step only
});

const VIDEO = '.video-panel[data-key="rollout"]';

// The GIF the video panel shows once decoded: its step, src, size in pixels and caption.
const shownVideo = () => page.$eval(VIDEO, (p) => {
  const img = p.querySelector('figure img');
  return img && img.complete && img.naturalWidth
    ? { step: p.dataset.step, src: img.getAttribute('src'), width: img.naturalWidth, height: img.naturalHeight,
        caption: p.querySelector('figcaption')?.textContent, players: p.querySelectorAll('video').length }
    : null;
});

test('the video panel shows the GIF of the step at its logged width', async () => {
  // Steps 1 3 5: 8 frames (32 + 16 * S) pixels wide and 24 high captioned "step S".
  const last = await eventually(async () => {
    const video = await shownVideo();
    return video?.step === '5' ? video : null;
  }, 20000, 'the last step\'s video');
  assert.deepEqual({ ...last, src: undefined }, { step: '5', src: undefined, width: 112, height: 24, caption: 'step 5', players: 0 });
  assert.match(last.src, /rollout_5_.*\.gif/);
  await slide(VIDEO, 1);
  const middle = await eventually(async () => {
    const video = await shownVideo();
    return video?.step === '3' ? video : null;
  }, 20000, 'step 3\'s video');
  assert.equal(middle.width, 80);
  assert.equal(middle.caption, 'step 3');
  const replays = '.video-panel[data-key="replays"]';
  await page.waitForSelector(`${replays}[data-step="3"]`);
  const figures = await page.$$eval(`${replays} figure`, (f) => f.map((e) => ({
    width: e.querySelector('img').naturalWidth, caption: e.querySelector('figcaption')?.textContent })));
  assert.deepEqual(figures, [{ width: 32, caption: 'first' }, { width: 48, caption: 'second' }]);
  await page.$eval('details[data-section="Audio"]', (e) => e.scrollIntoView());
  await screenshot(page, 'run-media-audio-video');
  assert.deepEqual(page.errors, []);
});

test('an mp4 or webm or ogg video gets a looping player with controls', async () => {
  // The client makes GIFs only (a file of another kind is copied as it is): the panel renders
  // such values given to it here, as a list without captions would come.
  const players = await page.$eval(VIDEO, (p) => {
    const value = { _type: 'videos', count: 3, captions: false,
                    videos: ['a.mp4', 'b.webm', 'c.OGG'].map((f) => ({ _type: 'video-file', path: `media/videos/${f}` })) };
    return p.panel.render(value).elements.map((figure) => {
      const v = figure.querySelector('video');
      return { controls: v?.controls, loop: v?.loop, src: new URL(v?.src).searchParams.get('path'),
               caption: figure.querySelector('figcaption')?.textContent ?? null };
    });
  });
  assert.deepEqual(players, ['a.mp4', 'b.webm', 'c.OGG'].map((f) => (
    { controls: true, loop: true, src: `media/videos/${f}`, caption: null })));
});

// Counts the pixels of a 3-D view's WebGL canvas that are not its background (its corner's
// colour), and those of a bright green (a scene's box) and of an orange (the glTF's colour);
// `hash` tells one picture from another. The canvas keeps its drawing (preserveDrawingBuffer),
// so a copy onto a 2-D canvas reads what is shown.
const viewStats = (canvas) => page.$eval(canvas, (c) => {
  const copy = document.createElement('canvas');
  copy.width = c.width;
  copy.height = c.height;
  const context = copy.getContext('2d');
  context.drawImage(c, 0, 0);
  const { data } = context.getImageData(0, 0, c.width, c.height);
  let drawn = 0, green = 0, orange = 0, hash = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) drawn++;
    if (data[i + 1] > 200 && data[i] < 90 && data[i + 2] < 90) green++;
    if (data[i] > 120 && data[i] > 1.4 * data[i + 1] && data[i + 1] > 1.4 * data[i + 2]) orange++;
    hash = (hash * 31 + data[i] + data[i + 1] * 7 + data[i + 2] * 13) >>> 0;
  }
  return { drawn, green, orange, hash, points: Number(c.dataset.points), width: c.width, height: c.height,
           webgl: Boolean(c.getContext('webgl2') ?? c.getContext('webgl')) };
});

const CLOUD = '.object3d-panel[data-key="cloud"]';

test('the 3-D panel draws the point cloud of the step with three.js and orbits it when dragged', async () => {
  await page.waitForSelector(`${CLOUD}[data-step="4"] canvas.points-view`);
  await page.$eval('details[data-section="3D"]', (e) => e.scrollIntoView());
  const canvas = `${CLOUD} canvas.points-view`;
  // A helix of 600 points over a grid of 21 x 21, drawn by WebGL.
  const first = await viewStats(canvas);
  assert.equal(first.points, 600 + 21 * 21);
  assert.equal(first.webgl, true);
  assert.ok(first.drawn > 1500, `only ${first.drawn} pixels drawn`);
  const box = await (await page.$(canvas)).boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 80, y + 30, { steps: 5 });
  await page.mouse.up();
  const turned = await eventually(async () => {
    const now = await viewStats(canvas);
    return now.hash !== first.hash ? now : null;
  }, 5000, 'the cloud to turn');
  assert.ok(turned.drawn > 1500);
  await page.mouse.move(x, y);
  await page.mouse.wheel({ deltaY: 300 });  // away: smaller
  const zoomed = await eventually(async () => {
    const now = await viewStats(canvas);
    return now.hash !== turned.hash ? now : null;
  }, 5000, 'the cloud to zoom out');
  assert.ok(zoomed.drawn < turned.drawn, `${zoomed.drawn} pixels drawn zoomed out, ${turned.drawn} before`);
  // A double click goes back to the first view.
  await page.mouse.click(x, y, { clickCount: 2 });
  await eventually(async () => (await viewStats(canvas)).hash === first.hash, 5000, 'the first view again');
  const old = await page.$(canvas);
  await slide(CLOUD, 0);
  await page.waitForSelector(`${CLOUD}[data-step="0"] canvas.points-view`);
  assert.match(await page.$eval(`${CLOUD} .step-label`, (e) => e.textContent), /step 0/);
  // The view replaced gave its WebGL context back.
  assert.equal(await old.evaluate((c) => c.view.disposed), true);
});

test('a scene\'s box and label are drawn and a list of clouds shows each and models are drawn', async () => {
  const scene = '.object3d-panel[data-key="scene"]';
  await page.waitForSelector(`${scene}[data-step="4"] canvas.points-view`);
  const drawn = await viewStats(`${scene} canvas.points-view`);
  assert.equal(drawn.points, 300);
  assert.ok(drawn.green > 100, `the green box: ${drawn.green} pixels`);
  // Its 12 edges, found whatever the corners' order: each joins corners that differ in one
  // coordinate (the box lies along the axes).
  const edges = await page.$eval(`${scene} canvas.points-view`, (c) => c.view.edges[0].map(([i, j]) => {
    const [p, q] = [c.view.cloud.boxes[0].corners[i], c.view.cloud.boxes[0].corners[j]];
    return p.filter((v, k) => v !== q[k]).length;
  }));
  assert.deepEqual(edges, new Array(12).fill(1));
  // The box's label, over the view.
  const label = await page.$eval(`${scene} .view-label`, (l) => {
    const [r, v] = [l.getBoundingClientRect(), l.parentElement.querySelector('canvas').getBoundingClientRect()];
    return { text: l.textContent, hidden: l.hidden, inside: r.left >= v.left && r.right <= v.right + 40 && r.top >= v.top - 20 && r.bottom <= v.bottom };
  });
  assert.deepEqual(label, { text: 'car', hidden: false, inside: true });
  const clouds = '.object3d-panel[data-key="clouds"]';
  await page.waitForSelector(`${clouds}[data-step="3"]`);
  assert.deepEqual(await page.$$eval(`${clouds} canvas.points-view`, (c) => c.map((e) => e.dataset.points)), ['1041', '1041']);
  // The .obj is drawn by three's OBJLoader, and still offered for download.
  const mesh = '.object3d-panel[data-key="mesh"]';
  await page.waitForSelector(`${mesh}[data-step="2"] canvas.model-view`);
  const obj = await viewStats(`${mesh} canvas.model-view`);
  assert.equal(await page.$eval(`${mesh} canvas.model-view`, (c) => c.dataset.format), 'obj');
  assert.ok(obj.drawn > 2000, `the tetrahedron: ${obj.drawn} pixels`);
  const link = await page.$eval(`${mesh} a.model-file`, async (a) => {
    const r = await fetch(a.href);
    return { name: a.textContent, download: a.getAttribute('download'), disposition: r.headers.get('content-disposition'),
             body: await r.text() };
  });
  assert.match(link.name, /^mesh_2_\w+\.obj$/);
  assert.equal(link.download, link.name);
  assert.match(link.disposition, /^attachment/);
  assert.match(link.body, /^v 0 0 0\n/);
  // The same tetrahedron as STL (STLLoader, a plain grey) and glTF (GLTFLoader, its own orange).
  const models = '.object3d-panel[data-key="models"]';
  await page.waitForSelector(`${models}[data-step="2"] canvas.model-view`);
  assert.equal(await page.$$eval(`${models} .error`, (e) => e.map((x) => x.textContent).join()), '');
  const formats = await page.$$eval(`${models} canvas.model-view`, (c) => c.map((e) => e.dataset.format));
  assert.deepEqual(formats, ['stl', 'gltf']);
  const [stl, gltf] = [await viewStats(`${models} figure:nth-of-type(1) canvas`), await viewStats(`${models} figure:nth-of-type(2) canvas`)];
  assert.ok(stl.drawn > 2000 && stl.orange === 0, `the STL: ${JSON.stringify(stl)}`);
  assert.ok(gltf.orange > 2000, `the glTF: ${JSON.stringify(gltf)}`);
  await page.$eval(scene, (e) => e.scrollIntoView({ block: 'end' }));
  await screenshot(page, 'run-media-3d');
  await page.$eval(models, (e) => e.scrollIntoView({ block: 'end' }));
  await screenshot(page, 'run-media-3d-models');
  assert.deepEqual(page.errors, []);
});

test('without WebGL a 3-D panel says so and still offers the model for download', async () => {
  const other = await newPage(browser);
  // A browser that has no WebGL: every WebGL context is refused.
  await other.evaluateOnNewDocument(() => {
    const original = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
      return /webgl/.test(kind) ? null : original.call(this, kind, ...rest);
    };
  });
  await other.goto(`${runUrl}?tab=media`);
  await other.waitForSelector(`${CLOUD}[data-step="4"] .no-webgl`);
  assert.match(await other.$eval(`${CLOUD} .no-webgl`, (e) => e.textContent), /no WebGL/);
  await other.waitForSelector('.object3d-panel[data-key="mesh"][data-step="2"] .no-webgl');
  assert.equal(await other.$$eval('.object3d-panel[data-key="mesh"] a.model-file', (a) => a.length), 1);
  assert.equal(await other.$$eval('canvas.three-view', (c) => c.length), 0);
  // three.js was never loaded: no script of the page defines its renderer.
  const scripts = await other.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => /chunk-/.test(n)));
  const loaded = await Promise.all(scripts.map((src) => other.evaluate(async (u) => (await (await fetch(u)).text()).includes('WebGLRenderer'), src)));
  assert.deepEqual(loaded.filter(Boolean), []);
  assert.deepEqual(other.errors, []);
  await other.close();
});

test('a histogram set only in the summary is drawn as bars', async () => {
  const panel = 'details[data-section="Summary"] .histogram-panel[data-key="final.weights"]';
  await page.waitForSelector(`${panel} canvas[data-bars]`);
  assert.equal(await page.$eval(`${panel} canvas`, (c) => c.dataset.bars), '10');
  assert.match(await page.$eval(`${panel} .panel-info`, (e) => e.textContent), /summary · 1,?000 values/);
  // 10 bins from 0 to 10 holding 10, 30, ..., 190 values: each bar's height at its middle.
  const heights = await page.$eval(`${panel} canvas`, (c) => {
    const { data, width, height } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const ratio = c.width / c.getBoundingClientRect().width;
    const left = 42 * ratio, plot = width - left;
    return [...Array(10).keys()].map((bin) => {
      const x = Math.round(left + ((bin + 0.5) / 10) * plot);
      let n = 0;
      for (let y = 0; y < height; y++) {
        const i = (y * width + x) * 4;
        if (data[i + 3] > 200 && data[i + 2] > data[i] + 60) n++;  // the bars' blue
      }
      return n;
    });
  });
  const counts = [...Array(10).keys()].map((b) => 10 + 20 * b);
  heights.forEach((h, b) => assert.ok(Math.abs(h / heights[9] - counts[b] / 190) < 0.03,
                                     `bin ${b}: ${h} pixels high, ${heights[9]} for the last: ${heights}`));
  await page.$eval(panel, (e) => e.scrollIntoView());
  await screenshot(page, 'run-media-summary-histogram');
});

test('a table\'s image cells draw their boxes and masks over the thumbnails', async () => {
  const panel = '.table-panel[data-key="detected"]';
  await page.waitForSelector(`${panel} tbody tr`);
  await page.$eval(panel, (e) => e.scrollIntoView());
  const frame = `${panel} tbody tr:nth-child(1) .thumb-frame`;
  await page.waitForSelector(`${frame}[data-overlays="2"] .box-layer`);
  // The cat's box of step 4 (0.18 to 0.53 across, 0.2 to 0.85 down) and the dog's, as fractions
  // of the thumbnail; the mask over the whole thumbnail.
  const drawn = await page.$eval(frame, (f) => {
    const image = f.querySelector('img').getBoundingClientRect();
    const round = (v) => Math.round(v * 100) / 100;
    const boxes = [...f.querySelectorAll('.box-layer g.box rect')].map((rect) => {
      const r = rect.getBoundingClientRect();
      return [round((r.left - image.left) / image.width), round((r.right - image.left) / image.width),
              round((r.top - image.top) / image.height), round((r.bottom - image.top) / image.height)];
    });
    const mask = f.querySelector('canvas.mask-layer').getBoundingClientRect();
    return { boxes, classes: [...f.querySelectorAll('.box-layer g.box')].map((g) => g.dataset.class),
             title: f.querySelector('.box-layer title').textContent, thumb: image.height <= 48,
             maskCovers: JSON.stringify(mask) === JSON.stringify(image) };
  });
  assert.deepEqual(drawn.boxes, [[0.18, 0.53, 0.2, 0.85], [0.6, 0.9, 0.15, 0.55]]);
  assert.deepEqual(drawn.classes, ['1', '2']);
  assert.match(drawn.title, /^cat 0.93 · cat \(class 1\)/);
  assert.equal(drawn.thumb, true);
  assert.equal(drawn.maskCovers, true);
  // The second row's image has none: a plain thumbnail.
  assert.equal(await page.$$eval(`${panel} tbody tr:nth-child(2) .thumb-frame`, (f) => f.length), 0);
  assert.equal(await page.$$eval(`${panel} tbody tr:nth-child(2) img.thumb`, (f) => f.length), 1);
  await screenshot(page, 'run-media-table-overlays');
  assert.deepEqual(page.errors, []);
});

test('the histogram is drawn as a heat map over every step', async () => {
  const panel = '.histogram-panel[data-key="weights"]';
  await page.waitForSelector(`${panel} canvas[data-columns]`);
  assert.equal(await page.$eval(`${panel} canvas`, (c) => c.dataset.columns), '20');
  // The values rise with the step: the heat runs from the bottom left to the top right.
  const cover = await page.$eval(`${panel} canvas`, (c) => {
    const { data, width, height } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const inked = (x0, x1, y0, y1) => {
      let n = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = (y * width + x) * 4;
          if (data[i + 3] > 0 && data[i + 2] > data[i] + 40) n++;  // a blue cell
        }
      }
      return n;
    };
    const left = Math.round(width * 0.1), mid = Math.round(width / 2);
    return {
      all: inked(0, width, 0, height),
      bottomLeft: inked(left, mid, Math.round(height / 2), height),
      topLeft: inked(left, mid, 0, Math.round(height / 4)),
      topRight: inked(mid, width, 0, Math.round(height / 2)),
      area: width * height,
    };
  });
  assert.ok(cover.all > cover.area * 0.1, `only ${cover.all} of ${cover.area} pixels drawn`);
  assert.ok(cover.bottomLeft > 0 && cover.topRight > 0, JSON.stringify(cover));
  // (a pixel or two of a cell's anti-aliased edge may stray there)
  assert.ok(cover.topLeft * 50 < cover.bottomLeft, JSON.stringify(cover));
});

test('the table panel pages its rows, sorts by a column and shows image cells as thumbnails', async () => {
  const panel = '.table-panel[data-key="predictions"]';
  await page.waitForSelector(`${panel} tbody tr`);
  const column = (i) => page.$$eval(`${panel} tbody tr`, (rows, i) => rows.map((r) => r.children[i].textContent), i);
  assert.deepEqual(await column(0), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.match(await page.$eval(`${panel} .page-info`, (e) => e.textContent), /1–10 of 12/);
  await page.click(`${panel} button.next`);
  assert.deepEqual(await column(0), ['10', '11']);
  // score = (id * 7 % 12) / 12: sorted up, id 0 (score 0) comes first; down, id 5 (11/12).
  await page.click(`${panel} th[data-column="score"]`);
  assert.equal((await column(0))[0], '0');
  assert.equal((await column(2))[1], String(Number((1 / 12).toPrecision(6))));
  await page.click(`${panel} th[data-column="score"]`);
  assert.equal((await column(0))[0], '5');
  const thumbs = await eventually(() => page.$$eval(`${panel} tbody img.thumb`, (imgs) =>
    (imgs.every((i) => i.complete && i.naturalWidth) ? imgs.map((i) => i.naturalWidth) : null)), 20000, 'thumbnails');
  assert.deepEqual(thumbs, new Array(10).fill(4));
});

test('every other built-in chart kind is drawn from its table', async () => {
  const expected = {
    scatter: ['wandb/scatter/v0', 10], bar: ['wandb/bar/v0', 10], hist: ['wandb/histogram/v0', 10],
    series: ['wandb/lineseries/v0', 8], confusion: ['wandb/confusion_matrix/v1', 9],
    pr: ['wandb/area-under-curve/v0', 0], roc: ['wandb/area-under-curve/v0', 0], old_pr: ['wandb/pr_curve/v1', 0],
  };
  for (const [key, [spec, rows]] of Object.entries(expected)) {
    const panel = `.custom-chart[data-key="${key}"]`;
    const drawn = await eventually(() => page.$eval(panel, (p) => (p.vegaView || p.querySelector('.error')
      ? { spec: p.dataset.spec, error: p.querySelector('.error')?.textContent,
          rows: p.vegaView?.data('table').length, marks: p.querySelectorAll('svg .role-mark > *').length }
      : null)), 20000, `chart ${key}`);
    assert.equal(drawn.error, undefined, `${key}: ${drawn.error}`);
    assert.equal(drawn.spec, spec, key);
    // The curves' rows depend on the data's thresholds: some, not a known count.
    assert.ok(rows ? drawn.rows === rows : drawn.rows > 3, `${key}: ${drawn.rows} rows`);
    assert.ok(drawn.marks > 0, `${key}: nothing drawn`);
  }
});

test('a chart whose spec is not built in shows its table', async () => {
  const panel = '.custom-chart[data-key="mine"]';
  await page.waitForSelector(`${panel} .table-panel tbody tr`);
  assert.match(await page.$eval(panel, (p) => p.textContent), /my-team\/my-spec is not a built-in chart/);
  assert.equal((await page.$$(`${panel} .table-panel tbody tr`)).length, 10);
  const header = await page.$$eval(`${panel} .table-panel th`, (t) => t.map((e) => e.dataset.column));
  assert.deepEqual(header, ['a', 'b', 'name']);
});

test('the custom line chart is drawn by Vega-Lite with every logged point', async () => {
  const panel = '.custom-chart[data-key="wave"]';
  await page.waitForSelector(`${panel} svg`);
  const drawn = await eventually(() => page.$eval(panel, (p) => {
    const view = p.vegaView;
    if (!view) return null;
    const rows = view.data('table');
    return { spec: p.dataset.spec, count: rows.length, first: rows[0], last: rows[rows.length - 1],
             lines: p.querySelectorAll('svg path[aria-roledescription="line mark"], svg .mark-line path').length,
             title: p.querySelector('svg .role-title')?.textContent };
  }), 20000, 'the chart\'s view');
  assert.equal(drawn.spec, 'wandb/line/v0');
  assert.equal(drawn.count, 30);
  assert.deepEqual({ x: drawn.first.x, y: drawn.first.y }, { x: 0, y: 0 });
  assert.equal(drawn.last.x, 29);
  assert.ok(Math.abs(drawn.last.y - Math.sin(29 * 0.3)) < 1e-9);
  assert.ok(drawn.lines >= 1, 'no line drawn');
  assert.equal(drawn.title, 'A wave');
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'run-media');
  await page.$eval('details[data-section="Custom charts"]', (e) => e.scrollIntoView());
  await screenshot(page, 'run-media-charts');
  assert.deepEqual(page.errors, []);
});

test('the overview shows a summary\'s media value as one line', async () => {
  await page.goto(`${runUrl}?tab=overview`);
  await page.waitForSelector('#overview-summary');
  const rows = await page.$$eval('#overview-summary tr', (r) => r.map((e) => e.textContent));
  assert.ok(rows.some((r) => /^wave_tabletable-file media\/table\/wave_table_6_/.test(r)), rows.join('\n'));
  assert.ok(!rows.some((r) => r.startsWith('wave_table.')), rows.join('\n'));
  assert.deepEqual(page.errors, []);
});
