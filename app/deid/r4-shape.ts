import r4 from 'fhirpath/fhir-context/r4';

/**
 * Whether a record is shaped as FHIR R4 says, by fhirpath.js's R4 model:
 * a known resource type, every key an element of its type (choice keys
 * like `valueQuantity` included), arrays where elements repeat and only
 * there, objects for complex types, JSON primitives of the right kind for
 * primitive ones. De-identification runs only on records that pass:
 * rules select elements by type, so a name written where FHIR has none
 * (`subject: "Patient/Mary Banda"`, a `text` that is a string) would be
 * passed over by every rule. Failing closed, such a record is refused.
 * The problem names the model's path, never a key or a value of the record.
 */

interface R4Model {
  path2Type: Record<string, string>;
  path2Repeating: Record<string, boolean>;
  choiceTypePaths: Record<string, string[]>;
  pathsDefinedElsewhere: Record<string, string>;
  type2Parent: Record<string, string>;
}

const model = r4 as unknown as R4Model;

const numberTypes = new Set(['decimal', 'integer', 'positiveInt', 'unsignedInt', 'System.Integer', 'System.Decimal']);
const booleanTypes = new Set(['boolean', 'System.Boolean']);

const isPrimitive = (type: string) => /^[a-z]/.test(type) || type.startsWith('System.');

function isResourceType(type: string): boolean {
  for (let at: string | undefined = type; at !== undefined; at = model.type2Parent[at]) if (at === 'Resource') return true;
  return false;
}

const capitalized = (type: string) => type.charAt(0).toUpperCase() + type.slice(1);

/** The element `key` of the type or backbone at `base`, looked up there and in the types it derives from. */
function elementOf(base: string, ownType: string, key: string): { path: string; type: string } | undefined {
  const bases: string[] = [base];
  for (let at: string | undefined = ownType; at !== undefined; at = model.type2Parent[at]) if (at !== base) bases.push(at);
  for (const candidate of bases) {
    const path = `${candidate}.${key}`;
    const type = model.path2Type[path];
    if (type !== undefined && !model.choiceTypePaths[path]) return { path, type };
    // A choice: `valueQuantity` is `value` of type Quantity.
    for (const [stem, types] of choiceStems(candidate)) {
      if (!key.startsWith(stem)) continue;
      const typeName = types.find((t) => capitalized(t) === key.slice(stem.length));
      if (typeName !== undefined) return { path: `${candidate}.${stem}`, type: /^[A-Z][a-z]/.test(typeName) && isPrimitiveName(typeName) ? typeName.charAt(0).toLowerCase() + typeName.slice(1) : typeName };
    }
  }
  return undefined;
}

const primitiveNames = new Set(Object.keys(model.type2Parent).filter((type) => /^[a-z]/.test(type)));
function isPrimitiveName(type: string): boolean {
  return primitiveNames.has(type.charAt(0).toLowerCase() + type.slice(1));
}

const stemsByBase = new Map<string, [string, string[]][]>();
function choiceStems(base: string): [string, string[]][] {
  let stems = stemsByBase.get(base);
  if (stems === undefined) {
    stems = Object.entries(model.choiceTypePaths)
      .filter(([path]) => path.startsWith(`${base}.`) && !path.slice(base.length + 1).includes('.'))
      .map(([path, types]) => [path.slice(base.length + 1), types]);
    stemsByBase.set(base, stems);
  }
  return stems;
}

