// One Chart.js chart on a canvas, rebuilt when its configuration changes. Each chart kind
// registers only the Chart.js pieces it draws (see the *-chart.tsx files), so a page that
// draws no chart loads no chart code. The canvas carries a text label; every chart is
// accompanied by a table with the same numbers for readers who cannot see it.
import { Chart, type ChartConfiguration, type ChartType, type DefaultDataPoint } from 'chart.js';
import { useEffect, useRef } from 'react';

export const seriesColours = ['#0b5cad', '#c75000', '#1a6b2f', '#7b2d8b', '#4d4d4d', '#a4262c'] as const;
export const pointStyles = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot'] as const;

export function colourAt(index: number): string {
  return seriesColours[index % seriesColours.length] ?? '#0b5cad';
}

/**
 * A fill that differs by more than colour: series 0 solid, then diagonal lines, dots, cross
 * hatching. Falls back to the plain colour where a canvas cannot be made.
 */
export function patternFill(index: number, colour: string): CanvasPattern | string {
  const kind = index % 4;
  if (kind === 0) return colour;
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const context = tile.getContext('2d');
  if (context === null) return colour;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, 8, 8);
  context.strokeStyle = colour;
  context.fillStyle = colour;
  context.lineWidth = 2;
  if (kind === 1) {
    context.beginPath();
    context.moveTo(0, 8);
    context.lineTo(8, 0);
    context.stroke();
  } else if (kind === 2) {
    context.beginPath();
    context.arc(4, 4, 2, 0, Math.PI * 2);
    context.fill();
  } else {
    context.strokeRect(0, 0, 8, 8);
  }
  return context.createPattern(tile, 'repeat') ?? colour;
}

export function ChartCanvas<Type extends ChartType>({ config, label }: { readonly config: ChartConfiguration<Type, DefaultDataPoint<Type>, unknown>; readonly label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current === null) return undefined;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart-box">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
