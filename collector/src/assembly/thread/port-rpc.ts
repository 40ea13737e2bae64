/** The side of a message channel a {@link PortRpc} talks through (a Worker, or a worker's parentPort). */
export interface MessagePortLike {
  postMessage(value: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
}

/** Handlers by message kind; what a handler returns (or throws) is the caller's answer. */
export type RpcHandlers = Record<string, (payload: never) => unknown>;

type Envelope =
  | { kind: string; id?: number; payload: unknown }
  | { reply: number; ok: true; result: unknown }
  | { reply: number; ok: false; message: string };

/**
 * Calls and notifications between two threads over one port: a call carries an id and resolves
 * with the other side's answer; a notification has none. Calls still open when the other side
 * goes away are failed by {@link failAll}, so no caller waits forever.
 */
export class PortRpc {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();

  /** `onError` gets what a notification's handler threw: there is no caller to answer. */
  constructor(private readonly port: MessagePortLike, private readonly handlers: RpcHandlers, private readonly onError: (err: unknown) => void) {
    port.on('message', (message) => void this.receive(message as Envelope));
  }

  call<T>(kind: string, payload: unknown, transfer?: readonly ArrayBuffer[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.port.postMessage({ kind, id, payload }, transfer);
    });
  }

  notify(kind: string, payload: unknown, transfer?: readonly ArrayBuffer[]): void {
    this.port.postMessage({ kind, payload }, transfer);
  }

  /** Fails every open call, e.g. when the other thread has exited. */
  failAll(reason: string): void {
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
  }

  private async receive(message: Envelope): Promise<void> {
    if ('reply' in message) {
      const call = this.pending.get(message.reply);
      this.pending.delete(message.reply);
      if (message.ok) call?.resolve(message.result);
      else call?.reject(new Error(message.message));
      return;
    }
    const handler = this.handlers[message.kind];
    const { id } = message;
    try {
      if (!handler) throw new Error(`no handler for '${message.kind}'`);
      const result = await handler(message.payload as never);
      if (id !== undefined) this.port.postMessage({ reply: id, ok: true, result });
    } catch (err) {
      if (id !== undefined) this.port.postMessage({ reply: id, ok: false, message: (err as Error).message });
      else this.onError(err);
    }
  }
}

/**
 * The bytes of `view` in an ArrayBuffer of their own, to transfer (moving, not copying) to
 * another thread. A view over part of a larger buffer is copied first: transferring its buffer
 * would move, and detach, bytes that are not its own.
 */
export function ownedBuffer(view: Uint8Array): ArrayBuffer {
  const whole = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer;
  return whole ? (view.buffer as ArrayBuffer) : (new Uint8Array(view).buffer as ArrayBuffer);
}
