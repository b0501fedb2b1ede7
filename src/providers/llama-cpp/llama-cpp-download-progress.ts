// A progress bar for model downloads (cli-progress): an operator who starts the server with a
// multi-gigabyte hf: model sees how far the download is rather than a silent pause.
import cliProgress from 'cli-progress';

export interface DownloadProgress {
  /** `totalBytes` is undefined when the hub did not announce a size. */
  start(totalBytes: number | undefined): void;
  update(receivedBytes: number): void;
  stop(): void;
}

export interface TerminalProgressOptions {
  readonly label: string;
  readonly stream?: NodeJS.WritableStream;
  /** How often to draw when the stream is not a terminal (a log file), in milliseconds. */
  readonly nonTerminalIntervalMilliseconds?: number;
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

export function createTerminalProgress(options: TerminalProgressOptions): DownloadProgress {
  let knownTotal = false;
  const bar = new cliProgress.SingleBar({
    stream: options.stream ?? process.stderr,
    format: `Downloading ${options.label} [{bar}] {percentage}% | {value}/{total} MB`,
    formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? megabytes(value) : String(value)),
    // Progress also goes to logs that are not terminals, at a calm rate.
    noTTYOutput: true,
    notTTYSchedule: options.nonTerminalIntervalMilliseconds ?? 5000,
    hideCursor: false,
    gracefulExit: false,
  }, cliProgress.Presets.shades_classic);
  return {
    start(totalBytes) {
      knownTotal = totalBytes !== undefined && totalBytes > 0;
      bar.start(knownTotal ? (totalBytes ?? 0) : 1, 0);
    },
    update(receivedBytes) {
      // Without an announced size the bar can only show what has arrived so far.
      if (!knownTotal) bar.setTotal(Math.max(receivedBytes, 1));
      bar.update(receivedBytes);
    },
    stop() {
      bar.stop();
    },
  };
}
