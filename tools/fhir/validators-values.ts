import { crawlTypedValue, isPrimitiveType, toTypedValue, type CrawlerVisitor, type TypedValue } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { isUcumUnit } from '../../app/terminology/ucum';
import { r4Definitions } from './validators-definitions';
import type { FhirProblem } from './validators-problem';

/**
 * Our own checks on values that both general validators let through:
 * a Quantity that names UCUM as its system must carry a real UCUM code
 * (`bpm` and `mmHg` are not; `/min` and `mm[Hg]` are), and a date, dateTime
 * or instant must be a day the calendar has (`2025-02-30` is not). The
 * resource is walked with Medplum's typed crawler, so only elements whose
 * FHIR type is a date or a quantity are checked, wherever they are
 * (extensions, components, contained resources).
 */

const UCUM = 'http://unitsofmeasure.org';
/** Quantity and the datatypes built on it. */
const QUANTITY_TYPES = new Set(['Quantity', 'Age', 'Count', 'Distance', 'Duration', 'SimpleQuantity', 'MoneyQuantity']);
const DATE_TYPES = new Set(['date', 'dateTime', 'instant']);

/** A typed value as the crawler hands it over, `path` with array indices (`Patient.name[0].given`). */
type Visited = TypedValue & { path: string };

export function valueProblems(resource: Resource): FhirProblem[] {
  r4Definitions();
  const problems: FhirProblem[] = [];
  try {
    walk(toTypedValue(resource), undefined, problems);
  } catch {
    // A resource the crawler cannot walk (an unknown resourceType, say) is
    // already reported by Medplum's validator; there is nothing to add here.
  }
  return problems;
}

/** Checks every value under `root` (named `rootPath` when it is not a resource), adding what is wrong to `problems`. */
function walk(root: TypedValue, rootPath: string | undefined, problems: FhirProblem[]): void {
  // The crawler names a choice element `value[x]`; receivers and people know
  // it by its JSON name (`valueQuantity`), so each path is rewritten as the
  // walk goes down, parent before child.
  const jsonPaths = new Map<string, string>();
  const visitor: CrawlerVisitor = {
    visitProperty: (parent, _key, _path, propertyValues) => {
      const parentPath = jsonPaths.get(parent.path) ?? parent.path;
      for (const visited of propertyValues.flat() as Visited[]) {
        if (visited.value === undefined) continue;
        const path = parentPath + visited.path.slice(parent.path.length).replace('[x]', capitalised(visited.type));
        jsonPaths.set(visited.path, path);
        problems.push(...checkValue(visited, path));
        // The crawler does not go into a primitive's extensions (`_birthDate`), where an estimated age lives.
        primitiveExtensions(visited).forEach((extension, index) => walk({ type: 'Extension', value: extension }, `${path}.extension[${index}]`, problems));
      }
    },
  };
  crawlTypedValue(root, visitor, rootPath === undefined ? undefined : { initialPath: rootPath });
}

/** A primitive's extensions: Medplum hands over a primitive that has some as a String (or Number, Boolean) object carrying them. */
function primitiveExtensions({ type, value }: Visited): unknown[] {
  if (!isPrimitiveType(type)) return [];
  const extension = (value as { extension?: unknown } | null)?.extension;
  return Array.isArray(extension) ? (extension as unknown[]) : [];
}

function checkValue({ type, value }: Visited, path: string): FhirProblem[] {
  if (QUANTITY_TYPES.has(type)) return ucumProblems(value as unknown, path);
  if (DATE_TYPES.has(type)) {
    const text = primitiveString(value as unknown);
    const problem = text === undefined ? undefined : calendarProblem(text);
    return problem === undefined ? [] : [{ severity: 'error', path, message: `“${text}” ${problem}`, validator: 'dates' }];
  }
  return [];
}

function ucumProblems(quantity: unknown, path: string): FhirProblem[] {
  if (typeof quantity !== 'object' || quantity === null) return [];
  const { system, code } = quantity as { system?: unknown; code?: unknown };
  if (system !== UCUM || typeof code !== 'string' || isUcumUnit(code)) return [];
  return [{ severity: 'error', path: `${path}.code`, message: `“${code}” is not a UCUM unit code (the system says UCUM)`, validator: 'ucum' }];
}

/** A primitive's text; Medplum hands over a primitive that has extensions (`_birthDate`) as a String object. */
function primitiveString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return value instanceof String ? value.valueOf() : undefined;
}

const capitalised = (type: string): string => type.charAt(0).toUpperCase() + type.slice(1);

/**
 * Why `text` is not a real point in the calendar, or undefined when it is.
 * The format itself (four-digit year, two-digit fields) is Medplum's
 * validator's job; a string of another shape is left to it.
 */
export function calendarProblem(text: string): string | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, zone] = match;
  const y = Number(year);
  if (month !== undefined && (Number(month) < 1 || Number(month) > 12)) return `has no month ${month}`;
  if (day !== undefined) {
    const days = daysInMonth(y, Number(month));
    if (Number(day) < 1 || Number(day) > days) return `is not a calendar date: ${monthNames[Number(month) - 1]} ${y} has ${days} days`;
  }
  if (hour !== undefined && Number(hour) > 23) return `has no hour ${hour}`;
  if (minute !== undefined && Number(minute) > 59) return `has no minute ${minute}`;
  // 60 is FHIR's leap second.
  if (second !== undefined && Number(second) > 60) return `has no second ${second}`;
  // FHIR: "If hours and minutes are specified, a time zone SHALL be populated".
  if (hour !== undefined && zone === undefined) return 'has a time of day but no time zone';
  if (zone !== undefined && zone !== 'Z' && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(4)) > 59)) return `has no time zone ${zone}`;
  return undefined;
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
