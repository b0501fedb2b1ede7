// Score against price: one point a model. Measured and published scores differ by point
// shape as well as colour, and the tooltip names the model.
import { Chart, Legend, LinearScale, PointElement, ScatterController, Tooltip, type ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { ChartCanvas, colourAt, pointStyles } from './chart-canvas';

Chart.register(ScatterController, PointElement, LinearScale, Legend, Tooltip);

export interface ScatterPoint {
  readonly x: number;
  readonly y: number;
  readonly name: string;
}

export interface ScatterSeries {
  readonly label: string;
  readonly points: readonly ScatterPoint[];
}

export default function ScatterChart({ series, label, xLabel, yLabel, formatX, formatY }: { readonly series: readonly ScatterSeries[]; readonly label: string; readonly xLabel: string; readonly yLabel: string; readonly formatX: (value: number) => string; readonly formatY: (value: number) => string }) {
  const config = useMemo<ChartConfiguration<'scatter', ScatterPoint[], unknown>>(
    () => ({
      type: 'scatter',
      data: {
        datasets: series.map((entry, index) => ({
          label: entry.label,
          data: [...entry.points],
          backgroundColor: colourAt(index),
          borderColor: colourAt(index),
          pointStyle: pointStyles[index % pointStyles.length] ?? 'circle',
          pointRadius: 6,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { title: { display: true, text: xLabel } },
          y: { beginAtZero: true, title: { display: true, text: yLabel } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { usePointStyle: true } },
          tooltip: { callbacks: { label: (item) => `${(item.raw as ScatterPoint).name}: ${formatY(item.parsed.y ?? 0)} · ${formatX(item.parsed.x ?? 0)}` } },
        },
      },
    }),
    [series, xLabel, yLabel, formatX, formatY],
  );
  return <ChartCanvas config={config} label={label} />;
}
