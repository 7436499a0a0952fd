// electron-only-in-main-electron: electron at runtime outside main/electron
import { app } from 'electron';

export const quit = (): void => app.quit();
