// no-non-package-json: picomatch is in node_modules only as a dependency of other packages
import picomatch from 'picomatch';

export const match = picomatch;
