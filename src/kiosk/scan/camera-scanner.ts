/**
 * The gate camera and its frame loop (research qr.md §3.4):
 * - the rear camera by preference (`facingMode` as an ideal, never exact: an exact one fails on
 *   cameras that do not report a facing), 1280×720 ideally, or the camera the guard chose
 *   (remembered on this tablet);
 * - frames paced by `requestVideoFrameCallback` (animation frames where it is missing); each
 *   frame a centred square of 70% of the short side is cropped and downscaled to at most 480 px by
 *   `createImageBitmap` and decoded in the QR worker, one frame in flight, frames arriving while
 *   it is busy dropped; every 8th attempt is the whole frame, for a code held off-centre;
 * - continuous focus where offered; a torch where the camera has one;
 * - the camera released while the page is hidden and reopened when it is shown again, and reopened
 *   when its track ends (unplugged, taken by another app) or the devices change;
 * - a watchdog for a gate that runs for days: frame callbacks that stop coming are asked for
 *   again, and a decoder that stops answering is replaced.
 */
import { DecoderClient } from './decoder-client';

export type ScannerProblem = 'denied' | 'no_camera' | 'in_use' | 'failed' | 'decoder';

export type ScannerState =
  | { kind: 'starting' }
  | { kind: 'running'; torch: boolean | null; deviceId: string }
  | { kind: 'paused' }
  | { kind: 'unavailable'; problem: ScannerProblem; detail: string };

export interface ScanHit {
  text: string;
  /** `presentationTime` of the frame the text was read from (requestVideoFrameCallback), ms. */
  frameTime: number;
}

/** The share of the short side the aiming box covers; the screen draws the same box. */
export const AIM_SHARE = 0.7;
const ROI_MAX_PX = 480;
const FULL_FRAME_MAX_PX = 800;
const FULL_FRAME_EVERY = 8;
const CAMERA_KEY = 'gatepost.camera';
const RETRY_MS = [500, 1000, 2000, 5000];
/** No frame callback, or no answer from the decoder, for this long: something is stuck, ms. */
const STUCK_MS = 2500;

interface FrameMeta {
  presentationTime: number;
}

type VideoWithFrames = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number, meta: FrameMeta) => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

function problemOf(e: unknown): ScannerProblem {
  switch ((e as { name?: string }).name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'no_camera';
    case 'NotReadableError':
    case 'AbortError':
      return 'in_use';
    default:
      return 'failed';
  }
}

export function rememberedCamera(): string | null {
  try {
    return localStorage.getItem(CAMERA_KEY);
  } catch {
    return null;
  }
}

function rememberCamera(deviceId: string): void {
  try {
    localStorage.setItem(CAMERA_KEY, deviceId);
  } catch {
    // Not remembered; the rear camera is chosen again next time.
  }
}

export class CameraScanner {
  private stream: MediaStream | null = null;
  private decoder: DecoderClient | null = null;
  private busy = false;
  private busySince = 0;
  private lastFrameAt = 0;
  private lastReadAt = 0;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private frameHandle: number | null = null;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private opening: Promise<void> | null = null;
  /** Counters, mirrored on the video element's data attributes for tests and tools. */
  readonly stats = { frames: 0, attempts: 0, reads: 0, dropped: 0, stalls: 0 };

  constructor(
    private readonly video: VideoWithFrames,
    private readonly on: {
      /** A frame's code was read. */
      hit: (hit: ScanHit) => void;
      /** A decoding attempt read nothing. */
      miss: () => void;
      state: (state: ScannerState) => void;
    },
  ) {
    video.muted = true;
    video.playsInline = true;
    video.autoplay = true;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    document.addEventListener('visibilitychange', this.onVisibility);
    navigator.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
    if (document.visibilityState === 'hidden') this.on.state({ kind: 'paused' });
    else void this.open();
  }

  stop(): void {
    this.stopped = true;
    document.removeEventListener('visibilitychange', this.onVisibility);
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    this.release();
  }

