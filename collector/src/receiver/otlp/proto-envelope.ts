import { RESOURCE as RESOURCE_KEYS, type AttributeMap } from '@agentflow/schemas';
import type { ResultBuilder } from './decode-result.js';
import { messageShape, type MessageShape, type ProtoReader, WIRE } from './proto-reader.js';
import { readResource, readScope } from './proto-values.js';
import type { ScopeInfo } from './scope-info.js';
import { newAttributeMap } from './value-format.js';

/** The row fields the envelope fills in once the resource or scope is known. */
export interface EnvelopeRow {
  serviceName: string;
  scopeName: string;
  scopeVersion: string;
}

/**
 * Reads one item (a span, a log record) at the reader's position into `out`; `index` counts the
 * items of its scope, for rejection messages.
 */
export type ItemReader = (resourceAttributes: AttributeMap, scope: ScopeInfo, index: number) => void;

/** The three envelope messages of one signal, for wire-type checks and error messages. */
export interface EnvelopeShapes {
  request: MessageShape;
  resource: MessageShape;
  scope: MessageShape;
}

/** Envelope shapes named after the signal: `Export<Signal>ServiceRequest`, `Resource<Items>`, `Scope<Items>`. */
export function envelopeShapes(signal: string, items: string): EnvelopeShapes {
  const { LEN } = WIRE;
  return {
    request: messageShape(`Export${signal}ServiceRequest`, { 1: LEN }),
    resource: messageShape(`Resource${items}`, { 1: LEN, 2: LEN, 3: LEN }),
    scope: messageShape(`Scope${items}`, { 1: LEN, 2: LEN, 3: LEN }),
  };
}

/**
 * Walks the envelope every OTLP export shares — request { 1 repeated Resource* { 1 resource,
 * 2 repeated Scope* { 1 scope, 2 repeated item } } } — handing each item to `readItem`.
 * Protobuf allows fields in any order, so a resource or scope may follow its items: the rows
 * already read then get the service name and scope afterwards.
 */
export function readEnvelope<Row extends EnvelopeRow>(
  r: ProtoReader,
  out: ResultBuilder<Row>,
  shapes: EnvelopeShapes,
  keepScopeAttributes: boolean,
  readItem: ItemReader,
): void {
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === 10) readResourceGroup(r, out, shapes, keepScopeAttributes, readItem);
    else r.skip(tag, shapes.request);
  }
}

function readResourceGroup<Row extends EnvelopeRow>(
  r: ProtoReader, out: ResultBuilder<Row>, shapes: EnvelopeShapes, keepScopeAttributes: boolean, readItem: ItemReader,
): void {
  const outer = r.enter();
  const first = out.rows.length;
  // Rows reference this map before it is complete when the resource follows its items.
  const resourceAttributes: AttributeMap = newAttributeMap();
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === 10) readResource(r, resourceAttributes);
    else if (tag === 18) readScopeGroup(r, out, shapes, keepScopeAttributes, resourceAttributes, readItem);
    else r.skip(tag, shapes.resource);
  }
  r.leave(outer);
  const serviceName = resourceAttributes[RESOURCE_KEYS.SERVICE_NAME] ?? '';
  if (serviceName !== '') for (let i = first; i < out.rows.length; i++) out.rows[i]!.serviceName = serviceName;
}

function readScopeGroup<Row extends EnvelopeRow>(
  r: ProtoReader, out: ResultBuilder<Row>, shapes: EnvelopeShapes, keepScopeAttributes: boolean,
  resourceAttributes: AttributeMap, readItem: ItemReader,
): void {
  const outer = r.enter();
  const first = out.rows.length;
  const scope: ScopeInfo = { name: '', version: '', attributes: keepScopeAttributes ? newAttributeMap() : null };
  let index = 0;
  let scopeAfterItems = false;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === 18) readItem(resourceAttributes, scope, index++);
    else if (tag === 10) {
      readScope(r, scope);
      scopeAfterItems = index > 0;
    } else r.skip(tag, shapes.scope);
  }
  r.leave(outer);
  if (scopeAfterItems) {
    for (let i = first; i < out.rows.length; i++) {
      out.rows[i]!.scopeName = scope.name;
      out.rows[i]!.scopeVersion = scope.version;
    }
  }
}
