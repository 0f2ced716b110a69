// Where sorot's highlighting time goes: a V8 CPU profile (CDP `Profiler`, taken by
// bench/highlight.mjs around highlight() alone) attributed by script URL. Runs in
// Node, on the profile's JSON.

/** The phases, in the order printed. */
export const PHASES = ['collect', 'engine', 'decode', 'draw', 'other sorot', 'layout after', 'gc', 'browser', 'other'];

/** What each phase is made of, for the printed legend. */
export const PHASE_SOURCES = {
  collect: 'collect.js',
  engine: 'the wasm module(s), engine.js, pkg/sorot*.js (wasm-bindgen glue)',
  decode: 'flat.js',
  draw: 'render-*.js, highlight.js, renderer.js, styles.js',
  'other sorot': 'highlighter.js, interact.js, card.js, lang.js, options.js, ...',
  'layout after': 'the style and layout the benchmark forces once highlight() is done (bench/*.mjs)',
  gc: '(garbage collector)',
  browser: '(program): the browser outside JavaScript (tasks, promise jobs, style)',
  other: 'anything else (V8 and DOM builtins called from no script of ours)',
};

/** The phase of one script (null: not ours, attribute to the caller). */
function phaseOfUrl(url) {
  if (!url) return null;
  if (url.startsWith('wasm://') || url.endsWith('.wasm')) return 'engine';
  const file = url.replace(/[?#].*$/, '');
  if (/\/pkg\/sorot(_engine|_compiler)?\.js$/.test(file)) return 'engine'; // wasm-bindgen's glue
  const name = file.slice(file.lastIndexOf('/') + 1);
  if (name === 'collect.js') return 'collect';
  if (name === 'engine.js') return 'engine';
  if (name === 'flat.js') return 'decode';
  if (/^render-.*\.js$/.test(name) || ['highlight.js', 'renderer.js', 'styles.js'].includes(name)) return 'draw';
  if (file.includes('/__sorot/')) return 'other sorot';
  if (file.includes('/__bench/')) return 'layout after';
  return 'other';
}

/** A function's name without Rust's hashes (`::h0123…`, `[0123…]`), at most 90 characters. */
function shortName(name) {
  const short = (name || '(anonymous)').replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, '');
  return short.length > 90 ? `${short.slice(0, 87)}...` : short;
}

/**
 * Self time per phase and per function. A frame with no script (a DOM or V8
 * builtin: getComputedStyle, splitText, Array.prototype.sort) counts for the
 * nearest caller that has one, so a style read made by collect.js is collect.
 * @param {{nodes: object[], samples: number[], timeDeltas: number[]}} profile
 * @returns {{phases: Record<string, number>, functions: Map<string, {ms: number, phase: string}>, totalMs: number}}
 *   times in milliseconds; idle samples are left out
 */
export function attribute(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time since the sample before: the time of sample i - 1.
    const ms = (timeDeltas[i + 1] ?? 0) / 1000;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + ms);
  }
  const phases = Object.fromEntries(PHASES.map((p) => [p, 0]));
  const functions = new Map();
  let totalMs = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id);
    const name = node.callFrame.functionName;
    if (name === '(idle)') continue;
    totalMs += ms;
    let phase;
    if (name === '(garbage collector)') phase = 'gc';
    else if (name === '(program)') phase = 'browser';
    else {
      for (let at = id; at !== undefined && !phase; at = parent.get(at)) phase = phaseOfUrl(byId.get(at).callFrame.url) ?? undefined;
      phase ??= 'other';
    }
    phases[phase] += ms;
    const { url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^.*\//, '')}:${lineNumber + 1}` : '(native)';
    const key = `${shortName(name)} ${where}`;
    const f = functions.get(key) ?? { ms: 0, phase };
    f.ms += ms;
    functions.set(key, f);
  }
  return { phases, functions, totalMs };
}

/**
 * Adds up several pages' attributions.
 * @param {ReturnType<typeof attribute>[]} list
 */
export function sum(list) {
  const phases = Object.fromEntries(PHASES.map((p) => [p, 0]));
  const functions = new Map();
  let totalMs = 0;
  for (const a of list) {
    totalMs += a.totalMs;
    for (const p of PHASES) phases[p] += a.phases[p];
    for (const [k, f] of a.functions) {
      const g = functions.get(k) ?? { ms: 0, phase: f.phase };
      g.ms += f.ms;
      functions.set(k, g);
    }
  }
  return { phases, functions, totalMs };
}
