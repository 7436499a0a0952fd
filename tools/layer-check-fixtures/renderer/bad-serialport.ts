// renderer-no-node-packages + not-to-unresolvable: serialport (not installed)
import { SerialPort } from 'serialport';

export const port = SerialPort;
