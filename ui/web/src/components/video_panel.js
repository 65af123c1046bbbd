// A video panel: one media key's videos (wandb::Video: "video-file", or a list: "videos"),
// each with its caption, with the step slider (StepPanel). A GIF (what wandb::Video makes of
// frames) is an image that loops by itself; an mp4, webm or ogg file gets a looping player.
import { runFileUrl } from '../api.js';
import { h } from '../util.js';
import { imageFigure } from './image_panel.js';
import { StepPanel, captioned } from './step_panel.js';

// The videos of one media value: [{path, caption}]. A list holds its captions beside the
// videos, or false when its first video had none (wandb's Video.seq_to_json).
function videosOf(value) {
  if (value?._type === 'video-file') return [{ path: value.path, caption: value.caption }];
  if (value?._type === 'videos') {
    const captions = Array.isArray(value.captions) ? value.captions : [];
    return (value.videos ?? [])
      .map((video, i) => ({ path: video?.path, caption: captions[i] ?? video?.caption }))
      .filter((video) => video.path);
  }
  return [];
}

export class VideoPanel extends StepPanel {
  constructor(ref, key, summaryValue = undefined) {
    super('video-panel', ref, key, summaryValue);
  }

  // A GIF is decoded before it is shown, as an image is; a player is shown at once and
  // fetches its file as it plays.
  render(value) {
    const shown = videosOf(value).map(({ path, caption }) => {
      const src = runFileUrl(this.ref, path);
      if (/\.gif$/i.test(path)) return imageFigure(src, caption, path);
      const player = h('video', { src, controls: true, loop: true, preload: 'metadata' });
      return { figure: captioned(player, caption), decoded: Promise.resolve() };
    });
    return { elements: shown.map((s) => s.figure), ready: Promise.all(shown.map((s) => s.decoded)),
             empty: 'no video' };
  }
}
