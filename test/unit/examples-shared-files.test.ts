/**
 * Each example (examples/*-login) is a folder a developer copies alone, so the parts that do not
 * depend on the web framework — the login and account linking (login-flow.js), the page, the
 * tests and the start script — are deliberately in each of them. They must not drift apart:
 * a fix made in one example is made in all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const EXAMPLES = resolve(import.meta.dirname, '../../examples');
const SHARED = ['login-flow.js', 'server.js', 'public/index.html', 'public/login.js', 'test/login.test.js', 'test/login-flow.test.js'];

describe('the examples', () => {
  const examples = readdirSync(EXAMPLES).filter((name) => name.endsWith('-login'));

  it('are Express and Fastify, each with its own site.js', () => {
    expect(examples.sort()).toEqual(['express-login', 'fastify-login']);
    const sites = examples.map((name) => readFileSync(join(EXAMPLES, name, 'site.js'), 'utf8'));
    expect(sites[0]).toMatch(/from 'express'/);
    expect(sites[1]).toMatch(/from 'fastify'/);
  });

  it.each(SHARED)('have the same %s, byte for byte', (file) => {
    const [first, ...others] = examples.map((name) => readFileSync(join(EXAMPLES, name, file), 'utf8'));
    for (const other of others) expect(other).toBe(first);
  });
});
