/**
 * The page's side of the QR worker (src/workers/qr/scan-worker.ts): one frame at a time. `decode`
 * transfers the bitmap (the page must not use it afterwards) and resolves with the worker's answer.
 */
import type { ScanWorkerIn, ScanWorkerOut } from '../../workers/qr/scan-worker';

export interface DecodeAnswer {
  text: string | null;
  /** Time spent in the worker, ms. */
  ms: number;
}

export class DecoderClient {
  private readonly worker: Worker;
  private nextId = 1;
  private pending = new Map<number, (a: DecodeAnswer) => void>();
  /** Resolves when the decoder is compiled, rejects if it cannot start. */
  readonly ready: Promise<void>;

  constructor() {
    this.worker = new Worker(new URL('../../workers/qr/scan-worker.ts', import.meta.url), {
      type: 'module',
      name: 'gatepost-qr',
    });
    let settle: { resolve: () => void; reject: (e: Error) => void };
    this.ready = new Promise((resolve, reject) => (settle = { resolve, reject }));
    this.worker.addEventListener('message', (event: MessageEvent<ScanWorkerOut>) => {
      const m = event.data;
      if (m.type === 'ready') settle.resolve();
      else if (m.type === 'failed') settle.reject(new Error(m.message));
      else {
        this.pending.get(m.id)?.({ text: m.text, ms: m.ms });
        this.pending.delete(m.id);
      }
    });
    this.worker.addEventListener('error', (e) => settle.reject(new Error(e.message)));
  }

  /** Stops the worker; answers still awaited never come. */
  terminate(): void {
    this.worker.terminate();
    this.pending.clear();
  }

  decode(bitmap: ImageBitmap): Promise<DecodeAnswer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      const message: ScanWorkerIn = { type: 'frame', id, bitmap };
      this.worker.postMessage(message, [bitmap]);
    });
  }
}
