import { describe, expect, it } from 'vitest';
import { translateUpstreamError } from './translate.js';

const json = (status: number, body: unknown) => translateUpstreamError(status, 'application/json', Buffer.from(JSON.stringify(body)), {});

describe("translating Django REST framework's error bodies", () => {
  it('turns field errors, nested and non_field_errors included, into validation_error with errors', () => {
    const error = json(400, { name: ['This field is required.'], dimensions: { width: ['A valid number is required.'] }, non_field_errors: ['Pick another pair.'] });
    expect(error.status).toBe(400);
    expect(error).toMatchObject({ errorType: 'validation_error', detail: 'The request does not match what the service accepts.' });
    expect(error.errors).toEqual([
      { location: 'body', path: '/name', message: 'This field is required.' },
      { location: 'body', path: '/dimensions/width', message: 'A valid number is required.' },
      { location: 'body', path: '', message: 'Pick another pair.' },
    ]);
  });

  it('keeps {"detail": …} as the detail, and gives any other object the generic detail', () => {
    expect(json(404, { detail: 'Not found.' })).toMatchObject({ errorType: 'not_found', detail: 'Not found.' });
    expect(json(400, { name: 'not a list' })).toMatchObject({ errorType: 'validation_error', detail: 'The upstream service refused the request (400 Bad Request).' });
    expect(json(400, { name: 'not a list' }).errors).toBeUndefined();
  });
});
