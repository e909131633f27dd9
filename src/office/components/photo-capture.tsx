/**
 * The holder's photo on the issuing form: the office webcam starts with the form (one click takes
 * the picture), or a picture is uploaded; either way it is cropped to the 1-inch portrait and
 * compressed in the browser. A zoom slider tightens the crop around the face.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { toBase64Url } from '../../domain/bytes';
import { PORTRAIT_HEIGHT, PORTRAIT_WIDTH } from '../../domain/photo';
import { t } from '../messages';
import { makePortrait, portraitCrop } from '../photo';

export interface Portrait {
  base64: string;
  url: string;
  bytes: number;
}

type CameraState = 'starting' | 'live' | 'none' | 'denied' | 'off';

export function PhotoCapture(props: {
  value: Portrait | null;
  onChange(p: Portrait | null): void;
  error?: string | undefined;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const [camera, setCamera] = useState<CameraState>('off');
  const [zoom, setZoom] = useState(1);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const stop = () => {
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
  };

  const start = async () => {
    if (!navigator.mediaDevices?.getUserMedia) return setCamera('none');
    setCamera('starting');
    try {
      const s = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
      stream.current = s;
      if (video.current) {
        video.current.srcObject = s;
        await video.current.play();
      }
      setCamera('live');
    } catch (e) {
      setCamera((e as Error).name === 'NotAllowedError' ? 'denied' : 'none');
    }
  };

  useEffect(() => {
    if (!props.value) void start();
    return stop;
    // The camera starts once, with the form.
  }, []);

  const accept = async (blob: Blob) => {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    if (props.value) URL.revokeObjectURL(props.value.url);
    props.onChange({
      base64: toBase64Url(bytes),
      url: URL.createObjectURL(blob),
      bytes: bytes.length,
    });
  };

  const capture = async () => {
    const v = video.current;
    if (!v || v.videoWidth === 0) return;
    setBusy(true);
    setFailure(null);
    try {
      await accept(await makePortrait(v, v.videoWidth, v.videoHeight, zoom));
      stop();
      setCamera('off');
    } catch {
      setFailure(t('photo.failed'));
    } finally {
      setBusy(false);
    }
  };

  const upload = async (file: File) => {
    setBusy(true);
    setFailure(null);
    try {
      const bitmap = await createImageBitmap(file);
      await accept(await makePortrait(bitmap, bitmap.width, bitmap.height, zoom));
      bitmap.close();
      stop();
      setCamera('off');
    } catch {
      setFailure(t('photo.unreadable'));
    } finally {
      setBusy(false);
    }
  };

  const retake = () => {
    props.onChange(null);
    void start();
  };

  // The frame over the live picture shows what the crop will keep.
  const v = video.current;
  const crop = v && v.videoWidth ? portraitCrop(v.videoWidth, v.videoHeight, zoom) : null;
  return (
    <fieldset class="photo-capture" data-testid="photo-capture">
      <legend>{t('photo.legend')}</legend>
      {props.value ? (
        <div class="photo-result">
          <img
            src={props.value.url}
            width={PORTRAIT_WIDTH / 2}
            height={PORTRAIT_HEIGHT / 2}
            alt={t('card.photo')}
            data-testid="photo-taken"
          />
          <p class="hint">{t('photo.size', { kb: (props.value.bytes / 1024).toFixed(1) })}</p>
          <button type="button" onClick={retake}>
            {t('photo.retake')}
          </button>
        </div>
      ) : (
        <div class="photo-live">
          <div class="photo-viewport" hidden={camera !== 'live' && camera !== 'starting'}>
            <video ref={video} muted playsInline />
            {crop && v && (
              <div
                class="photo-frame"
                style={{
                  left: `${(crop.sx / v.videoWidth) * 100}%`,
                  top: `${(crop.sy / v.videoHeight) * 100}%`,
                  width: `${(crop.sw / v.videoWidth) * 100}%`,
                  height: `${(crop.sh / v.videoHeight) * 100}%`,
                }}
              />
            )}
          </div>
          {camera === 'none' && <p class="hint">{t('photo.noCamera')}</p>}
          {camera === 'denied' && <p class="hint">{t('photo.denied')}</p>}
          <label class="photo-zoom">
            {t('photo.zoom')}
            <input
              type="range"
              min="1"
              max="2.5"
              step="0.1"
              value={zoom}
              onInput={(e) => setZoom(Number((e.currentTarget as HTMLInputElement).value))}
            />
          </label>
          <div class="photo-buttons">
            {camera === 'live' ? (
              <button
                type="button"
                class="button-primary"
                disabled={busy}
                onClick={() => void capture()}
              >
                {t('photo.take')}
              </button>
            ) : (
              camera !== 'starting' && (
                <button type="button" onClick={() => void start()}>
                  {t('photo.startCamera')}
                </button>
              )
            )}
            <label class="button-like">
              {t('photo.upload')}
              <input
                type="file"
                accept="image/*"
                class="visually-hidden"
                onChange={(e) => {
                  const f = (e.currentTarget as HTMLInputElement).files?.[0];
                  if (f) void upload(f);
                }}
              />
            </label>
          </div>
        </div>
      )}
      {(failure ?? props.error) && (
        <p class="field-error" role="alert">
          {failure ?? props.error}
        </p>
      )}
    </fieldset>
  );
}
