// The app's page: the fields go to /api/generate (format=json); the song comes back as notes, statistics and the
// MIDI file, drawn as a piano roll and played by a SoundFont synthesizer (SpessaSynth, vendored with its SoundFont:
// functions/page-vendor rebuilds them). The same synthesizer renders the song to a WAV file for "Download audio".
import { BasicMIDI, Sequencer, WorkletSynthesizer, audioBufferToWav } from './spessasynth.js';

const api = new URL('../', location.href);
const functionKey = new URLSearchParams(location.search).get('code');
const fields = ['seed', 'steps', 'duration', 'tempo', 'program', 'noiseScale', 'temperature', 'key'];
const keys = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
const $ = id => document.getElementById(id);
const svg = 'http://www.w3.org/2000/svg';

// The browser tests (and anyone curious, in the console) read the page's state here.
const state = { song: null, seed: null, midi: null, audio: null, synth: null, playback: null, metrics: {} };
// Fetched once the page loads (the browser caches it), so that the first Play waits for no download.
state.soundfont = fetch('soundfont.sf2').then(r => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`soundfont.sf2: ${r.status}`))));
// The release of the last notes, kept at the end of the rendered audio.
const tailSeconds = 1;
window.crnngan = state;

function headers(extra = {}) {
  return functionKey ? { ...extra, 'x-functions-key': functionKey } : extra;
}

async function loadModel() {
  for (const minor of [false, true])
    for (const tonic of keys)
      $('key').add(new Option(`${tonic} ${minor ? 'minor' : 'major'}`, tonic + (minor ? 'm' : '')));
  const response = await fetch(new URL('model', api), { headers: headers() });
  if (!response.ok) {
    await showProblems(response);
    return;
  }
  const { metadata, provider, limits } = await response.json();
  // Only a family that samples classes has a default temperature; a key and a temperature apply to it alone.
  const samplesClasses = metadata.encoding.defaultTemperature != null;
  $('model-name').textContent = `${metadata.encoding.description} on the ${provider.toUpperCase()}`;
  for (const field of document.querySelectorAll('.tone-only')) field.hidden = !samplesClasses;
  $('steps').max = limits.maxSteps;
  $('steps').value = limits.defaultSteps;
  if (samplesClasses) $('temperature').placeholder = `model's default (${metadata.encoding.defaultTemperature})`;
}

// Seeds are 64-bit: they travel as the digits typed, never through a JavaScript number.
function requestBody() {
  const values = { format: 'json' };
  let seed = '';
  for (const name of fields) {
    const input = $(name);
    const text = input.value.trim();
    if (text === '' || input.closest('[hidden]')) continue;
    if (name === 'steps' && $('duration').value.trim() !== '') continue; // a duration sets the length instead
    if (name === 'seed' && /^\d+$/.test(text)) seed = `"seed":${text},`;
    else values[name] = name === 'key' || !Number.isFinite(Number(text)) ? text : Number(text);
  }
  return '{' + seed + JSON.stringify(values).slice(1);
}

function clearProblems() {
  for (const problem of document.querySelectorAll('.problem')) problem.textContent = '';
  for (const name of fields) $(name).removeAttribute('aria-invalid');
}

async function showProblems(response) {
  const type = response.headers.get('Content-Type') ?? '';
  const problem = type.includes('json') ? await response.json() : { detail: await response.text() };
  const errors = Object.entries(problem.errors ?? {});
  let first = null;
  for (const [name, messages] of errors) {
    if (!fields.includes(name)) continue;
    $(`${name}-problem`).textContent = messages.join(' ');
    $(name).setAttribute('aria-invalid', 'true');
    first ??= $(name);
  }
  if (first) first.focus();
  else $('form-problem').textContent = problem.detail ?? problem.title ?? `The server answered ${response.status}.`;
}

async function generate(event) {
  event.preventDefault();
  clearProblems();
  stop();
  $('generate').disabled = true;
  $('generate').textContent = 'Generating…';
  try {
    const response = await fetch(new URL('generate', api), {
      method: 'POST',
      headers: headers({ 'Content-Type': 'application/json' }),
      body: requestBody(),
    });
    if (!response.ok) await showProblems(response);
    else show((await response.json()).songs[0], response.headers.get('X-Crnngan-Seed'));
  } catch (error) {
    $('form-problem').textContent = `The request failed: ${error.message}`;
  } finally {
    $('generate').disabled = false;
    $('generate').textContent = 'Generate';
  }
}

function show({ song, midiBase64 }, seed) {
  state.song = song;
  state.seed = seed;
  $('song').hidden = false;
  $('song-seed').textContent = seed;
  const key = song.key ? `, in ${song.key}` : '';
  $('song-summary').textContent = `${song.notes.length} notes, ${song.lengthSeconds.toFixed(1)} s at ${song.bpm} bpm${key}. ` +
    `Seed ${seed} makes this song again with the same fields.`;
  drawRoll(song);
  showStatistics(song.statistics);

  const midi = Uint8Array.from(atob(midiBase64), c => c.charCodeAt(0));
  state.midi = midi;
  const download = $('download');
  if (download.href) URL.revokeObjectURL(download.href);
  download.href = URL.createObjectURL(new Blob([midi], { type: 'audio/midi' }));
  download.download = `crnngan-${seed}.mid`;
  download.setAttribute('aria-disabled', 'false');
  $('play').disabled = false;
  $('download-audio').disabled = false;
  synthesizer().catch(error => ($('form-problem').textContent = `The synthesizer could not start: ${error.message}`));
}