  /** The guard picked a camera: use it now and on this tablet from now on. */
  async useCamera(deviceId: string): Promise<void> {
    rememberCamera(deviceId);
    this.release();
    await this.open();
  }

  async cameras(): Promise<MediaDeviceInfo[]> {
    const all = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
    return all.filter((d) => d.kind === 'videoinput');
  }

  async setTorch(on: boolean): Promise<void> {
    const track = this.stream?.getVideoTracks()[0];
    if (!track) return;
    await track.applyConstraints({ advanced: [{ torch: on } as MediaTrackConstraintSet] });
    this.on.state({ kind: 'running', torch: on, deviceId: track.getSettings().deviceId ?? '' });
  }

  private open(): Promise<void> {
    this.opening ??= this.openNow().finally(() => (this.opening = null));
    return this.opening;
  }

  private async openNow(): Promise<void> {
    if (this.stopped || this.stream) return;
    this.on.state({ kind: 'starting' });
    if (!navigator.mediaDevices?.getUserMedia) {
      this.on.state({ kind: 'unavailable', problem: 'no_camera', detail: 'no mediaDevices' });
      return;
    }
    this.decoder ??= new DecoderClient();
    let torch: boolean | null;
    let deviceId: string;
    try {
      const remembered = rememberedCamera();
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: {
          ...(remembered ? { deviceId: { ideal: remembered } } : {}),
          facingMode: { ideal: 'environment' },
          width: { ideal: 1280 },
          height: { ideal: 720 },
        },
      });
      if (this.stopped || document.visibilityState === 'hidden') {
        for (const t of stream.getTracks()) t.stop();
        return;
      }
      this.stream = stream;
      const track = stream.getVideoTracks()[0]!;
      track.addEventListener('ended', this.onTrackEnded);
      const caps = (track.getCapabilities?.() ?? {}) as MediaTrackCapabilities & {
        torch?: boolean;
        focusMode?: string[];
      };
      if (caps.focusMode?.includes('continuous')) {
        await track
          .applyConstraints({ advanced: [{ focusMode: 'continuous' } as MediaTrackConstraintSet] })
          .catch(() => undefined);
      }
      this.video.srcObject = stream;
      await this.video.play();
      torch = caps.torch ? false : null;
      deviceId = track.getSettings().deviceId ?? '';
    } catch (e) {
      this.release();
      const problem = problemOf(e);
      this.on.state({ kind: 'unavailable', problem, detail: (e as Error).message ?? String(e) });
      // A camera in use or failing may come back; a refusal or no camera waits for a change.
      if (problem === 'in_use' || problem === 'failed') this.retryLater();
      return;
    }
    try {
      await this.decoder.ready;
    } catch (e) {
      this.release();
      this.on.state({ kind: 'unavailable', problem: 'decoder', detail: (e as Error).message });
      return;
    }
    this.retries = 0;
    this.on.state({ kind: 'running', torch, deviceId });
    this.lastFrameAt = performance.now();
    this.watchdog ??= setInterval(this.checkStuck, 1000);
    this.schedule();
  }

  private readonly checkStuck = () => {
    if (!this.stream) return;
    const now = performance.now();
    if (this.busy && now - this.busySince > STUCK_MS) {
      this.stats.stalls++;
      this.decoder?.terminate();
      this.decoder = new DecoderClient();
      this.busy = false;
    }
    if (now - this.lastFrameAt > STUCK_MS) {
      this.stats.stalls++;
      this.lastFrameAt = now;
      this.cancelFrame();
      this.schedule();
    }
    this.mirrorStats();
  };

  private cancelFrame() {
    if (this.frameHandle === null) return;
    if (this.video.cancelVideoFrameCallback) this.video.cancelVideoFrameCallback(this.frameHandle);
    else cancelAnimationFrame(this.frameHandle);
    this.frameHandle = null;
  }

  private retryLater() {
    if (this.stopped || this.retryTimer) return;
    const delay = RETRY_MS[Math.min(this.retries++, RETRY_MS.length - 1)]!;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.open();
    }, delay);
  }

  private release() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.frameHandle !== null) {
      if (this.video.cancelVideoFrameCallback)
        this.video.cancelVideoFrameCallback(this.frameHandle);
      else cancelAnimationFrame(this.frameHandle);
    }
    this.frameHandle = null;
    if (this.stream) {
      for (const t of this.stream.getTracks()) {
        t.removeEventListener('ended', this.onTrackEnded);
        t.stop();
      }
    }
    this.stream = null;
    this.video.srcObject = null;
  }

  private readonly onTrackEnded = () => {
    this.release();
    this.retryLater();
  };

  private readonly onVisibility = () => {
    if (document.visibilityState === 'hidden') {
      this.release();
      this.on.state({ kind: 'paused' });
    } else void this.open();
  };

  private readonly onDeviceChange = () => {
    const track = this.stream?.getVideoTracks()[0];
    const remembered = rememberedCamera();
    if (!track || track.readyState === 'ended') {
      this.release();
      void this.open();
    } else if (remembered && track.getSettings().deviceId !== remembered) {
      // The chosen camera may have come back (plugged in again): try it.
      void this.cameras().then((list) => {
        if (list.some((d) => d.deviceId === remembered)) void this.useCamera(remembered);
      });
    }
  };

  private schedule() {
    if (this.stopped || !this.stream) return;
    const v = this.video;
    this.frameHandle = v.requestVideoFrameCallback
      ? v.requestVideoFrameCallback(this.onFrame)
      : requestAnimationFrame((now) => this.onFrame(now, { presentationTime: now }));
  }

  private readonly onFrame = (_now: number, meta: FrameMeta) => {
    this.schedule();
    this.lastFrameAt = performance.now();
    const s = this.stats;
    s.frames++;
    if (this.busy || !this.decoder) {
      s.dropped++;
      return;
    }
    const v = this.video;
    const vw = v.videoWidth;
    const vh = v.videoHeight;
    if (vw === 0 || vh === 0) return;
    this.busy = true;
    this.busySince = this.lastFrameAt;
    s.attempts++;
    let sx: number, sy: number, sw: number, sh: number, scale: number;
    if (s.attempts % FULL_FRAME_EVERY === 0) {
      [sx, sy, sw, sh] = [0, 0, vw, vh];
      scale = Math.min(1, FULL_FRAME_MAX_PX / Math.max(vw, vh));
    } else {
      const side = Math.round(Math.min(vw, vh) * AIM_SHARE);
      [sx, sy, sw, sh] = [Math.round((vw - side) / 2), Math.round((vh - side) / 2), side, side];
      scale = Math.min(1, ROI_MAX_PX / side);
    }
    const decoder = this.decoder;
    const attempt = s.attempts;
    createImageBitmap(v, sx, sy, sw, sh, {
      resizeWidth: Math.round(sw * scale),
      resizeHeight: Math.round(sh * scale),
      resizeQuality: 'low',
    })
      .then((bitmap) => decoder.decode(bitmap))
      .then(
        (answer) => {
          // An answer from a decoder the watchdog already replaced is old news.
          if (decoder !== this.decoder || attempt !== s.attempts) return;
          this.busy = false;
          if (answer.text !== null) {
            s.reads++;
            this.lastReadAt = performance.now();
            this.on.hit({ text: answer.text, frameTime: meta.presentationTime });
          } else this.on.miss();
          this.mirrorStats();
        },
        () => {
          // A frame that could not be grabbed (the stream was just stopped): the next one will do.
          if (attempt === s.attempts) this.busy = false;
        },
      );
  };

  private mirrorStats() {
    const d = this.video.dataset;
    d.frames = String(this.stats.frames);
    d.attempts = String(this.stats.attempts);
    d.reads = String(this.stats.reads);
    d.stalls = String(this.stats.stalls);
    d.lastRead = String(Math.round(this.lastReadAt));
  }
}
