// Allowed: the store's error class is a plain value the screens put into words.
import { StoreError } from './store/store-error';
export const z = new StoreError();
