import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';

/**
 * The elements a FHIRPath expression selects in a resource, as places that
 * can be changed: the object holding the element, its JSON key, its index
 * when it repeats. fhirpath.js answers with its own nodes (with
 * `resolveInternalTypes: false`): each knows its parent's data, its property
 * name and index, and its FHIR type. A choice element (`value[x]`) is named
 * by its stem on some paths (`value`) and by its JSON key on others
 * (`valueQuantity`); the key is found from the parent either way.
 */

export interface NodePlace {
  parent: Record<string, unknown>;
  /** The JSON key in `parent`: `valueQuantity`, not `value`. */
  key: string;
  /** The position in the array under `key`, when the element repeats. */
  index: number | undefined;
  /** FHIR's type of the element (`date`, `HumanName`, `Reference`…), when fhirpath.js knows it. */
  type: string | undefined;
  value: unknown;
  /** fhirpath.js's own node, typed: an expression evaluated on it (`evaluateOn`) sees the element as FHIR does. */
  node?: unknown;
}

/** What this module reads of a fhirpath.js node; checked, since the library does not export its type. */
interface NodeShape {
  data: unknown;
  propName: string;
  index: number | null | undefined;
  fhirNodeDataType: string | null | undefined;
  parentResNode: { data: unknown } | null | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNode(value: unknown): value is NodeShape {
  return isObject(value) && 'data' in value && typeof value['propName'] === 'string' && 'parentResNode' in value;
}

type Evaluator = (resource: unknown) => unknown[];
const evaluators = new Map<string, Evaluator>();

/** The expression compiled once (rules are applied to every resource of an export). Throws when it is not FHIRPath. */
export function compilePath(path: string): Evaluator {
  const known = evaluators.get(path);
  if (known) return known;
  const evaluate = fhirpath.compile(path, r4, { resolveInternalTypes: false }) as unknown as Evaluator;
  evaluators.set(path, evaluate);
  return evaluate;
}

/** The JSON key the node is under: its property name, or the choice key that starts with it and holds its data. */
function keyOf(parent: Record<string, unknown>, node: NodeShape): string | undefined {
  const holds = (key: string) => {
    const held = parent[key];
    if (Array.isArray(held)) return node.index !== null && node.index !== undefined && held[node.index] === node.data;
    return held === node.data;
  };
  if (node.propName in parent && holds(node.propName)) return node.propName;
  return Object.keys(parent).find((key) => key.startsWith(node.propName) && /^[A-Z]/.test(key.slice(node.propName.length)) && holds(key));
}

interface ModelTypes {
  type2Parent: Record<string, string>;
}

/** Whether `type` is `wanted` or derives from it (`code` is a `string`, `Age` a `Quantity`), as FHIRPath's ofType() reads it. */
function isOfType(type: string | null | undefined, wanted: string): boolean {
  for (let at = type ?? undefined; at !== undefined; at = (r4 as unknown as ModelTypes).type2Parent[at]) if (at === wanted) return true;
  return false;
}

/**
 * Every typed node under a resource, found once (`descendants()`): rules of
 * the form `descendants().ofType(T)…` filter them instead of each walking
 * the whole resource again (two thirds of a Safe Harbor run went to those
 * walks). Nodes are found before the rules change anything; a node a rule
 * has since removed or replaced no longer sits where it was found, and
 * `selectNodes` passes it over, as a fresh walk would not see it.
 */
export class DescendantIndex {
  private nodes: NodeShape[] | undefined;
  private readonly byType = new Map<string, NodeShape[]>();
  private readonly byName = new Map<string, NodeShape[]>();

  constructor(private readonly resource: object) {}

  private all(): NodeShape[] {
    return (this.nodes ??= compilePath('descendants()')(this.resource).filter(isNode));
  }

  /** `descendants().ofType(type)`. */
  ofType(type: string): NodeShape[] {
    let found = this.byType.get(type);
    if (found === undefined) {
      found = this.all().filter((node) => isOfType(node.fhirNodeDataType, type));
      this.byType.set(type, found);
    }
    return found;
  }

