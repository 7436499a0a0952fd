export const toolHelper = 'tools';
