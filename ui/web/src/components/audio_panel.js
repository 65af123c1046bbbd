// An audio panel: one media key's sounds (wandb::Audio: "audio-file", or a list: "audio"),
// each an <audio> player with its caption, with the step slider (StepPanel).
import { runFileUrl } from '../api.js';
import { h } from '../util.js';
import { StepPanel, captioned } from './step_panel.js';

// The clips of one media value: [{path, caption}]. A list holds its captions beside the clips
// ("" for a clip without one), as wandb's Audio.seq_to_json writes them.
function clipsOf(value) {
  if (value?._type === 'audio-file') return [{ path: value.path, caption: value.caption }];
  if (value?._type === 'audio') {
    return (value.audio ?? [])
      .map((clip, i) => ({ path: clip?.path, caption: value.captions?.[i] ?? clip?.caption }))
      .filter((clip) => clip.path);
  }
  return [];
}

export class AudioPanel extends StepPanel {
  constructor(ref, key, summaryValue = undefined) {
    super('audio-panel', ref, key, summaryValue);
  }

  // A player is shown at once: it fetches the file's header for its length, and the rest as
  // it plays.
  render(value) {
    const elements = clipsOf(value).map(({ path, caption }) =>
      captioned(h('audio', { src: runFileUrl(this.ref, path), controls: true, preload: 'metadata' }),
                caption));
    return { elements, ready: Promise.resolve(), empty: 'no audio' };
  }
}
