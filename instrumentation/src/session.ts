import { context, createContextKey, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { AGENTFLOW } from '@agentflow/schemas';
import { optionsOf, runAction, runLlm, runTool, type SessionLink, type TrackerCore } from './actions.js';
import { GuardStopError, notConfigured, type GuardAnswer } from './guard.js';
import { injectInto } from './propagation.js';
import { isThenable, quietly } from './run-in-span.js';
import type {
  ActionHandle, ActionOptions, AgentSession, DecisionInfo, LlmCall, LlmOptions, MessageInfo, StateOptions, ToolCall, ToolOptions,
} from './types.js';
import { count, finite, json, MAX_TEXT, put, text, textList, unitInterval } from './values.js';

/** Context key of the session a context belongs to (set on the session span's context). */
const SESSION_KEY = createContextKey('@agentflow/instrumentation session');

/** The session of `ctx`, if it belongs to one this package started. */
export function sessionOf(ctx: Context): Session | undefined {
  const value = ctx.getValue(SESSION_KEY);
  return value instanceof Session ? value : undefined;
}

/** A running session: the `invoke_agent` span, its context and what the session remembers. */
export class Session implements AgentSession, SessionLink {
  readonly span: Span;
  /** The session span's context, with this session in it. */
  readonly context: Context;
  readonly #core: TrackerCore;
  #state: string | undefined;
  #retry: number | undefined;
  /** The guard's last answer for this session, refreshed after each call when calls may be stopped. */
  #verdict: GuardAnswer | undefined;
  #asking = false;

  constructor(core: TrackerCore, span: Span, parent: Context) {
    this.#core = core;
    this.span = span;
    this.context = trace.setSpan(parent, span).setValue(SESSION_KEY, this);
  }

  get sessionId(): string {
    return this.span.spanContext().spanId;
  }

  get traceId(): string {
    return this.span.spanContext().traceId;
  }

  get currentState(): string | undefined {
    return this.#state;
  }

  actionParent(): Context {
    const active = context.active();
    return active.getValue(SESSION_KEY) === this ? active : this.context;
  }

  takeRetry(): number | undefined {
    const attempt = this.#retry;
    this.#retry = undefined;
    return attempt;
  }

  /** Where decisions and messages go: this session's span active in the current context, else the session span. */
  #eventSpan(): Span {
    const active = context.active();
    return (active.getValue(SESSION_KEY) === this ? trace.getSpan(active) : undefined) ?? this.span;
  }

  state(to: string, options?: StateOptions): void {
    quietly(() => {
      const toState = text(to);
      if (toState === undefined) return;
      const o = optionsOf(options);
      const a: Attributes = { [AGENTFLOW.STATE_TO]: toState };
      put(a, AGENTFLOW.STATE_FROM, text(o.from) ?? this.#state);
      put(a, AGENTFLOW.STATE_REASON, text(o.reason));
      put(a, AGENTFLOW.STATE_TRANSITION_TYPE, text(o.transitionType));
      this.#state = toState;
      this.span.addEvent(AGENTFLOW.STATE_EVENT, a);
    });
  }

  decision(decision: DecisionInfo): void {
    quietly(() => {
      const d = optionsOf(decision);
      const options = textList(d.options);
      let chosen = text(d.chosen) ?? (typeof d.chosen === 'object' && d.chosen !== null ? json(d.chosen, MAX_TEXT) : undefined);
      const index = finite(d.chosenIndex);
      const valid = index !== undefined && Number.isInteger(index) && index >= 0 && (options === undefined || index < options.length);
      let chosenIndex = valid ? index : undefined;
      if (chosenIndex === undefined && chosen !== undefined && options !== undefined && options.includes(chosen)) {
        chosenIndex = options.indexOf(chosen);
      }
      if (chosen === undefined && chosenIndex !== undefined) chosen = options?.[chosenIndex];
      const a: Attributes = {};
      put(a, AGENTFLOW.DECISION_TYPE, text(d.type));
      put(a, AGENTFLOW.DECISION_QUESTION, text(d.question));
      put(a, AGENTFLOW.DECISION_OPTIONS, options);
      put(a, AGENTFLOW.DECISION_CHOSEN, chosen);
      put(a, AGENTFLOW.DECISION_CHOSEN_INDEX, chosenIndex);
      put(a, AGENTFLOW.DECISION_REASONING, text(d.reasoning));
      put(a, AGENTFLOW.DECISION_CONFIDENCE, unitInterval(d.confidence));
      put(a, AGENTFLOW.DECISION_METHOD, text(d.method));
      // A decision with nothing usable in it says nothing: dropped.
      if (Object.keys(a).length > 0) this.#eventSpan().addEvent(AGENTFLOW.DECISION_EVENT, a);
    });
  }

  message(message: MessageInfo): void {
    quietly(() => {
      const m = optionsOf(message);
      const a: Attributes = {};
      put(a, AGENTFLOW.MESSAGE_TO_AGENT, text(m.toAgent));
      put(a, AGENTFLOW.MESSAGE_TYPE, text(m.type));
      put(a, AGENTFLOW.MESSAGE_REQUEST_ID, text(m.requestId));
      put(a, AGENTFLOW.MESSAGE_IN_RESPONSE_TO, text(m.inResponseTo));
      put(a, AGENTFLOW.MESSAGE_CHANNEL, text(m.channel));
      if (Object.keys(a).length > 0) this.#eventSpan().addEvent(AGENTFLOW.MESSAGE_EVENT, a);
    });
  }

  retry(attempt: number): void {
    const n = count(attempt);
    if (n !== undefined) this.#retry = n;
  }

  llm<T>(options: LlmOptions, fn: (call: LlmCall) => T): T {
    this.#stopIfTold();
    return this.#thenAsk(runLlm(this.#core, this, options, fn));
  }

  tool<T>(options: ToolOptions, fn: (call: ToolCall) => T): T {
    this.#stopIfTold();
    return this.#thenAsk(runTool(this.#core, this, options, fn));
  }

  guard(): Promise<GuardAnswer> {
    const ask = this.#core.guard;
    if (!ask) return Promise.resolve(notConfigured());
    return ask(this.sessionId).then((answer) => {
      this.#verdict = answer;
      return answer;
    });
  }

  /** With `stopBeforeCalls`: the last verdict was `stop`, so the next call is not made. */
  #stopIfTold(): void {
    if (this.#core.stopBeforeCalls && this.#verdict?.verdict === 'stop') throw new GuardStopError(this.#verdict);
  }

  /** With `stopBeforeCalls`: asks the guard again once the call is done, in the background (one question at a time). */
  #thenAsk<T>(result: T): T {
    if (!this.#core.stopBeforeCalls) return result;
    const refresh = (): void => {
      if (this.#asking) return;
      this.#asking = true;
      void this.guard().finally(() => {
        this.#asking = false;
      });
    };
    if (isThenable(result)) result.then(refresh, refresh);
    else refresh();
    return result;
  }

  action<T>(type: string, name: string, fn: (action: ActionHandle) => T, options?: ActionOptions): T {
    return runAction(this.#core, this, type, name, fn, options);
  }

  injectContext<C extends object = Record<string, string>>(carrier?: C): C {
    return injectInto(carrier, this.actionParent());
  }
}
