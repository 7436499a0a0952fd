// electron-only-in-main-electron: a dynamic import() loads electron at runtime too
export const load = async (): Promise<unknown> => import('electron');
