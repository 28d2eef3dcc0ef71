// A thread of the password pool (auth/password-pool.ts): scrypt-kdf, one hash or verify at a time.
// Plain JavaScript, so that the thread loads the same under tsx, Jest and compiled code.
import * as ScryptModule from 'scrypt-kdf';

// scrypt-kdf 4 exports one default object at run time, while its typings declare named functions.
const Scrypt = ScryptModule.default ?? ScryptModule;

export default async function scryptTask(task) {
  if (task.op === 'hash') return Buffer.from(await Scrypt.kdf(task.password, task.params)).toString('base64');
  try {
    return await Scrypt.verify(Buffer.from(task.hash, 'base64'), task.password);
  } catch {
    return false;
  }
}
