// Grouped bars (benchmarks × models, or published beside measured). Series differ by colour
// and by fill pattern, and the legend names them.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { ChartCanvas, colourAt, patternFill } from './chart-canvas';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface BarSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

export default function GroupedBarChart({ labels, series, label, valueLabel, formatValue }: { readonly labels: readonly string[]; readonly series: readonly BarSeries[]; readonly label: string; readonly valueLabel: string; readonly formatValue: (value: number) => string }) {
  const config = useMemo<ChartConfiguration<'bar', (number | null)[], string>>(
    () => ({
      type: 'bar',
      data: {
        labels: [...labels],
        datasets: series.map((entry, index) => ({
          label: entry.label,
          data: [...entry.values],
          backgroundColor: patternFill(index, colourAt(index)),
          borderColor: colourAt(index),
          borderWidth: 2,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: valueLabel } } },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${item.parsed.y === null ? '—' : formatValue(item.parsed.y)}` } },
        },
      },
    }),
    [labels, series, valueLabel, formatValue],
  );
  return <ChartCanvas config={config} label={label} />;
}
