export const e2eHelper = 'e2e';
