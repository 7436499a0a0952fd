// Forbidden: a screen importing the store, which would run it (and its key) on the screens' thread.
import { keyHolder } from './store/key-holder';
export const y = keyHolder;
