package io.etcdj.etcdctl.print;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

/** gogo/protobuf's CompactTextString for flat messages ("memberID:1 alarm:NOSPACE "). */
public final class ProtoText {
    private ProtoText() {}

    public static String compact(Message m) {
        StringBuilder b = new StringBuilder();
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (f.isRepeated() || !m.hasField(f) && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE
                    && isZero(m.getField(f))) {
                continue;
            }
            Object v = m.getField(f);
            b.append(f.getName()).append(':');
            if (v instanceof EnumValueDescriptor e) {
                b.append(e.getName());
            } else if (f.getType() == FieldDescriptor.Type.UINT64) {
                b.append(Long.toUnsignedString((Long) v));
            } else if (v instanceof String s) {
                b.append(GoQuote.quote(s));
            } else {
                b.append(v);
            }
            b.append(' ');
        }
        return b.toString();
    }

    private static boolean isZero(Object v) {
        if (v instanceof Number n) return n.longValue() == 0;
        if (v instanceof Boolean bo) return !bo;
        if (v instanceof String s) return s.isEmpty();
        if (v instanceof EnumValueDescriptor e) return e.getNumber() == 0;
        return false;
    }
}
