// Runs the graphql-http conformance audits (the GraphQL over HTTP spec's MUSTs, SHOULDs and
// MAYs) against a running server and fails unless every audit passes.
// Usage: node scripts/graphql-http-audit.mjs http://127.0.0.1:8080/graphql
// graphql-http and graphql come from scripts/ensure-tools.sh --clients (~/.cache/crm-tools/audit).
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

const tools = process.env.CRM_AUDIT_DIR || join(homedir(), '.cache', 'crm-tools', 'audit');
const require = createRequire(join(tools, 'node_modules', 'noop.js'));
const { auditServer } = require('graphql-http');

const url = process.argv[2];
if (!url) {
  console.error('usage: node scripts/graphql-http-audit.mjs URL');
  process.exit(2);
}
const results = await auditServer({ url });
const ok = results.filter((r) => r.status === 'ok').length;
for (const r of results) {
  if (r.status !== 'ok') {
    console.log(`${r.status.toUpperCase()} ${r.name}: ${r.reason}`);
  }
}
console.log(`${results.length} audits: ${ok} passed, ${results.length - ok} did not`);
process.exit(ok === results.length ? 0 : 1);
