package io.etcdj.server.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Fills a protobuf message from a decoded JSON value the way etcd 3.4's gateway (grpc-gateway
 * with golang/protobuf jsonpb, unknown fields allowed) does: a field is found by its proto name
 * first, then by its lowerCamel JSON name; null leaves a field unset; integers may be numbers or
 * quoted numbers; enums may be names or numbers; bytes are padded standard base64. Errors carry
 * Go's text. Fields are visited in declaration order, oneof members after the others, so the
 * first error reported is the one Go reports.
 */
final class ProtoJsonReader {
    private ProtoJsonReader() {
    }

    static void merge(Object json, Message.Builder builder) throws GoJsonException {
        if (json == JsonTree.Null.NULL) {
            return;
        }
        if (!(json instanceof Map<?, ?> obj)) {
            throw cannot(JsonTree.kind(json), "map[string]json.RawMessage");
        }
        List<FieldDescriptor> fields = builder.getDescriptorForType().getFields();
        for (int pass = 0; pass < 2; pass++) {
            for (FieldDescriptor f : fields) {
                if ((f.getRealContainingOneof() != null) != (pass == 1)) {
                    continue;
                }
                Object v = obj.containsKey(f.getName()) ? obj.get(f.getName()) : obj.get(f.getJsonName());
                if (v == null || v == JsonTree.Null.NULL) {
                    continue;
                }
                if (f.isRepeated()) {
                    if (!(v instanceof List<?> list)) {
                        throw cannot(JsonTree.kind(v), "[]json.RawMessage");
                    }
                    for (Object e : list) {
                        if (e == JsonTree.Null.NULL && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                            builder.addRepeatedField(f, defaultOf(f));
                            continue;
                        }
                        builder.addRepeatedField(f, single(f, e, builder));
                    }
                } else {
                    builder.setField(f, single(f, v, builder));
                }
            }
        }
    }

    private static Object single(FieldDescriptor f, Object v, Message.Builder parent) throws GoJsonException {
        switch (f.getJavaType()) {
            case MESSAGE: {
                Message.Builder b = parent.newBuilderForField(f);
                merge(v, b);
                return b.build();
            }
            case ENUM:
                return enumValue(f.getEnumType(), v);
            case BYTE_STRING:
                if (v instanceof List<?> octets) {
                    // encoding/json also fills a []byte from an array of numbers
                    byte[] out = new byte[octets.size()];
                    for (int i = 0; i < out.length; i++) {
                        Object o = octets.get(i);
                        out[i] = o == JsonTree.Null.NULL ? 0 : (byte) integerOfKind(o, "uint8", 8, false);
                    }
                    return ByteString.copyFrom(out);
                }
                if (!(v instanceof JsonTree.Str s)) {
                    throw cannot(JsonTree.kind(v), "[]uint8");
                }
                return ByteString.copyFrom(GoBase64.decode(s.value()));
            case STRING:
                if (!(v instanceof JsonTree.Str s)) {
                    throw cannot(JsonTree.kind(v), "string");
                }
                return s.value();
            case BOOLEAN:
                if (!(v instanceof Boolean b)) {
                    throw cannot(JsonTree.kind(v), "bool");
                }
                return b;
            case INT:
            case LONG:
                return integer(f, v);
            default:
                throw new GoJsonException("unsupported field type " + f.getType());
        }
    }

    private static EnumValueDescriptor enumValue(EnumDescriptor type, Object v) throws GoJsonException {
        if (v instanceof JsonTree.Str s) {
            EnumValueDescriptor e = type.findValueByName(s.raw());
            if (e == null) {
                throw new GoJsonException("unknown value \"" + s.raw() + "\" for enum " + goName(type));
            }
            return e;
        }
        long n = integerOfKind(v, "int32", 32, true);
        return type.findValueByNumberCreatingIfUnknown((int) n);
    }

    /** Go's registered enum name: package, then the nesting joined with underscores. */
    private static String goName(EnumDescriptor type) {
        String pkg = type.getFile().getPackage();
        String rest = type.getFullName().substring(pkg.isEmpty() ? 0 : pkg.length() + 1);
        return (pkg.isEmpty() ? "" : pkg + ".") + rest.replace('.', '_');
    }

    private static Object integer(FieldDescriptor f, Object v) throws GoJsonException {
        boolean unsigned = switch (f.getType()) {
            case UINT32, UINT64, FIXED32, FIXED64 -> true;
            default -> false;
        };
        boolean wide = f.getJavaType() == FieldDescriptor.JavaType.LONG;
        String goType = (unsigned ? "uint" : "int") + (wide ? "64" : "32");
        if (v instanceof JsonTree.Str s) {
            // jsonpb strips the quotes from the raw text and parses what is left as JSON.
            v = new GoJsonDecoder(s.raw().getBytes(StandardCharsets.UTF_8)).whole();
        }
        long n = integerOfKind(v, goType, wide ? 64 : 32, !unsigned);
        return wide ? (Object) n : (Object) (int) n;
    }

    private static long integerOfKind(Object v, String goType, int bits, boolean signed) throws GoJsonException {
        if (!(v instanceof JsonTree.Num num)) {
            throw cannot(JsonTree.kind(v), goType);
        }
        BigInteger value;
        try {
            value = new BigDecimal(num.literal()).toBigIntegerExact();
            if (num.literal().contains(".") || num.literal().contains("e") || num.literal().contains("E")) {
                throw new ArithmeticException();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw cannot("number " + num.literal(), goType);
        }
        BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
        BigInteger max = signed ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw cannot("number " + num.literal(), goType);
        }
        return value.longValue();
    }

    private static Object defaultOf(FieldDescriptor f) {
        return f.getJavaType() == FieldDescriptor.JavaType.ENUM ? f.getEnumType().getValues().get(0) : f.getDefaultValue();
    }

    private static GoJsonException cannot(String what, String goType) {
        return new GoJsonException("json: cannot unmarshal " + what + " into Go value of type " + goType);
    }
}
