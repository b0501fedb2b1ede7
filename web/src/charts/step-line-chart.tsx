// Price history as steps: a price holds until the next version takes effect, so a cut shows
// as a drop, not a slope. Input and output prices differ by dash and point shape too.
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { ChartCanvas, colourAt, pointStyles } from './chart-canvas';

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface StepSeries {
  readonly label: string;
  readonly values: readonly number[];
}

export default function StepLineChart({ labels, series, label, valueLabel, formatValue }: { readonly labels: readonly string[]; readonly series: readonly StepSeries[]; readonly label: string; readonly valueLabel: string; readonly formatValue: (value: number) => string }) {
  const config = useMemo<ChartConfiguration<'line', number[], string>>(
    () => ({
      type: 'line',
      data: {
        labels: [...labels],
        datasets: series.map((entry, index) => ({
          label: entry.label,
          data: [...entry.values],
          stepped: 'before' as const,
          borderColor: colourAt(index),
          backgroundColor: colourAt(index),
          borderDash: index === 0 ? [] : [6, 4],
          pointStyle: pointStyles[index % pointStyles.length] ?? 'circle',
          pointRadius: 5,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: valueLabel } } },
        plugins: {
          legend: { position: 'bottom', labels: { usePointStyle: true } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${formatValue(item.parsed.y ?? 0)}` } },
        },
      },
    }),
    [labels, series, valueLabel, formatValue],
  );
  return <ChartCanvas config={config} label={label} />;
}
