// Allowed: main/electron/ is the one place that loads electron at runtime.
import { app, BrowserWindow } from 'electron';
import { compose } from '../ok-compose';

export const start = (): void => {
  compose();
  void app.whenReady().then(() => new BrowserWindow());
};
