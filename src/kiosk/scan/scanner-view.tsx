/**
 * The camera on screen: the live picture with the aiming box (the region the decoder reads
 * first), what the camera is doing in words, a torch button where the camera has a torch, and a
 * choice of camera where there is more than one. The scanner runs while this is mounted.
 *
 * `data-state` on the container says the scanner's state; the video element carries the frame
 * counters (`data-frames`, `data-attempts`, `data-reads`, `data-stalls`) and the time of the last
 * read (`data-last-read`, performance.now() ms) for tests and tools.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../messages';
import {
  AIM_SHARE,
  CameraScanner,
  rememberedCamera,
  type ScanHit,
  type ScannerState,
} from './camera-scanner';

function stateWords(s: ScannerState): string {
  switch (s.kind) {
    case 'starting':
      return t('scanner.starting');
    case 'running':
      return t('scanner.running');
    case 'paused':
      return t('scanner.paused');
    case 'unavailable':
      return t(`scanner.problem.${s.problem}`);
  }
}

export function ScannerView(props: {
  onHit: (hit: ScanHit) => void;
  onMiss?: () => void;
  /** The camera is running (again): what the screen loads only after it, it loads now. */
  onRunning?: () => void;
  compact?: boolean;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const scanner = useRef<CameraScanner | null>(null);
  const handlers = useRef(props);
  handlers.current = props;
  const state = useSignal<ScannerState>({ kind: 'starting' });
  const cameras = useSignal<MediaDeviceInfo[]>([]);
  const landscape = useSignal(true);

  useEffect(() => {
    const v = video.current!;
    const s = new CameraScanner(v, {
      hit: (hit) => handlers.current.onHit(hit),
      miss: () => handlers.current.onMiss?.(),
      state: (next) => {
        state.value = next;
        if (next.kind === 'running') {
          // After this render: what waits for the camera starts once the camera is on screen.
          setTimeout(() => handlers.current.onRunning?.(), 0);
          landscape.value = v.videoWidth >= v.videoHeight;
          void s.cameras().then((list) => (cameras.value = list));
        }
      },
    });
    scanner.current = s;
    s.start();
    return () => s.stop();
  }, []);

  const s = state.value;
  const aim = `${Math.round(AIM_SHARE * 100)}%`;
  return (
    <section
      class={`scanner scanner-${s.kind}${props.compact ? ' compact' : ''}`}
      data-testid="scanner"
      data-state={s.kind}
    >
      <div class="scanner-frame">
        <video ref={video} data-testid="camera" muted playsInline autoPlay />
        <div
          class="scanner-aim"
          aria-hidden="true"
          style={landscape.value ? { height: aim } : { width: aim }}
        />
      </div>
      <p class="scanner-status" role="status">
        {stateWords(s)}
      </p>
      <div class="scanner-controls">
        {s.kind === 'running' && s.torch !== null ? (
          <button
            type="button"
            class="big-button secondary"
            aria-pressed={s.torch}
            onClick={() => void scanner.current?.setTorch(!s.torch).catch(() => undefined)}
          >
            {s.torch ? t('scanner.torchOff') : t('scanner.torchOn')}
          </button>
        ) : null}
        {cameras.value.length > 1 ? (
          <label class="scanner-camera">
            <span>{t('scanner.camera')}</span>
            <select
              value={(s.kind === 'running' ? s.deviceId : rememberedCamera()) ?? ''}
              onChange={(e) =>
                void scanner.current?.useCamera((e.currentTarget as HTMLSelectElement).value)
              }
            >
              {cameras.value.map((c, i) => (
                <option key={c.deviceId} value={c.deviceId}>
                  {c.label || `${t('scanner.camera')} ${i + 1}`}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
    </section>
  );
}
