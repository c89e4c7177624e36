package io.etcdj.wal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Encodes records into frames (see package-info) in one reusable direct buffer, continuing the
 * crc chain from one record to the next. A batch is {@link #clear() cleared}, filled with
 * {@code append} calls and then {@link #frames() written out} as a whole.
 *
 * <p>Invariant: {@link #lastCrc()} is the crc of the last frame appended (or the value given
 * to {@link #continueChainFrom(int)}); the chain is not rolled back if the caller fails to
 * write the frames, which is why a failed write leaves the WAL unusable.
 */
final class RecordEncoder {
  private final CRC32C crc = new CRC32C();
  private final byte[] prevCrcBytes = new byte[4];
  private ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
  private int lastCrc;

  RecordEncoder(int lastCrc) {
    this.lastCrc = lastCrc;
  }

  int lastCrc() {
    return lastCrc;
  }

  void continueChainFrom(int crc) {
    this.lastCrc = crc;
  }

  /** Starts a new batch: forgets the frames of the previous one (not the crc chain). */
  void clear() {
    buf.clear();
  }

  /** Bytes encoded since {@link #clear()}. */
  int size() {
    return buf.position();
  }

  /** The frames encoded since {@link #clear()}, as a fresh read-only view. */
  ByteBuffer frames() {
    ByteBuffer view = buf.duplicate();
    view.flip();
    return view;
  }

  void append(RecordType type, MessageLite message) {
    int n = message.getSerializedSize();
    int bodyStart = beginFrame(type, n);
    ByteBuffer body = buf.duplicate();
    body.position(bodyStart).limit(bodyStart + n);
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(body.slice());
      message.writeTo(out);
      out.flush();
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding a " + type + " record", e);
    }
    buf.position(bodyStart + n);
    endFrame(bodyStart - WalFormat.HEADER_BYTES, n);
  }

  void append(RecordType type, byte[] body) {
    int bodyStart = beginFrame(type, body.length);
    buf.put(body);
    endFrame(bodyStart - WalFormat.HEADER_BYTES, body.length);
  }

  void appendCrcRecord(int carried) {
    lastCrc = carried;
    append(RecordType.CRC, le32(carried));
  }

  void appendSnapshotMarker(SnapshotMarker marker) {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(marker.index()).putLong(marker.term());
    append(RecordType.SNAPSHOT, b.array());
  }

  private int beginFrame(RecordType type, int bodyLength) {
    if (bodyLength > WalFormat.MAX_BODY) {
      throw new IllegalArgumentException(
          type + " record of " + bodyLength + " bytes exceeds " + WalFormat.MAX_BODY);
    }
    ensureRoom(WalFormat.frameLength(bodyLength));
    buf.putLong(WalFormat.headerWord(bodyLength, type));
    return buf.position();
  }

  private void endFrame(int frameStart, int bodyLength) {
    int bodyEnd = buf.position();
    for (int i = bodyLength; i < WalFormat.padded(bodyLength); i++) {
      buf.put((byte) 0);
    }
    crc.reset();
    putLe32(prevCrcBytes, lastCrc);
    crc.update(prevCrcBytes, 0, 4);
    ByteBuffer covered = buf.duplicate();
    covered.position(frameStart).limit(bodyEnd);
    crc.update(covered);
    lastCrc = (int) crc.getValue();
    buf.putLong(WalFormat.trailerWord(lastCrc));
  }

  private void ensureRoom(long frameLength) {
    if (buf.remaining() >= frameLength) {
      return;
    }
    long wanted = Math.max((long) buf.capacity() * 2, buf.position() + frameLength);
    if (wanted > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("batch too large for one write: " + wanted + " bytes");
    }
    ByteBuffer bigger = ByteBuffer.allocateDirect((int) wanted).order(ByteOrder.LITTLE_ENDIAN);
    buf.flip();
    bigger.put(buf);
    buf = bigger;
  }

  static byte[] le32(int v) {
    byte[] b = new byte[4];
    putLe32(b, v);
    return b;
  }

  private static void putLe32(byte[] b, int v) {
    b[0] = (byte) v;
    b[1] = (byte) (v >>> 8);
    b[2] = (byte) (v >>> 16);
    b[3] = (byte) (v >>> 24);
  }
}
