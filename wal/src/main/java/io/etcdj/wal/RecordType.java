package io.etcdj.wal;

/** The kinds of WAL record; the codes are part of the on-disk format (see package-info). */
enum RecordType {
  METADATA(1),
  ENTRY(2),
  STATE(3),
  CRC(4),
  SNAPSHOT(5);

  final int code;

  RecordType(int code) {
    this.code = code;
  }

  /** The type with this code, or null if the code is not one of ours. */
  static RecordType ofCode(int code) {
    for (RecordType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
