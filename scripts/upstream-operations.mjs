// Writes generated/upstream.ts: the operationIds openapi.yaml sends upstream (x-specgate-upstream on
// the operation, its path item or the document), which the handler map's type does not require.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The text of generated/upstream.ts (without the do-not-edit header) for a spec file. */
export function upstreamTypes(specPath) {
  const document = parse(readFileSync(specPath, 'utf8'));
  const ids = [];
  for (const item of Object.values(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!operation?.operationId) continue;
      if ((operation['x-specgate-upstream'] ?? item['x-specgate-upstream'] ?? document['x-specgate-upstream']) !== undefined) ids.push(operation.operationId);
    }
  }
  const union = ids.length === 0 ? 'never' : ids.map((id) => `'${id}'`).join(' | ');
  return `/** The operationIds openapi.yaml sends upstream (x-specgate-upstream): no handler is written for them. */\nexport type UpstreamOperationId = ${union};\n`;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const root = new URL('..', import.meta.url).pathname;
  writeFileSync(`${root}generated/upstream.ts`, upstreamTypes(`${root}openapi.yaml`));
}
