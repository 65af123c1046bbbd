// Whether this browser can draw WebGL, asked once: the 3-D panels load three.js only when it
// can, and otherwise say why they draw nothing (a browser with WebGL turned off, a machine
// whose GPU driver is blocked).
let answer = null;

export function hasWebGL() {
  if (answer === null) {
    const canvas = document.createElement('canvas');
    let context = null;
    try {
      context = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    } catch {
      context = null;
    }
    answer = context !== null;
    // Browsers allow a page only a few contexts at once: give this probe's back.
    context?.getExtension('WEBGL_lose_context')?.loseContext();
  }
  return answer;
}
