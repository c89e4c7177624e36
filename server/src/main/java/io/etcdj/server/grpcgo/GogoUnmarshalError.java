package io.etcdj.server.grpcgo;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Optional;

/**
 * The error etcd's request decoding gives for a byte sequence: etcd's messages are decoded by
 * gogoproto's generated {@code Unmarshal} methods, which stop at the first mistake in wire order
 * and say "unexpected EOF", "proto: integer overflow", "proto: negative length found during
 * unmarshaling", "proto: wrong wireType = W for field GoName", "proto: Msg: illegal tag N (wire
 * type T)", "proto: Msg: wiretype end group for non-group", "proto: illegal wireType W" or
 * "proto: unexpected end of group" (the rules of gogoproto 1.3.2, which etcd 3.4.23 is built
 * with). This walks the bytes against the message's descriptor by those rules; it runs only on
 * the error path (after protobuf-java refused the bytes, or kept a field with the wrong wire type
 * as unknown), never on a request that decodes.
 *
 * <p>Strings are not checked for UTF-8, as gogoproto does not check them: such a request is
 * valid to etcd and {@link #of} finds nothing (protobuf-java refuses it; see the caller).
 */
public final class GogoUnmarshalError {
    private static final String EOF = "unexpected EOF";
    private static final String OVERFLOW = "proto: integer overflow";
    private static final String NEGATIVE_LENGTH = "proto: negative length found during unmarshaling";

    private GogoUnmarshalError() {
    }

    /** gogoproto's error for {@code bytes} as a {@code type}, or empty when it decodes. */
    public static Optional<String> of(Descriptor type, byte[] bytes) {
        try {
            unmarshal(type, bytes, 0, bytes.length);
            return Optional.empty();
        } catch (Refusal r) {
            return Optional.of(r.getMessage());
        }
    }

    /** One message's Unmarshal over {@code b[from, to)}; the wire index never passes {@code to}. */
    private static void unmarshal(Descriptor type, byte[] b, int from, int to) {
        Cursor c = new Cursor(b, from, to);
        while (c.at < to) {
            int preIndex = c.at;
            long wire = c.varint();
            int fieldNum = (int) (wire >>> 3);
            int wireType = (int) (wire & 7);
            if (wireType == 4) {
                throw new Refusal("proto: " + goTypeName(type) + ": wiretype end group for non-group");
            }
            if (fieldNum <= 0) {
                throw new Refusal("proto: " + goTypeName(type) + ": illegal tag " + fieldNum + " (wire type "
                        + Long.toUnsignedString(wire) + ")");
            }
            FieldDescriptor field = type.findFieldByNumber(fieldNum);
            if (field == null) {
                c.at = preIndex;
                long skippy = skip(b, c.at, to);
                if (skippy < 0 || c.at + skippy < 0) {
                    throw new Refusal(NEGATIVE_LENGTH);
                }
                if (c.at + skippy > to) {
                    throw new Refusal(EOF);
                }
                c.at += (int) skippy;
            } else {
                field(field, wireType, c);
            }
        }
    }

