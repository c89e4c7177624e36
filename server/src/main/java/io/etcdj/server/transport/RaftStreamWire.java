package io.etcdj.server.transport;

import com.google.protobuf.CodedOutputStream;
import io.etcdj.server.pb.PeerBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The raft stream's bytes on the peer port (after TLS, when the peer URL is https): the sender
 * opens a connection, writes {@link #PREFACE}, then one frame per batch of raft messages — a
 * 4-byte big-endian length followed by that many bytes of a serialized {@link PeerBatch}. The
 * receiver never writes; it closes the connection to refuse the stream (another cluster, a
 * removed member, a frame over {@link #MAX_FRAME_BYTES}, bytes that do not parse).
 *
 * <p>It exists beside the gRPC stream (which the receiver still accepts) because the raft loop
 * can write it into its socket itself: gRPC hands every write to a Netty thread, and that wake-up
 * cost a measured ≈100 µs per append and per acknowledgement on a small machine.
 */
final class RaftStreamWire {
    /**
     * What a raft stream starts with; neither an HTTP/2 preface nor an HTTP/1 request line. It ends
     * as an HTTP header block does (an empty line), so whatever reads a connection's opening up to
     * that end before forwarding it (an HTTP-aware proxy, the robustness suite's link proxy) sees
     * it whole at once instead of waiting for more.
     */
    static final byte[] PREFACE = "ETCDJ-RAFT-STREAM/1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final int LENGTH_BYTES = 4;
    static final int MAX_FRAME_BYTES = PeerMethods.MAX_MESSAGE_BYTES;

    private RaftStreamWire() {}

    /** One frame holding {@code batch}, ready to be written (position 0, limit at its end). */
    static ByteBuffer frame(PeerBatch batch) {
        int size = batch.getSerializedSize();
        ByteBuffer frame = ByteBuffer.allocate(LENGTH_BYTES + size);
        frame.putInt(size);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(frame);
            batch.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("a batch did not fit its own serialized size", e);
        }
        frame.flip();
        return frame;
    }

    /** The preface as a buffer ready to be written. */
    static ByteBuffer preface() {
        return ByteBuffer.wrap(PREFACE.clone());
    }
}
