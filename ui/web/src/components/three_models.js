// A model file that wandb::Object3D::from_file copied (.obj, .stl, .gltf, .glb) read into a
// three.js object with three's own loaders. The bytes are fetched by the panel; here they are
// only parsed, so nothing is fetched from a URL the model names.
//
// glTF: the app's Content-Security-Policy lets a script fetch only from the app (connect-src
// 'self'), so the loader's own fetches of a .gltf's embedded buffers (data: URIs) and of a
// .glb's images (blob: URIs) would be refused. The loader is given what it needs instead: the
// buffers decoded here, and the images read through <img> (img-src allows data: and blob:).
// A buffer or image in a file of its own beside the .gltf is not stored with the run (from_file
// copies one file), so such a model fails with an error that says so.
import * as THREE from 'three';
import { OBJLoader } from 'three/examples/jsm/loaders/OBJLoader.js';
import { STLLoader } from 'three/examples/jsm/loaders/STLLoader.js';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';

// The formats drawn, by the file name's extension; any other (.babylon) stays a download.
export const FORMATS = ['obj', 'stl', 'gltf', 'glb'];
export const formatOf = (path) => FORMATS.find((f) => path.toLowerCase().endsWith(`.${f}`)) ?? null;

// A grey that shows shading, for formats without materials of their own (STL).
const plain = () => new THREE.MeshStandardMaterial({ color: 0xb8c4d0, roughness: 0.6, metalness: 0.1 });

// The bytes of a base64 data: URI, or null for anything else.
function dataUriBytes(uri) {
  const m = /^data:[^,]*;base64,(.*)$/s.exec(uri);
  if (!m) return null;
  return Uint8Array.from(atob(m[1]), (c) => c.charCodeAt(0)).buffer;
}

// What the glTF parser uses to fetch a buffer: decodes data: URIs, refuses the rest.
const embeddedOnly = {
  load(url, onLoad, onProgress, onError) {
    const bytes = dataUriBytes(url);
    if (bytes) queueMicrotask(() => onLoad(bytes));
    else queueMicrotask(() => onError(new Error(`${url.slice(0, 60)} is not stored with the model`)));
  },
  setRequestHeader() { return this; },
};

function parseGltf(bytes) {
  const loader = new GLTFLoader();
  loader.register((parser) => {
    parser.fileLoader = embeddedOnly;
    parser.textureLoader = new THREE.TextureLoader(parser.options.manager);
    return { name: 'wandb_cpp_csp_safe' };
  });
  return new Promise((resolve, reject) => {
    loader.parse(bytes, '', (gltf) => resolve(gltf.scene), (e) => reject(e instanceof Error ? e : new Error(String(e))));
  });
}

// OBJ and STL say nothing of which side of a face is its front, and files disagree: both
// sides are drawn.
function twoSided(object) {
  object.traverse((o) => {
    for (const m of [o.material].flat()) if (m) m.side = THREE.DoubleSide;
  });
  return object;
}

// The object of a model file's bytes (an ArrayBuffer) in `format` (one of FORMATS).
export async function parseModel(format, bytes) {
  if (format === 'obj') return twoSided(new OBJLoader().parse(new TextDecoder().decode(bytes)));
  if (format === 'stl') {
    const geometry = new STLLoader().parse(bytes);
    if (!geometry.hasAttribute('normal')) geometry.computeVertexNormals();
    return twoSided(new THREE.Mesh(geometry, plain()));
  }
  if (format === 'gltf' || format === 'glb') return parseGltf(bytes);
  throw new Error(`a .${format} model is not drawn here`);
}
