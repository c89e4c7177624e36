package io.etcdj.wal;

import java.util.zip.CRC32C;

/** The constants and small computations of the on-disk WAL format described in package-info. */
final class WalFormat {
  static final int ALIGN = 8;
  static final int HEADER_BYTES = 8;
  static final int TRAILER_BYTES = 8;
  static final int SECTOR_BYTES = 512;
  static final int MAX_BODY = 1 << 30;
  /** etcd's segment size: 64,000,000 bytes. */
  static final long DEFAULT_SEGMENT_BYTES = 64L * 1000 * 1000;

  private WalFormat() {}

  static int padded(int bodyLength) {
    return (bodyLength + ALIGN - 1) & ~(ALIGN - 1);
  }

  static long frameLength(int bodyLength) {
    return HEADER_BYTES + (long) padded(bodyLength) + TRAILER_BYTES;
  }

  /** The header word for a body of this length and type (little-endian when written). */
  static long headerWord(int bodyLength, RecordType type) {
    long lengthAndType = (bodyLength & 0xFFFFFFFFL) | ((long) type.code << 32);
    return lengthAndType | ((long) headerCheck(lengthAndType) << 40);
  }

  /** The low 24 bits of CRC32C over bytes 0..4 of the header word. */
  static int headerCheck(long lengthAndType) {
    CRC32C c = new CRC32C();
    for (int i = 0; i < 5; i++) {
      c.update((int) (lengthAndType >>> (8 * i)) & 0xFF);
    }
    return (int) (c.getValue() & 0xFFFFFF);
  }

  static long trailerWord(int crc) {
    return (crc & 0xFFFFFFFFL) | ((long) ~crc << 32);
  }
}