  /** `descendants().name`: the elements so named whose parent is itself a descendant (not the resource). */
  named(name: string): NodeShape[] {
    let found = this.byName.get(name);
    if (found === undefined) {
      found = this.all().filter((node) => node.propName === name && node.parentResNode?.data !== this.resource);
      this.byName.set(name, found);
    }
    return found;
  }
}

/** A resource type (Resource, DomainResource, Patient…), not a data type. */
function isResourceTypeName(type: string): boolean {
  return isOfType(type, 'Resource');
}

const indexedPath = /^descendants\(\)\.(?:ofType\(([A-Za-z]+)\)|([a-z][A-Za-z]*))(?:\.([\s\S]+))?$/;

/** The nodes `path` selects: from the index when the path starts `descendants().ofType(T)` or `descendants().name`, else by fhirpath.js over the resource. */
function selectedNodes(resource: object, path: string, index: DescendantIndex | undefined): unknown[] {
  // `Patient.contact` selects nothing in an Observation: said without asking fhirpath.js, which would build the Observation's nodes first.
  const rootType = /^([A-Z][A-Za-z]+)\./.exec(path)?.[1];
  const ownType = (resource as { resourceType?: unknown }).resourceType;
  if (rootType !== undefined && typeof ownType === 'string' && rootType !== ownType && isResourceTypeName(rootType) && !isOfType(ownType, rootType)) return [];
  const indexed = index === undefined ? null : indexedPath.exec(path);
  if (indexed === null || index === undefined) return compilePath(path)(resource);
  const nodes = indexed[1] !== undefined ? index.ofType(indexed[1]) : index.named(indexed[2]!);
  const rest = indexed[3];
  if (rest === undefined) return nodes;
  const evaluate = compilePath(rest);
  return nodes.flatMap((node) => evaluate(node));
}

/** The places `path` selects in `resource`; results that are not elements of it (a computed value, a literal) are left out. */
export function selectNodes(resource: object, path: string, index?: DescendantIndex): NodePlace[] {
  const places: NodePlace[] = [];
  for (const node of selectedNodes(resource, path, index)) {
    if (!isNode(node)) continue;
    const parent = node.parentResNode?.data;
    if (!isObject(parent)) continue;
    const key = keyOf(parent, node);
    if (key === undefined) continue;
    places.push({ parent, key, index: Array.isArray(parent[key]) ? (node.index ?? undefined) : undefined, type: node.fhirNodeDataType ?? undefined, value: node.data, node });
  }
  return places;
}

type ValueEvaluator = (data: unknown) => unknown[];
const valueEvaluators = new Map<string, ValueEvaluator>();

/** `expression` evaluated with the element as `$this` (a generalize rule's condition and result), as plain values. */
export function evaluateOn(place: NodePlace, expression: string): unknown[] {
  let evaluate = valueEvaluators.get(expression);
  if (!evaluate) {
    evaluate = fhirpath.compile(expression, r4) as unknown as ValueEvaluator;
    valueEvaluators.set(expression, evaluate);
  }
  return evaluate(place.node ?? place.value);
}

/** The same place (its parent, key and index): a node selected by two rules is handled by the first. */
export function placeId(place: NodePlace): string {
  return `${place.key}#${place.index ?? ''}`;
}

/** Replaces the element's value. */
export function setNode(place: NodePlace, value: unknown): void {
  const held = place.parent[place.key];
  if (Array.isArray(held) && place.index !== undefined) held[place.index] = value;
  else place.parent[place.key] = value;
}

/**
 * Marks the element removed, as `null` (FHIR JSON has no nulls outside a
 * primitive's `_key` array, and FHIRPath reads a null as nothing), so later
 * rules see it gone while every other place keeps its index; `compact`
 * takes the marks out at the end, with the primitive's own extensions
 * (`_key`): they may hold what it held.
 */
export function removeNode(place: NodePlace): void {
  setNode(place, null);
}

const isExtensionKey = (key: string) => key === 'extension' || key === 'modifierExtension';

/** An extension whose value and inner extensions are all gone says nothing (and FHIR's ext-1 refuses it). */
function saysSomething(extension: Record<string, unknown>): boolean {
  return Object.keys(extension).some((key) => key.startsWith('value') || isExtensionKey(key));
}

/** Takes removed elements out (and a primitive's extensions with them), then the arrays and objects left empty (FHIR has no empty ones) and extensions left with nothing to say. */
export function compact(value: Record<string, unknown>): Record<string, unknown> | undefined {
  for (const key of Object.keys(value)) {
    if (key.startsWith('_')) continue;
    const item = value[key];
    const sibling = value[`_${key}`];
    if (item === null) {
      delete value[key];
      delete value[`_${key}`];
    } else if (Array.isArray(item)) {
      const keep = item.map((entry) => entry !== null);
      value[key] = item.filter((_, i) => keep[i]);
      if (Array.isArray(sibling)) value[`_${key}`] = sibling.filter((_, i) => keep[i]);
    }
  }
  for (const [key, item] of Object.entries(value)) {
    if (Array.isArray(item)) {
      const kept: unknown[] = (item as unknown[]).map((entry) => (isObject(entry) ? (compact(entry) ?? null) : entry)).map((entry) => (isExtensionKey(key) && isObject(entry) && !saysSomething(entry) ? null : entry));
      // A primitive's extensions keep their nulls, which line up with its values.
      if (kept.length === 0 || kept.every((entry) => entry === null)) delete value[key];
      else value[key] = key.startsWith('_') ? kept : kept.filter((entry) => entry !== null);
    } else if (isObject(item) && compact(item) === undefined) delete value[key];
  }
  return Object.keys(value).length === 0 ? undefined : value;
}
