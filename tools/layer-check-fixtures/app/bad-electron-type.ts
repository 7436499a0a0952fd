// app-no-platform-packages: electron, even type-only
import type { WebContents } from 'electron';

export type Contents = WebContents;
