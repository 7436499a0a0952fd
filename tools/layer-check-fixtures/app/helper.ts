export const helper = (value: string): string => value.trim();
