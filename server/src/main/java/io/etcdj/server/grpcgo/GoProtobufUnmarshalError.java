package io.etcdj.server.grpcgo;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The decode error of golang/protobuf 1.3's table-driven unmarshaller, which decodes the messages
 * etcd takes from grpc-go's own packages (grpc.health.v1) rather than from gogoproto: unlike
 * gogoproto it keeps a known field sent with the wrong wire type as an unknown field, a varint
 * too long or cut short is "unexpected EOF", a field it cannot skip is "proto: can't skip unknown
 * wire type W", and a proto3 string must be UTF-8 ("proto: field \"pkg.Msg.field\" contains
 * invalid UTF-8"). Runs on the error path only, as {@link GogoUnmarshalError} does.
 */
final class GoProtobufUnmarshalError {
    private static final String EOF = "unexpected EOF";

    private GoProtobufUnmarshalError() {
    }

    static Optional<String> of(Descriptor type, byte[] bytes) {
        return Optional.ofNullable(unmarshal(type, bytes, 0, bytes.length));
    }

    /** The first error over {@code b[from, to)}, or null. */
    private static String unmarshal(Descriptor type, byte[] b, int from, int to) {
        int at = from;
        while (at < to) {
            long[] tag = varint(b, at, to);
            if (tag == null) {
                return EOF;
            }
            at = (int) tag[1];
            long fieldNum = tag[0] >>> 3;
            int wireType = (int) (tag[0] & 7);
            if (fieldNum == 0) {
                return "proto: " + goPackage(type) + "." + GogoUnmarshalError.goTypeName(type) + ": illegal tag 0 (wire type "
                        + wireType + ")";
            }
            FieldDescriptor field = fieldNum > Integer.MAX_VALUE ? null : type.findFieldByNumber((int) fieldNum);
            if (field != null && wireType == 2 && !field.isRepeated()
                    && (field.getType() == FieldDescriptor.Type.STRING || field.getType() == FieldDescriptor.Type.MESSAGE
                    || field.getType() == FieldDescriptor.Type.BYTES)) {
                long[] length = varint(b, at, to);
                if (length == null || Long.compareUnsigned(length[0], to - length[1]) > 0) {
                    return EOF;
                }
                int start = (int) length[1];
                int end = start + (int) length[0];
                String error = switch (field.getType()) {
                    case STRING -> utf8(b, start, end) ? null
                            : "proto: field \"" + field.getFullName() + "\" contains invalid UTF-8";
                    case MESSAGE -> unmarshal(field.getMessageType(), b, start, end);
                    default -> null;
                };
                if (error != null) {
                    return error;
                }
                at = end;
                continue;
            }
            // unknown, or a known field with a wire type this walk does not decode: skipped by its wire type
            Object skipped = skip(b, at, to, wireType);
            if (skipped instanceof String error) {
                return error;
            }
            at = (Integer) skipped;
        }
        return null;
    }

    /** Where the field's value ends, or the error skipping it gives. */
    private static Object skip(byte[] b, int at, int to, int wireType) {
        switch (wireType) {
            case 0 -> {
                long[] v = varint(b, at, to);
                return v == null ? EOF : (Object) (int) v[1];
            }
            case 1, 5 -> {
                int width = wireType == 1 ? 8 : 4;
                return to - at < width ? EOF : (Object) (at + width);
            }
            case 2 -> {
                long[] length = varint(b, at, to);
                if (length == null || Long.compareUnsigned(length[0], to - length[1]) > 0) {
                    return EOF;
                }
                return (int) (length[1] + length[0]);
            }
            case 3 -> {
                int depth = 1;
                while (at < to) {
                    long[] tag = varint(b, at, to);
                    if (tag == null) {
                        return EOF;
                    }
                    at = (int) tag[1];
                    int inner = (int) (tag[0] & 7);
                    if (inner == 4) {
                        if (--depth == 0) {
                            return at;
                        }
                    } else if (inner == 3) {
                        depth++;
                    } else {
                        Object next = skip(b, at, to, inner);
                        if (next instanceof String error) {
                            return error;
                        }
                        at = (Integer) next;
                    }
                }
                return EOF;
            }
            default -> {
                return "proto: can't skip unknown wire type " + wireType;
            }
        }
    }

    /** Go's decodeVarint: {value, end}, or null when cut short or longer than 10 bytes. */
    private static long[] varint(byte[] b, int at, int to) {
        long value = 0;
        for (int shift = 0; shift < 64 && at < to; shift += 7) {
            int x = b[at++] & 0xff;
            value |= (long) (x & 0x7f) << shift;
            if (x < 0x80) {
                return new long[] {value, at};
            }
        }
        return null;
    }

    private static boolean utf8(byte[] b, int from, int to) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The Go package protoc-gen-go names after the proto package: grpc.health.v1 is grpc_health_v1. */
    private static String goPackage(Descriptor type) {
        return type.getFile().getPackage().replace('.', '_');
    }
}
