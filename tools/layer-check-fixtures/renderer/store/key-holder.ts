// Stands for the store: it holds the data key.
export const keyHolder = 1;
