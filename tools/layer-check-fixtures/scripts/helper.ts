export const scriptHelper = 'scripts';
