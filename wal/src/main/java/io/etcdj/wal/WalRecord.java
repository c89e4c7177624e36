package io.etcdj.wal;

/** One verified record read from a segment: its type, body and the frame's byte offset. */
record WalRecord(RecordType type, byte[] body, long offset) {}
