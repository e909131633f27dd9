/**
 * A distinct sound for each verdict, made with WebAudio (no audio files to fetch or precache), and
 * optionally the verdict spoken in the guard's language where the browser can speak.
 *
 * - allow: two short rising tones (a "ding-dong" upwards);
 * - check: two equal middle tones;
 * - deny: one low, harsh buzz, long enough to be heard over traffic.
 *
 * Browsers keep an AudioContext suspended until the page has had a user gesture; the kiosk's first
 * tap (any) resumes it, and a suspended context simply plays nothing.
 */
import type { Verdict } from '../../domain/verdict/card';
import { LANGUAGE_TAG, locale } from '../../ui/i18n';

interface Tone {
  freq: number;
  startS: number;
  lengthS: number;
  type: OscillatorType;
}

export const TONES: Record<Verdict, Tone[]> = {
  allow: [
    { freq: 880, startS: 0, lengthS: 0.12, type: 'sine' },
    { freq: 1320, startS: 0.14, lengthS: 0.18, type: 'sine' },
  ],
  check: [
    { freq: 660, startS: 0, lengthS: 0.15, type: 'triangle' },
    { freq: 660, startS: 0.25, lengthS: 0.15, type: 'triangle' },
  ],
  deny: [{ freq: 196, startS: 0, lengthS: 0.6, type: 'square' }],
};

const SPEAK_KEY = 'gatepost.speak';
let audio: AudioContext | null = null;

function context(): AudioContext | null {
  if (audio) return audio;
  const Ctor = globalThis.AudioContext;
  if (!Ctor) return null;
  audio = new Ctor();
  return audio;
}

/** Called on the kiosk's first tap: browsers only let a page make sound after one. */
export function unlockAudio(): void {
  void context()
    ?.resume()
    .catch(() => undefined);
}

export function playVerdictSound(verdict: Verdict): void {
  const ctx = context();
  if (!ctx || ctx.state !== 'running') return;
  const t0 = ctx.currentTime + 0.01;
  for (const tone of TONES[verdict]) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = tone.type;
    osc.frequency.value = tone.freq;
    const start = t0 + tone.startS;
    const end = start + tone.lengthS;
    // A short ramp at both ends: a tone switched on and off abruptly clicks.
    gain.gain.setValueAtTime(0, start);
    gain.gain.linearRampToValueAtTime(0.25, start + 0.01);
    gain.gain.setValueAtTime(0.25, end - 0.02);
    gain.gain.linearRampToValueAtTime(0, end);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(end);
  }
}

export function speakingEnabled(): boolean {
  try {
    return localStorage.getItem(SPEAK_KEY) === '1';
  } catch {
    return false;
  }
}

export function setSpeaking(on: boolean): void {
  try {
    localStorage.setItem(SPEAK_KEY, on ? '1' : '0');
  } catch {
    // Not remembered past this page.
  }
}

/** Says `words` in the guard's language, when speaking is switched on and the browser can. */
export function speak(words: string): void {
  if (!speakingEnabled() || !globalThis.speechSynthesis) return;
  const u = new SpeechSynthesisUtterance(words);
  u.lang = LANGUAGE_TAG[locale.value];
  speechSynthesis.cancel();
  speechSynthesis.speak(u);
}
