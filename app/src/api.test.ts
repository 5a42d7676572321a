import {afterEach, describe, expect, test, vi} from 'vitest';
import {refusal} from './api';
import {setLanguage} from './i18n';

const answer = (status: number, headers: Record<string, string> = {}) => new Response(null, {status, headers});

describe("a server's refusal in the owner's words", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test("a known error code: the catalogue's words, in the language in use", () => {
    expect(refusal(answer(401), {error: 'invalid_credentials', detail: 'wrong phone number or password'}))
      .toBe('Wrong mobile number or password.');
    vi.stubGlobal('localStorage', {getItem: () => 'hi', setItem: () => undefined, removeItem: () => undefined});
    setLanguage('hi');
    expect(refusal(answer(409), {error: 'already_registered'})).toBe('इस फ़ोन नंबर पर पहले से एक दुकान है। लॉग इन करें।');
    expect(refusal(answer(429, {'Retry-After': '30'}), {error: 'rate_limited'})).toBe('बहुत ज़्यादा कोशिशें। 30 सेकंड रुककर फिर कोशिश करें।');
    vi.unstubAllGlobals();
    setLanguage('auto');
  });

  test('refused fields name what to fix; anything else says the status and the detail', () => {
    expect(refusal(answer(422), {error: 'validation_failed', fields: [{field: 'name', message: 'too long'}]}))
      .toBe('The server did not accept this: name: too long');
    expect(refusal(answer(413), {error: 'body_too_large', detail: 'request bodies are limited'}))
      .toBe('The server answered 413: request bodies are limited');
    expect(refusal(answer(502), {})).toBe('The server answered 502.');
    expect(refusal(answer(429), {})).toBe('Too many tries. Please wait and try again.');
  });
});
