package io.etcdj.server.grpcgo;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A method's request marshaller that refuses what grpc-go's server refuses before etcd's handler
 * sees it, with grpc-go's code and text: a message over the receive limit (RESOURCE_EXHAUSTED,
 * checked on the stream's known length, before anything is parsed) and bytes that do not decode
 * (INTERNAL, with the Go decoder's reason; see {@link #goReason}). A refused message is
 * returned as a {@link Refused} in place of the request (the types are erased), which
 * {@link RefusingCallHandler} turns into the call's end before any handler sees it.
 *
 * <p>A request that decodes costs one length check, a mark on the stream (no copy), a look at its
 * unknown fields and at its encoded size. protobuf-java keeps a known field sent with the wrong
 * wire type as unknown (at any depth) where gogoproto refuses it, and it cuts a length prefix to
 * its low 32 bits where Go reads all 64 (a length of 2^32 + 1 is 1 to protobuf-java, far past the
 * end to Go): so a request with unknown fields anywhere, or whose bytes are not as many as its
 * canonical encoding, is walked again by Go's rules; that walk finds nothing in a mere
 * non-canonical encoding (repeated fields, overlong varints), which is accepted.
 */
final class CheckedRequests<Q> implements MethodDescriptor.Marshaller<Q> {
    private final MethodDescriptor.Marshaller<Q> decoder;
    private final int maxRecvBytes;
    /** grpc-go words a decode failure differently for a unary request and a streamed one. */
    private final String decodeFailurePrefix;
    /** The request's type, to explain a decode failure as etcd's Go decoder would; null if unknown. */
    private final Descriptor type;

    CheckedRequests(MethodDescriptor.Marshaller<Q> decoder, int maxRecvBytes, boolean unary) {
        this.decoder = decoder;
        this.maxRecvBytes = maxRecvBytes;
        this.decodeFailurePrefix = unary ? "grpc: error unmarshalling request: "
                : "grpc: failed to unmarshal the received message ";
        this.type = decoder instanceof MethodDescriptor.PrototypeMarshaller<Q> p
                && p.getMessagePrototype() instanceof Message m ? m.getDescriptorForType() : null;
    }

    /** A request refused before decoding, standing in for the request object. */
    record Refused(Status status) {
    }

    @Override
    public InputStream stream(Q value) {
        return decoder.stream(value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Q parse(InputStream in) {
        return (Q) parseOrRefuse(in);
    }

    private Object parseOrRefuse(InputStream in) {
        int size = knownSize(in);
        if (size > maxRecvBytes) {
            return new Refused(Status.RESOURCE_EXHAUSTED.withDescription(GoGrpcRefusals.receivedTooLarge(size, maxRecvBytes)));
        }
        boolean rereadable = in.markSupported();
        if (rereadable) {
            in.mark(Integer.MAX_VALUE);
        }
        Q parsed;
        try {
            parsed = decoder.parse(in);
        } catch (RuntimeException e) {
            byte[] bytes = rereadable ? reread(in) : null;
            String go = type == null || bytes == null ? null : goReason(type, bytes).orElse(null);
            return decodeFailure(go != null ? go : protobufReason(e));
        }
        if (type != null && parsed instanceof Message m
                && (hasUnknownFields(m) || (size >= 0 && m.getSerializedSize() != size))) {
            byte[] bytes = rereadable ? reread(in) : null;
            String go = goReason(type, bytes != null ? bytes : m.toByteArray()).orElse(null);
            if (go != null) {
                return decodeFailure(go);
            }
        }
        return parsed;
    }

    /** Whether {@code m} or a message inside it kept a field as unknown (perhaps one with the wrong wire type). */
    private static boolean hasUnknownFields(Message m) {
        if (!m.getUnknownFields().asMap().isEmpty()) {
            return true;
        }
        for (Descriptors.FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (f.getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (f.isRepeated()) {
                for (int i = 0, n = m.getRepeatedFieldCount(f); i < n; i++) {
                    if (hasUnknownFields((Message) m.getRepeatedField(f, i))) {
                        return true;
                    }
                }
            } else if (m.hasField(f) && hasUnknownFields((Message) m.getField(f))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why etcd would not decode {@code bytes} as a {@code type}: etcd's own messages go through
     * gogoproto's generated code, grpc-go's (grpc.health.v1) through golang/protobuf.
     */
    static Optional<String> goReason(Descriptor type, byte[] bytes) {
        return type.getFile().getPackage().startsWith("grpc.") ? GoProtobufUnmarshalError.of(type, bytes)
                : GogoUnmarshalError.of(type, bytes);
    }

    private Refused decodeFailure(String reason) {
        return new Refused(Status.INTERNAL.withDescription(decodeFailurePrefix + reason));
    }

    private static int knownSize(InputStream in) {
        try {
            return in instanceof KnownLength ? in.available() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The message's bytes again, after a failed parse (the error path only). */
    private static byte[] reread(InputStream in) {
        try {
            in.reset();
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** What protobuf-java said, for bytes gogoproto would take (a string that is not UTF-8). */
    private static String protobufReason(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidProtocolBufferException p) {
                return p.getMessage();
            }
        }
        return String.valueOf(e.getMessage());
    }
}
