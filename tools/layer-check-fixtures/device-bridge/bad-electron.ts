// electron-only-in-main-electron: electron at runtime outside main/electron
import { BrowserWindow } from 'electron';

export const Window = BrowserWindow;
