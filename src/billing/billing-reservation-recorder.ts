// The write-ahead rows of reservations, kept for the requests that need one. A reservation's row
// only lets a restart note the interrupted request: holds in memory die with the process, and
// replicas' holds in Redis are inside their leases, which the lease record lets a restart
// release. So a row is written (and built) only for a request still running after a second
// (streams, slow models), or still running when the server closes: most requests end sooner and
// need no row, and no delete either.
import type { ReservationRow } from './billing-metering-repository.js';
import type { Reservation } from './billing-reservation.js';

// A reservation held in memory is written only once its request has run this long.
const unrecordedReservationMilliseconds = 1_000;

interface Unrecorded {
  readonly reservation: Reservation;
  readonly at: string;
  readonly since: number;
}

export interface ReservationRecorderOptions {
  readonly serverId: string;
  /** False for replicas: their holds are inside their leases, which recovery releases as a whole, so a row lists none. */
  readonly rowsListHolds: boolean;
  /** Queues a row in the metering writer's next batch. */
  readonly write: (row: ReservationRow) => void;
}

export class ReservationRecorder {
  private readonly unrecorded = new Map<string, Unrecorded>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: ReservationRecorderOptions) {}

  /** A new reservation: its row waits until its request has run for a second. */
  admitted(reservation: Reservation, at: string): void {
    this.unrecorded.set(reservation.requestId, { reservation, at, since: performance.now() });
    this.writeLongOnesLater();
  }

  /** The request ended: answers true when its row was written (and so must be removed), false when it never was. */
  ended(requestId: string): boolean {
    return !this.unrecorded.delete(requestId);
  }

  /** At close: every request still running is interrupted, and its row lets the next start record it so. */
  writeAll(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [requestId, pending] of this.unrecorded) {
      this.unrecorded.delete(requestId);
      this.options.write(this.row(pending));
    }
  }

  private row({ reservation, at }: Unrecorded): ReservationRow {
    const { admission, counters } = reservation;
    return {
      request_id: admission.requestId,
      organisation_id: admission.organisationId,
      project_id: admission.projectId,
      key_id: admission.keyId,
      model: admission.publicModel,
      amount: reservation.amount,
      currency: reservation.currency,
      budget_ids: this.options.rowsListHolds ? JSON.stringify(counters.map((counter) => ({ key: counter.key, amount: counter.amount }))) : '[]',
      server_id: this.options.serverId,
      created_at: at,
    };
  }

  /** Writes the rows of requests that have run for over a second; one timer for all. */
  private writeLongOnesLater(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const due = performance.now() - unrecordedReservationMilliseconds;
      for (const [requestId, pending] of this.unrecorded) {
        if (pending.since > due) continue;
        this.unrecorded.delete(requestId);
        this.options.write(this.row(pending));
      }
      if (this.unrecorded.size > 0) this.writeLongOnesLater();
    }, unrecordedReservationMilliseconds / 2);
    this.timer.unref();
  }
}
