package io.etcdj.server.randomized;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Rewrites a protobuf message and every message inside it, the innermost first. */
final class MessageWalk {
    private MessageWalk() {
    }

    /** {@code message} with {@code each} applied to every nested message (children before parents), then to itself. */
    static Message bottomUp(Message message, UnaryOperator<Message> each) {
        Message.Builder b = message.toBuilder();
        for (Map.Entry<FieldDescriptor, Object> f : message.getAllFields().entrySet()) {
            FieldDescriptor field = f.getKey();
            if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (field.isRepeated()) {
                List<?> items = (List<?>) f.getValue();
                for (int i = 0; i < items.size(); i++) {
                    b.setRepeatedField(field, i, bottomUp((Message) items.get(i), each));
                }
            } else {
                b.setField(field, bottomUp((Message) f.getValue(), each));
            }
        }
        return each.apply(b.build());
    }
}
