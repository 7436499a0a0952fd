// app-no-platform-packages: react (a DOM-only package)
import { useState } from 'react';

export const hook = useState;
