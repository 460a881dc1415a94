import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import SignaturePadLib from 'signature_pad';
import './service-request.css';

/**
 * The customer signs with a finger or a stylus on the staff member's tablet or phone
 * (signature_pad: pointer events on a canvas, docs/decisions.md). The canvas is sized to the
 * device's pixel ratio so the strokes stay sharp; `onChange` gets the PNG data URL, or null when
 * the pad is empty.
 */
export function SignaturePad({ onChange, disabled }: { onChange: (png: string | null) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePadLib | null>(null);
  const [empty, setEmpty] = useState(true);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const pad = new SignaturePadLib(canvas, { penColor: '#111', backgroundColor: 'rgb(255,255,255)', minWidth: 0.8, maxWidth: 2.6 });
    padRef.current = pad;
    const fitCanvas = () => {
      // A resize clears the canvas: the pad keeps its strokes as data and redraws them.
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const data = pad.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext('2d')?.scale(ratio, ratio);
      pad.clear();
      pad.fromData(data);
    };
    fitCanvas();
    const ended = () => {
      setEmpty(pad.isEmpty());
      changed.current(pad.isEmpty() ? null : pad.toDataURL('image/png'));
    };
    pad.addEventListener('endStroke', ended);
    window.addEventListener('resize', fitCanvas);
    return () => {
      pad.removeEventListener('endStroke', ended);
      window.removeEventListener('resize', fitCanvas);
      pad.off();
      padRef.current = null;
    };
  }, []);

  useEffect(() => {
    const pad = padRef.current;
    if (!pad) return;
    if (disabled) pad.off();
    else pad.on();
  }, [disabled]);

  const clear = () => {
    padRef.current?.clear();
    setEmpty(true);
    changed.current(null);
  };

  return (
    <div className="signature-pad">
      <canvas ref={canvasRef} className="signature-canvas" data-testid="signature-canvas" aria-label={t('serviceRequest.sign.padLabel')} />
      <div className="signature-pad-foot">
        <span className="field-hint">{empty ? t('serviceRequest.sign.padHint') : t('serviceRequest.sign.padSigned')}</span>
        <button
          type="button"
          className="button button-small button-ghost"
          onClick={clear}
          disabled={empty || disabled}
          data-testid="signature-clear"
        >
          {t('serviceRequest.sign.clear')}
        </button>
      </div>
    </div>
  );
}
