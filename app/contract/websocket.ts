/**
 * How the browser-mode WebSocket carries the contract. The launch token rides
 * in the WebSocket subprotocol list, not the URL, so it never lands in a URL
 * log; the page itself receives it in the URL fragment, which is never sent.
 */
export const wsPath = '/api';
export const wsProtocol = 'clinic-api.v1';
export const wsTokenPrefix = 'token.';
/** Close codes (4000-4999 are free for applications). */
export const wsCloseCodes = { unauthorized: 4401, forbiddenOrigin: 4403 } as const;
