/**
 * A signature drawn on the screen with a finger or stylus: black ink on a white box the size of
 * the paper form's signature line, exported as a PNG (the office prints it on the form). Pointer
 * events, so touch, pen and mouse behave the same.
 */
import { useEffect, useRef } from 'preact/hooks';
import { t } from './messages';

export const PAD_WIDTH = 600;
export const PAD_HEIGHT = 200;

export function SignaturePad(props: {
  label: string;
  testId: string;
  /** Called with the PNG's bytes after each stroke, or null when cleared. */
  onChange: (png: Uint8Array | null) => void;
  invalid?: string | undefined;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);

  const clear = () => {
    const g = canvas.current?.getContext('2d');
    if (!g) return;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, PAD_WIDTH, PAD_HEIGHT);
  };
  useEffect(clear, []);

  const at = (e: PointerEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    return [
      ((e.clientX - r.left) * PAD_WIDTH) / r.width,
      ((e.clientY - r.top) * PAD_HEIGHT) / r.height,
    ] as const;
  };
  const finish = () => {
    if (!drawing.current) return;
    drawing.current = false;
    canvas.current!.toBlob((b) => {
      if (b) void b.arrayBuffer().then((a) => props.onChange(new Uint8Array(a)));
    }, 'image/png');
  };

  return (
    <div class={`signature${props.invalid ? ' invalid' : ''}`}>
      <span class="signature-label">{props.label}</span>
      <canvas
        ref={canvas}
        width={PAD_WIDTH}
        height={PAD_HEIGHT}
        data-testid={props.testId}
        aria-label={props.label}
        onPointerDown={(e) => {
          const g = canvas.current!.getContext('2d')!;
          canvas.current!.setPointerCapture(e.pointerId);
          drawing.current = true;
          g.strokeStyle = '#000';
          g.lineWidth = 3;
          g.lineCap = 'round';
          g.lineJoin = 'round';
          g.beginPath();
          g.moveTo(...at(e));
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          const g = canvas.current!.getContext('2d')!;
          g.lineTo(...at(e));
          g.stroke();
        }}
        onPointerUp={finish}
        onPointerCancel={finish}
      />
      <button
        type="button"
        class="small-button"
        onClick={() => {
          clear();
          props.onChange(null);
        }}
      >
        {t('incident.clear')}
      </button>
      {props.invalid && (
        <span class="field-error" role="alert">
          {props.invalid}
        </span>
      )}
    </div>
  );
}
