export const shared = 'not a layer';
