import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import type { Configuration, TargetConfigType } from 'electron-builder';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';

// js-yaml is the parser electron-builder itself reads electron-builder.yml
// with (app-builder-lib/out/util/config/load.js), so the test sees the same
// values the build does.

const projectFile = (name: string): URL => new URL(`../${name}`, import.meta.url);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJsonObject(url: URL): SchemaObject {
  const parsed: unknown = JSON.parse(readFileSync(url, 'utf8'));
  if (!isRecord(parsed)) throw new Error(`${url.pathname} is not a JSON object`);
  return parsed;
}

// electron-builder's own schema for its configuration (draft-07, the dialect
// Ajv's default class speaks).
const schema = readJsonObject(projectFile('node_modules/app-builder-lib/scheme.json'));

function compileSchema(): ValidateFunction<Configuration> {
  // Ajv stays in strict mode so that a schema it cannot understand fails here
  // rather than silently validating less. Two allowances are needed:
  //  - the schema uses union types ("type": ["string", "null"]);
  //  - it uses the "typeof" keyword (from ajv-keywords) for options that take
  //    a function, e.g. custom sign hooks. It is defined here with its
  //    ajv-keywords meaning instead of being ignored.
  // electron-builder validates with { strict: false, coerceTypes: true }; this
  // validator does not coerce, so it is stricter: "true" is not a boolean here.
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  ajv.addKeyword({
    keyword: 'typeof',
    schemaType: 'string',
    validate: (expected: string, data: unknown) => typeof data === expected,
  });
  return ajv.compile<Configuration>(schema);
}

const validate = compileSchema();

function readConfig(): unknown {
  return parseYaml(readFileSync(projectFile('electron-builder.yml'), 'utf8'));
}

function errorsOf(data: unknown): ErrorObject[] {
  return validate(data) ? [] : (validate.errors ?? []);
}

function loadValidConfig(): Configuration {
  const data = readConfig();
  if (!validate(data)) {
    throw new Error(`electron-builder.yml does not match the schema:\n${JSON.stringify(validate.errors, null, 2)}`);
  }
  return data;
}

function targetNames(target: TargetConfigType | undefined): string[] {
  if (target == null) return [];
  const entries = Array.isArray(target) ? target : [target];
  return entries.map((entry) => (typeof entry === 'string' ? entry : entry.target));
}

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s JSON schema', () => {
    expect(errorsOf(readConfig())).toEqual([]);
  });

  describe('the schema check bites', () => {
    it('rejects an unknown top-level key', () => {
      const data = readConfig();
      if (!isRecord(data)) throw new Error('electron-builder.yml is not a mapping');
      const errors = errorsOf({ ...data, appID: 'org.clinicworkstation.app' });
      expect(errors).toContainEqual(
        expect.objectContaining({ instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'appID' } }),
      );
    });

    it('rejects a wrong-typed field', () => {
      const data = readConfig();
      if (!isRecord(data) || !isRecord(data['nsis'])) throw new Error('electron-builder.yml has no nsis mapping');
      // A string where a boolean belongs; "no" is not coerced even by
      // electron-builder's coercing validator.
      const errors = errorsOf({ ...data, nsis: { ...data['nsis'], oneClick: 'no' } });
      expect(errors).toContainEqual(
        expect.objectContaining({ instancePath: '/nsis/oneClick', keyword: 'type', params: { type: 'boolean' } }),
      );
    });

    it('rejects a misspelled nested option', () => {
      const data = readConfig();
      if (!isRecord(data) || !isRecord(data['deb'])) throw new Error('electron-builder.yml has no deb mapping');
      const { depends, ...rest } = data['deb'];
      const errors = errorsOf({ ...data, deb: { ...rest, dependencies: depends } });
      expect(errors).toContainEqual(
        expect.objectContaining({ instancePath: '/deb', keyword: 'additionalProperties', params: { additionalProperty: 'dependencies' } }),
      );
    });
  });

  it('makes the deb package depend on libusb-1.0-0 and keeps electron-builder’s default deb dependencies', () => {
    const depends = loadValidConfig().deb?.depends ?? [];
    expect(depends).toContain('libusb-1.0-0');
    // "depends" replaces electron-builder's defaults (FpmTarget.getDefaultDepends("deb")),
    // so they must all still be listed for Electron itself to run.
    for (const library of ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0']) {
      expect(depends).toContain(library);
    }
  });

  it('builds AppImage and deb on Linux, NSIS on Windows and dmg on macOS', () => {
    const config = loadValidConfig();
    expect(targetNames(config.linux?.target).sort()).toEqual(['AppImage', 'deb']);
    expect(targetNames(config.win?.target)).toEqual(['nsis']);
    expect(targetNames(config.mac?.target)).toEqual(['dmg']);
  });

  it('offers a per-user or per-machine NSIS install rather than a one-click one', () => {
    const { nsis } = loadValidConfig();
    expect(nsis?.oneClick).toBe(false);
    expect(nsis?.perMachine).toBe(false);
  });

  it('identifies the app and packs it into an asar archive', () => {
    const config = loadValidConfig();
    expect(config.appId).toBe('org.clinicworkstation.app');
    expect(config.productName).toBe('Clinic Workstation');
    expect(config.asar).toBe(true);
    expect(config.directories?.output).toBe('release');
    expect(config.mac?.category).toBe('public.app-category.medical');
  });
});