    private static void field(FieldDescriptor field, int wireType, Cursor c) {
        int expected = expectedWireType(field);
        boolean packable = field.isRepeated() && expected != 2;
        if (packable && wireType == 2) {
            int end = c.lengthDelimited();
            while (c.at < end) {
                scalar(expected, c);
            }
            return;
        }
        if (wireType != expected) {
            throw new Refusal("proto: wrong wireType = " + wireType + " for field " + goFieldName(field));
        }
        if (expected == 2) {
            int end = c.lengthDelimited();
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                unmarshal(field.getMessageType(), c.bytes, c.at, end);
            }
            c.at = end;
        } else {
            scalar(expected, c);
        }
    }

    /** Reads one value of wire type 0, 1 or 5. */
    private static void scalar(int wireType, Cursor c) {
        switch (wireType) {
            case 0 -> c.varint();
            case 1 -> c.fixed(8);
            default -> c.fixed(4);
        }
    }

    private static int expectedWireType(FieldDescriptor f) {
        return switch (f.getType()) {
            case DOUBLE, FIXED64, SFIXED64 -> 1;
            case FLOAT, FIXED32, SFIXED32 -> 5;
            case STRING, BYTES, MESSAGE, GROUP -> 2;
            default -> 0;
        };
    }

    /** gogoproto's skip of one unknown field starting at {@code from}: how many bytes it takes. */
    private static long skip(byte[] b, int from, int to) {
        Cursor c = new Cursor(b, from, to);
        long at = from;
        int depth = 0;
        while (at < to) {
            c.at = (int) at;
            long wire = c.varint();
            at = c.at;
            int wireType = (int) (wire & 7);
            switch (wireType) {
                case 0 -> {
                    c.varint();
                    at = c.at;
                }
                case 1 -> at += 8;
                case 2 -> {
                    long length = c.varint(); // Go's int: 64 bits, so it can come out negative
                    if (length < 0) {
                        throw new Refusal(NEGATIVE_LENGTH);
                    }
                    at = c.at + length;
                }
                case 3 -> depth++;
                case 4 -> {
                    if (depth == 0) {
                        throw new Refusal("proto: unexpected end of group");
                    }
                    depth--;
                }
                case 5 -> at += 4;
                default -> throw new Refusal("proto: illegal wireType " + wireType);
            }
            if (at < 0) {
                throw new Refusal(NEGATIVE_LENGTH);
            }
            if (depth == 0) {
                return at - from;
            }
        }
        throw new Refusal(EOF);
    }

    /** The Go type gogoproto generates for a message: nested types joined by '_'. */
    static String goTypeName(Descriptor type) {
        String full = type.getFullName();
        String pkg = type.getFile().getPackage();
        return (pkg.isEmpty() ? full : full.substring(pkg.length() + 1)).replace('.', '_');
    }

    /** The Go field name gogoproto generates (protoc-gen-go's CamelCase): "range_end" is RangeEnd. */
    static String goFieldName(FieldDescriptor f) {
        String name = f.getName();
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (i == 0 && ch == '_') {
                out.append('X');
            } else if (ch == '_' && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1))) {
                out.append(Character.toUpperCase(name.charAt(++i)));
            } else if (i == 0 || (i > 0 && name.charAt(i - 1) == '_' && Character.isLowerCase(ch))) {
                out.append(Character.toUpperCase(ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** gogoproto's reading position over {@code bytes[.., limit)}, with its varint rules. */
    private static final class Cursor {
        final byte[] bytes;
        final int limit;
        int at;

        Cursor(byte[] bytes, int at, int limit) {
            this.bytes = bytes;
            this.at = at;
            this.limit = limit;
        }

        /** A uint64 varint: at most 64 bits of shift, and the bytes must be there. */
        long varint() {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                if (shift >= 64) {
                    throw new Refusal(OVERFLOW);
                }
                if (at >= limit) {
                    throw new Refusal(EOF);
                }
                int x = bytes[at++] & 0xff;
                value |= (long) (x & 0x7f) << shift;
                if (x < 0x80) {
                    return value;
                }
            }
        }

        void fixed(int width) {
            at += width;
            if (at > limit || at < 0) {
                throw new Refusal(EOF);
            }
        }

        /** A length prefix; returns the end it announces, leaving {@link #at} at the content's start. */
        int lengthDelimited() {
            long length = varint(); // Go's int: 64 bits, so it can come out negative
            if (length < 0) {
                throw new Refusal(NEGATIVE_LENGTH);
            }
            long post = at + length;
            if (post < 0) { // overflowed, as Go's int does
                throw new Refusal(NEGATIVE_LENGTH);
            }
            if (post > limit) {
                throw new Refusal(EOF);
            }
            return (int) post;
        }
    }

    /** Ends the walk with gogoproto's text. */
    private static final class Refusal extends RuntimeException {
        Refusal(String text) {
            super(text, null, false, false);
        }
    }
}
