import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const eslint = new ESLint();

// Loading the configuration (typescript-eslint and the rule) takes seconds on a busy machine;
// it happens once, here, rather than inside the first test's time limit.
beforeAll(() => eslint.calculateConfigForFile('src/domain/a.ts'), 120_000);

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((m) => m.ruleId === 'gatepost/import-boundaries')
    .map((m) => m.message);
}

describe('the layer rule (docs/ARCHITECTURE.md)', () => {
  it.each([
    ['src/domain/a.ts', "import { x } from '../kiosk/b';", 'domain may not import from kiosk'],
    [
      'src/domain/a.ts',
      "import { readFile } from 'node:fs';",
      'domain may not depend on "node:fs"',
    ],
    ['src/domain/a.ts', "import Dexie from 'dexie';", 'domain may not depend on "dexie"'],
    ['src/kiosk/a.tsx', "import { x } from '../office/b';", 'kiosk may not import from office'],
    ['src/kiosk/a.tsx', "const m = import('../office/main');", 'kiosk may not import from office'],
    ['src/server/a.ts', "import { db } from '../data/db';", 'server may not import from data'],
    ['src/ui/a.tsx', "export { x } from '../data/b';", 'ui may not import from data'],
  ])('refuses %s: %s', async (file, code, expected) => {
    const errors = await boundaryErrors(file, code);
    expect(errors.join('\n')).toContain(expected);
  });

  it.each([
    ['src/kiosk/a.tsx', "import { verifyCode } from '../domain/credential/verify';"],
    ['src/server/a.ts', "import { encodeBase45 } from '../domain/base45';"],
    ['src/office/a.tsx', "import { LocaleSwitcher } from '../ui/locale-switcher';"],
    ['src/server/a.ts', "import { readFile } from 'node:fs';"],
  ])('allows %s: %s', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