function element(name, attributes) {
  const node = document.createElementNS(svg, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

function drawRoll(song) {
  const roll = $('roll');
  roll.replaceChildren();
  const pitches = song.notes.map(n => n.pitch);
  const low = Math.min(...pitches, 60) - 2;
  const high = Math.max(...pitches, 72) + 2;
  const end = Math.max(song.lengthSeconds, ...song.notes.map(n => n.onsetSeconds + n.durationSeconds), 1);
  roll.setAttribute('viewBox', `0 0 ${end} ${high - low}`);
  for (let c = Math.ceil(low / 12) * 12; c <= high; c += 12)
    roll.append(element('line', { class: 'c-line', x1: 0, x2: end, y1: high - c, y2: high - c, 'vector-effect': 'non-scaling-stroke' }));
  for (const note of song.notes)
    roll.append(element('rect', {
      class: 'note', x: note.onsetSeconds, y: high - note.pitch - 1, width: Math.max(note.durationSeconds, end / 2000), height: 1,
      'data-pitch': note.pitch,
    }));
  roll.append(element('line', { id: 'cursor', x1: 0, x2: 0, y1: 0, y2: high - low }));
  state.rollEnd = end;
}

function showStatistics(statistics) {
  const body = $('statistics').tBodies[0];
  body.replaceChildren();
  for (const [name, value] of Object.entries(statistics)) {
    const row = body.insertRow();
    row.insertCell().textContent = name.replaceAll('_', ' ');
    row.insertCell().textContent = Number.isInteger(value) ? value : value.toFixed(3);
  }
}

// One synthesizer for the page, in an AudioWorklet: made while the first song is shown, in a context that stays suspended
// until a click resumes it (browsers allow sound only after one), so that Play then waits for nothing.
function synthesizer() {
  return (state.synthReady ??= makeSynthesizer());
}

async function makeSynthesizer() {
  const audio = (state.audio ??= new AudioContext());
  await audio.audioWorklet.addModule('spessasynth_processor.min.js');
  const synth = new WorkletSynthesizer(audio);
  synth.connect(audio.destination);
  await synth.soundBankManager.addSoundBank((await state.soundfont).slice(0), 'main');
  await synth.isReady;
  state.sequencer = new Sequencer(synth, { skipToFirstNoteOn: false });
  state.sequencer.loopCount = 0;
  return (state.synth = synth);
}

// The song's own MIDI file through the sequencer, so that what plays is what the download holds.
async function play() {
  const clicked = performance.now();
  state.metrics.clickToFirstNoteMs = null;
  const synth = await synthesizer();
  await state.audio.resume();
  state.sequencer.loadNewSongList([{ binary: state.midi.buffer.slice(0), fileName: `crnngan-${state.seed}.mid` }]);
  state.sequencer.currentTime = 0;
  state.sequencer.play();
  state.playback = { synth, clicked, first: Math.min(...state.song.notes.map(n => n.onsetSeconds)) };
  $('play').textContent = 'Stop';
  $('play').setAttribute('aria-pressed', 'true');
  requestAnimationFrame(moveCursor);
}

function moveCursor() {
  if (!state.playback) return;
  const position = state.sequencer.currentHighResolutionTime;
  // Click to the first note: until the sequencer's clock reaches it, plus the time the context takes to put it out.
  if (position >= state.playback.first && state.metrics.clickToFirstNoteMs == null)
    state.metrics.clickToFirstNoteMs =
      performance.now() - state.playback.clicked + 1000 * ((state.audio.baseLatency ?? 0) + (state.audio.outputLatency ?? 0));
  $('cursor')?.setAttribute('x1', Math.max(position, 0));
  $('cursor')?.setAttribute('x2', Math.max(position, 0));
  if (position > state.rollEnd + 0.3) stop();
  else requestAnimationFrame(moveCursor);
}

function stop() {
  if (!state.playback) return;
  state.sequencer.pause();
  state.synth.stopAll(true);
  state.playback = null;
  $('play').textContent = 'Play';
  $('play').setAttribute('aria-pressed', 'false');
}

// The song rendered by the same synthesizer in an OfflineAudioContext: 44.1 kHz stereo, the song's length and a second
// for the last notes to fade.
async function render() {
  const sampleRate = 44100;
  const context = new OfflineAudioContext({
    numberOfChannels: 2,
    sampleRate,
    length: Math.ceil((state.song.lengthSeconds + tailSeconds) * sampleRate),
  });
  await context.audioWorklet.addModule('spessasynth_processor.min.js');
  const synth = new WorkletSynthesizer(context);
  synth.connect(context.destination);
  await synth.startOfflineRender({
    midiSequence: BasicMIDI.fromArrayBuffer(state.midi.buffer.slice(0), `crnngan-${state.seed}.mid`),
    soundBankList: [{ bankOffset: 0, soundBankBuffer: (await state.soundfont).slice(0) }],
    loopCount: 0,
    sequencerOptions: { skipToFirstNoteOn: false },
  });
  const buffer = await context.startRendering();
  synth.destroy();
  return audioBufferToWav(buffer);
}

async function downloadAudio() {
  const button = $('download-audio');
  button.disabled = true;
  button.textContent = 'Rendering…';
  try {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await render());
    link.download = `crnngan-${state.seed}.wav`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  } catch (error) {
    $('form-problem').textContent = `Rendering the audio failed: ${error.message}`;
  } finally {
    button.disabled = false;
    button.textContent = 'Download audio';
  }
}

$('song-form').addEventListener('submit', generate);
$('play').addEventListener('click', () => (state.playback ? stop() : play()));
$('download-audio').addEventListener('click', downloadAudio);
state.ready = loadModel();
