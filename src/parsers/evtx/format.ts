/**
 * Layout constants of the Windows XML Event Log (EVTX) format: file header, 64 KiB chunks,
 * event records and the binary XML tokens and value types inside them.
 *
 * Sources (facts only, no code copied):
 * - libyal/libevtx, documentation "Windows XML Event Log (EVTX).asciidoc" and
 *   libevtx/evtx_chunk.h (chunk header fields, CRC32 ranges).
 * - williballenthin/python-evtx, Evtx/Nodes.py (token and variant type numbering).
 * - Microsoft [MS-EVEN6] 2.2.12 "BinXml" (token grammar).
 */

export const FILE_MAGIC = 'ElfFile\0';
export const CHUNK_MAGIC = 'ElfChnk\0';
/** The file header block; chunks start right after it. */
export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 0x10000;
export const CHUNK_HEADER_SIZE = 512;

/** File header: CRC32 of bytes [0, 120) is stored at 124; flags (1 = dirty, 2 = full) at 120. */
export const FH_HEADER_BLOCK_SIZE = 40;
export const FH_CHUNK_COUNT = 42;
export const FH_FLAGS = 120;
export const FH_CRC = 124;

/** Chunk header offsets (little-endian). */
export const CH_FIRST_RECORD_NUMBER = 8;
export const CH_LAST_RECORD_NUMBER = 16;
export const CH_FIRST_RECORD_ID = 24;
export const CH_LAST_RECORD_ID = 32;
export const CH_HEADER_SIZE = 40;
export const CH_LAST_RECORD_OFFSET = 44;
export const CH_FREE_SPACE_OFFSET = 48;
/** CRC32 of the event records, bytes [512, free space offset). */
export const CH_DATA_CRC = 52;
export const CH_FLAGS = 120;
/** CRC32 of chunk bytes [0, 120) followed by [128, 512). */
export const CH_HEADER_CRC = 124;
/** 64 common string offsets, then 32 template offsets (both chunk-relative). */
export const CH_STRING_TABLE = 128;
export const CH_TEMPLATE_TABLE = 384;

/** Event record: magic "**\0\0", size, record id (u64), written time (FILETIME), BinXml, size copy. */
export const RECORD_MAGIC = 0x00002a2a;
export const RECORD_HEADER_SIZE = 24;

/** BinXml tokens (low nibble; 0x40 is the "more data / has attributes" flag). */
export const Tok = {
  Eof: 0x00,
  OpenStartElement: 0x01,
  CloseStartElement: 0x02,
  CloseEmptyElement: 0x03,
  EndElement: 0x04,
  Value: 0x05,
  Attribute: 0x06,
  CData: 0x07,
  CharRef: 0x08,
  EntityRef: 0x09,
  PiTarget: 0x0a,
  PiData: 0x0b,
  TemplateInstance: 0x0c,
  NormalSubstitution: 0x0d,
  OptionalSubstitution: 0x0e,
  FragmentHeader: 0x0f,
} as const;
export const TOKEN_MORE_FLAG = 0x40;

/** BinXml value types; `ARRAY_FLAG` marks an array of the base type. */
export const VT = {
  Null: 0x00,
  WString: 0x01,
  AnsiString: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SysTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
} as const;
export const ARRAY_FLAG = 0x80;