function primitiveProblem(value: unknown, type: string): boolean {
  if (numberTypes.has(type)) return typeof value !== 'number' || !Number.isFinite(value);
  if (booleanTypes.has(type)) return typeof value !== 'boolean';
  return typeof value !== 'string';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A primitive's own `_key`: an Element (id, extensions), or for a repeating one an array of them or nulls. */
/** Called for every element of a record that passes, with its FHIR type, the model's path and where it is in the JSON. */
export type R4Visitor = (value: unknown, type: string, modelPath: string, jsonPath: string) => void;

function elementExtensionProblem(value: unknown, path: string, repeating: boolean, jsonPath: string, visit: R4Visitor | undefined): string | undefined {
  const items: unknown[] = repeating && Array.isArray(value) ? value : [value];
  if (!repeating && Array.isArray(value)) return path;
  for (const [i, item] of items.entries()) {
    if (item === null && repeating) continue;
    if (!isObject(item)) return path;
    for (const [key, inner] of Object.entries(item)) {
      if (key === 'id' && typeof inner === 'string') continue;
      if (key === 'extension' && Array.isArray(inner)) {
        for (const [j, extension] of inner.entries()) {
          const problem = shapeProblemAt(extension, 'Extension', 'Extension', `${path}.extension`, `${jsonPath}${repeating ? `[${i}]` : ''}.extension[${j}]`, visit);
          if (problem !== undefined) return problem;
        }
        continue;
      }
      return path;
    }
  }
  return undefined;
}

function shapeProblemAt(value: unknown, type: string, base: string, where: string, jsonPath: string, visit: R4Visitor | undefined): string | undefined {
  if (isPrimitive(type)) {
    if (primitiveProblem(value, type)) return where;
    visit?.(value, type, where, jsonPath);
    return undefined;
  }
  if (!isObject(value)) return where;
  let ownType = type;
  let ownBase = base;
  if (type === 'Resource' || isResourceType(type)) {
    const resourceType = value['resourceType'];
    if (typeof resourceType !== 'string' || !isResourceType(resourceType) || resourceType === 'Resource' || resourceType === 'DomainResource') return `${where} (not a FHIR R4 resource type)`;
    if (type !== 'Resource' && resourceType !== type) return where;
    ownType = resourceType;
    ownBase = resourceType;
  }
  visit?.(value, ownType === 'BackboneElement' ? base : ownType, where, jsonPath);
  for (const [key, item] of Object.entries(value)) {
    if (key === 'resourceType' && ownBase === ownType && isResourceType(ownType)) continue;
    const primitiveKey = key.startsWith('_') ? key.slice(1) : undefined;
    const element = elementOf(ownBase, ownType, primitiveKey ?? key);
    if (element === undefined) return `${ownBase} (an element FHIR R4 does not have)`;
    const repeating = model.path2Repeating[element.path] === true;
    if (primitiveKey !== undefined) {
      if (!isPrimitive(element.type)) return element.path;
      const problem = elementExtensionProblem(item, element.path, repeating, `${jsonPath}.${key}`, visit);
      if (problem !== undefined) return problem;
      continue;
    }
    if (repeating !== Array.isArray(item)) return element.path;
    const elsewhere = model.pathsDefinedElsewhere[element.path];
    const childBase = elsewhere ?? (element.type === 'BackboneElement' || element.type === 'Element' ? element.path : element.type);
    const entries: unknown[] = Array.isArray(item) ? item : [item];
    for (const [i, entry] of entries.entries()) {
      const at = `${jsonPath}.${key}${Array.isArray(item) ? `[${i}]` : ''}`;
      const problem = shapeProblemAt(entry, element.type === 'Element' || element.type === 'BackboneElement' ? 'BackboneElement' : element.type, childBase, element.path, at, visit);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

/** Where the record departs from FHIR R4's shape (a path of the model), or undefined when it does not. */
export function r4ShapeProblem(resource: unknown): string | undefined {
  return shapeProblemAt(resource, 'Resource', 'Resource', 'the record', '', undefined);
}

/**
 * Visits every element of a record with its FHIR type (a backbone element
 * by its model path), the model's path and its JSON path (`Bundle.entry[2].resource.name[0]`,
 * element names and indices only); the shape problem if the record has one,
 * in which case not every element was visited.
 */
export function walkR4(resource: unknown, visit: R4Visitor): string | undefined {
  const type = isObject(resource) && typeof resource['resourceType'] === 'string' ? resource['resourceType'] : 'Resource';
  return shapeProblemAt(resource, 'Resource', 'Resource', 'the record', isResourceType(type) ? type : 'the record', visit);
}
