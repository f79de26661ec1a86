// Writes a minimal, inert PE32+ file whose only content is a VS_VERSION_INFO resource, so that
// example evidence can carry an `ExSetup.exe` with a real version resource. The file has no
// code section and cannot run. Layout facts: Microsoft's PE format specification (resource
// directory tables) and the VS_VERSIONINFO / VS_FIXEDFILEINFO structure documentation.

function utf16z(s) {
  return Buffer.from(`${s}\0`, 'utf16le');
}

function pad4(buf) {
  const rem = buf.length % 4;
  return rem === 0 ? buf : Buffer.concat([buf, Buffer.alloc(4 - rem)]);
}

/** One version-info block: wLength, wValueLength, wType, szKey, padding, value, padding, children. */
function block(key, value, valueIsText, children = []) {
  const head = Buffer.alloc(6);
  const keyBuf = pad4(Buffer.concat([head, utf16z(key)]));
  const valBuf = value ? pad4(value) : Buffer.alloc(0);
  const body = Buffer.concat([keyBuf, valBuf, ...children.map(pad4)]);
  body.writeUInt16LE(body.length, 0);
  const valueLength = value ? (valueIsText ? value.length / 2 : value.length) : 0;
  body.writeUInt16LE(valueLength, 2);
  body.writeUInt16LE(valueIsText ? 1 : 0, 4);
  return body;
}

function versionInfo(version) {
  const [a, b, c, d] = version.split('.').map((x) => Number(x));
  const fixed = Buffer.alloc(52);
  fixed.writeUInt32LE(0xfeef04bd, 0);
  fixed.writeUInt32LE(0x00010000, 4);
  fixed.writeUInt32LE(((a & 0xffff) << 16) | (b & 0xffff), 8);
  fixed.writeUInt32LE(((c & 0xffff) << 16) | (d & 0xffff), 12);
  fixed.writeUInt32LE(((a & 0xffff) << 16) | (b & 0xffff), 16);
  fixed.writeUInt32LE(((c & 0xffff) << 16) | (d & 0xffff), 20);
  fixed.writeUInt32LE(0x3f, 24);
  fixed.writeUInt32LE(0x40004, 32); // VOS_NT_WINDOWS32
  fixed.writeUInt32LE(1, 36); // VFT_APP
  const text = (s) => utf16z(s);
  const strings = [
    ['CompanyName', 'Microsoft Corporation'],
    ['FileDescription', 'Exchange Setup (example evidence, inert)'],
    ['FileVersion', `${String(a).padStart(2, '0')}.${String(b).padStart(2, '0')}.${String(c).padStart(4, '0')}.${String(d).padStart(3, '0')}`],
    ['ProductName', 'Microsoft Exchange'],
  ].map(([k, v]) => block(k, text(v), true));
  const table = block('040904B0', null, true, strings);
  const sfi = block('StringFileInfo', null, true, [table]);
  return block('VS_VERSION_INFO', fixed, false, [sfi]);
}

/** Builds the PE bytes: DOS header, PE header, one `.rsrc` section holding RT_VERSION. */
export function buildVersionedPe(version) {
  const vi = versionInfo(version);
  const fileAlign = 0x200;
  const sectRva = 0x1000;
  const headersSize = 0x200;
  // Resource tree: root(type 16) -> id 1 -> lang 0x409 -> data entry.
  const dirs = Buffer.alloc(16 + 8 + 16 + 8 + 16 + 8 + 16);
  let o = 0;
  const dir = (off, nextOff, isLeaf, id) => {
    dirs.writeUInt16LE(1, off + 14); // one id entry
    dirs.writeUInt32LE(id, off + 16);
    dirs.writeUInt32LE(isLeaf ? nextOff : (nextOff | 0x80000000) >>> 0, off + 20);
  };
  dir(0, 24, false, 16);
  dir(24, 48, false, 1);
  dir(48, 72, true, 0x409);
  o = 72;
  const dataRva = sectRva + dirs.length;
  dirs.writeUInt32LE(dataRva, o);
  dirs.writeUInt32LE(vi.length, o + 4);
  const rsrc = Buffer.concat([dirs, vi]);
  const rawSize = Math.ceil(rsrc.length / fileAlign) * fileAlign;

  const head = Buffer.alloc(headersSize);
  head.write('MZ', 0, 'latin1');
  head.writeUInt32LE(0x40, 0x3c);
  head.write('PE\0\0', 0x40, 'latin1');
  const coff = 0x44;
  head.writeUInt16LE(0x8664, coff); // AMD64
  head.writeUInt16LE(1, coff + 2); // sections
  head.writeUInt16LE(240, coff + 16); // optional header size (PE32+)
  head.writeUInt16LE(0x0022, coff + 18); // executable image, large address aware
  const opt = coff + 20;
  head.writeUInt16LE(0x20b, opt); // PE32+
  head.writeUInt32LE(sectRva, opt + 16 + 4); // BaseOfCode (no code)
  head.writeBigUInt64LE(0x140000000n, opt + 24);
  head.writeUInt32LE(0x1000, opt + 32); // SectionAlignment
  head.writeUInt32LE(fileAlign, opt + 36);
  head.writeUInt16LE(6, opt + 40);
  head.writeUInt16LE(6, opt + 48);
  head.writeUInt32LE(sectRva + 0x1000, opt + 56); // SizeOfImage
  head.writeUInt32LE(headersSize, opt + 60);
  head.writeUInt16LE(3, opt + 68); // console subsystem
  head.writeUInt32LE(16, opt + 108); // NumberOfRvaAndSizes
  const dd = opt + 112;
  head.writeUInt32LE(sectRva, dd + 2 * 8); // resource table
  head.writeUInt32LE(rsrc.length, dd + 2 * 8 + 4);
  const sh = opt + 240;
  head.write('.rsrc', sh, 'latin1');
  head.writeUInt32LE(rsrc.length, sh + 8);
  head.writeUInt32LE(sectRva, sh + 12);
  head.writeUInt32LE(rawSize, sh + 16);
  head.writeUInt32LE(headersSize, sh + 20);
  head.writeUInt32LE(0x40000040, sh + 36); // initialised data, readable
  return Buffer.concat([head, rsrc, Buffer.alloc(rawSize - rsrc.length)]);
}
