/**
 * Pagefind's program in its service mode (`--service`): requests and answers are JSON objects, each
 * sent base64-encoded and ended by a comma, over the program's stdin and stdout.
 *
 * recap talks to it itself rather than through the npm package's client, because that client never
 * settles a request whose answer does not come: a program that hangs made `recap build` hang for
 * ever, and one that stopped or wrote garbage made it end silently (an unsettled await: exit code 13,
 * no message), after stack traces of the package's own. Here every way the program can fail (it
 * cannot start, it stops, it answers with something unreadable, it is silent for `stallMs` while
 * answers are awaited) rejects every waiting request with one error that says so, and the process
 * is ended. One process per index: it is ended when the index is made or no longer wanted.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import os from 'node:os';
import type { Readable, Writable } from 'node:stream';

/** An answer of Pagefind's: its type says what it answers ("Error" when the request failed). */
export interface ServiceAnswer {
  type: string;
  message?: string;
  [key: string]: unknown;
}

interface Waiting {
  resolve: (answer: ServiceAnswer) => void;
  reject: (error: Error) => void;
}

/** The last bytes of the program's stderr kept for an error's message. */
const STDERR_KEPT = 2000;

export class PagefindService {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly waiting = new Map<number, Waiting>();
  private lastId = 0;
  /** Pieces of an answer whose ending comma has not come yet (kept apart: an index's files come as one answer of megabytes). */
  private partial: string[] = [];
  private stderrTail = '';
  private failure: Error | undefined;
  private stall: NodeJS.Timeout | undefined;

  constructor(
    binary: string,
    private readonly stallMs: number,
  ) {
    // The temp folder as its working folder: whatever it might write of its own lands nowhere of the site's.
    this.child = spawn(binary, ['--service'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: os.tmpdir(), windowsHide: true });
    this.child.on('error', (error: NodeJS.ErrnoException) => this.fail(`could not start Pagefind's program ${binary}: ${error.code === 'EACCES' ? 'it is not executable (EACCES)' : (error.code ?? error.message)}`));
    this.child.on('exit', (code, signal) => this.fail(`Pagefind's program stopped (${signal ? `signal ${signal}` : `exit code ${code}`})${this.stderrNote()}`));
    // A program that stopped is named by 'exit'; the write that found its pipe closed says nothing more.
    this.child.stdin.on('error', () => {});
    this.child.stdout.setEncoding('latin1');
    this.child.stdout.on('data', (chunk: string) => this.received(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => (this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_KEPT)));
  }

  /** Sends one request; its answer, or the program's failure. */
  request(payload: Record<string, unknown>): Promise<ServiceAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.lastId;
    const answered = new Promise<ServiceAnswer>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.child.stdin.write(`${Buffer.from(JSON.stringify({ message_id: id, payload })).toString('base64')},`);
    this.watchForStall();
    return answered;
  }

  /** Ends the program; requests still waiting are rejected. */
  end(): void {
    this.fail("Pagefind's program was ended");
  }

  private received(chunk: string): void {
    this.watchForStall();
    let start = 0;
    for (let comma = chunk.indexOf(','); comma !== -1 && !this.failure; comma = chunk.indexOf(',', start)) {
      this.partial.push(chunk.slice(start, comma));
      this.answered(this.partial.join(''));
      this.partial = [];
      start = comma + 1;
    }
    if (start < chunk.length) this.partial.push(chunk.slice(start));
  }

  private answered(encoded: string): void {
    let message: { message_id?: unknown; payload?: ServiceAnswer };
    try {
      message = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as typeof message;
    } catch {
      message = {};
    }
    const payload = message.payload;
    if (typeof payload !== 'object' || payload === null || typeof payload.type !== 'string') {
      this.fail(`Pagefind's program answered with something unreadable: ${JSON.stringify(encoded.slice(0, 60))}`);
      return;
    }
    const waiting = typeof message.message_id === 'number' ? this.waiting.get(message.message_id) : undefined;
    if (!waiting) {
      // An error about no request of ours: it could not read what it was sent.
      this.fail(`Pagefind's program could not read a request: ${payload.message ?? payload.type}`);
      return;
    }
    this.waiting.delete(message.message_id as number);
    waiting.resolve(payload);
  }

  /** While answers are awaited, silence for stallMs fails every request: the program hangs. */
  private watchForStall(): void {
    clearTimeout(this.stall);
    this.stall = undefined;
    if (this.waiting.size > 0 && !this.failure) {
      this.stall = setTimeout(() => this.fail(`Pagefind's program did not answer for ${this.stallMs / 1000} s, so it was stopped${this.stderrNote()}`), this.stallMs);
    }
  }

  private stderrNote(): string {
    const lines = this.stderrTail.split('\n').map((line) => line.trim()).filter(Boolean);
    return lines.length > 0 ? `: ${lines.at(-1)}` : '';
  }

  private fail(reason: string): void {
    if (this.failure) return;
    this.failure = new Error(reason);
    clearTimeout(this.stall);
    // Killed, not asked: a hung program may not listen. Our ends of its pipes closed too, as a child of
    // its own that holds them open would otherwise keep this process running.
    this.child.kill('SIGKILL');
    this.child.stdin.destroy();
    this.child.stdout.destroy();
    this.child.stderr.destroy();
    for (const waiting of this.waiting.values()) waiting.reject(this.failure);
    this.waiting.clear();
  }
}
