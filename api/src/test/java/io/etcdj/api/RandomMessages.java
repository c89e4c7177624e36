package io.etcdj.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Fills protobuf builders with random values, driven only by the descriptor: every scalar type,
 * strings, bytes, enums, repeated fields, nested messages and map entries. Deterministic for a
 * given seed. Fields the caller names are left unset.
 *
 * <p>Every field is set, except that of each oneof only one member can be: the caller's
 * {@code oneofChoice} selects which (index modulo the oneof's size), so running choices
 * 0..n-1 covers every member. Nested messages stop at {@link #MAX_DEPTH} so that recursive
 * types (a Txn inside a RequestOp inside a Txn) stay finite.
 */
final class RandomMessages {

  static final int MAX_DEPTH = 4;

  private final Random random;
  private final Predicate<FieldDescriptor> leaveUnset;

  /** @param leaveUnset fields never to fill, at any depth (those the other side cannot know) */
  RandomMessages(long seed, Predicate<FieldDescriptor> leaveUnset) {
    this.random = new Random(seed);
    this.leaveUnset = leaveUnset;
  }

  /** Sets every field of {@code builder} (see the class comment for oneofs) and returns it. */
  <B extends Message.Builder> B fill(B builder, int oneofChoice) {
    fill(builder, oneofChoice, 0);
    return builder;
  }

  private void fill(Message.Builder builder, int oneofChoice, int depth) {
    for (FieldDescriptor field : builder.getDescriptorForType().getFields()) {
      OneofDescriptor oneof = field.getRealContainingOneof();
      if (oneof != null && oneof.getField(Math.floorMod(oneofChoice, oneof.getFieldCount())) != field) {
        continue;
      }
      if (leaveUnset.test(field)
          || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth >= MAX_DEPTH) {
        continue;
      }
      if (field.isRepeated()) {
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
          builder.addRepeatedField(field, value(builder, field, depth));
        }
      } else {
        builder.setField(field, value(builder, field, depth));
      }
    }
  }

  private Object value(Message.Builder parent, FieldDescriptor field, int depth) {
    return switch (field.getType()) {
      case INT32, SINT32, SFIXED32, UINT32, FIXED32 -> random.nextInt();
      case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> random.nextLong();
      case BOOL -> random.nextBoolean();
      case FLOAT -> (random.nextFloat() - 0.5f) * 1e6f;
      case DOUBLE -> (random.nextDouble() - 0.5) * 1e12;
      case STRING -> string();
      case BYTES -> bytes();
      case ENUM -> enumValue(field.getEnumType());
      case MESSAGE, GROUP -> {
        Message.Builder child = parent.newBuilderForField(field);
        fill(child, random.nextInt(8), depth + 1);
        yield child.build();
      }
    };
  }

  private Object enumValue(EnumDescriptor type) {
    return type.getValues().get(random.nextInt(type.getValues().size()));
  }

  /** Mostly ASCII, sometimes any code point outside the surrogate range (valid UTF-8 either way). */
  private String string() {
    int length = random.nextInt(10);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int codePoint;
      if (random.nextInt(4) > 0) {
        codePoint = 0x20 + random.nextInt(0x5f);
      } else {
        do {
          codePoint = 1 + random.nextInt(Character.MAX_CODE_POINT);
        } while (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
      }
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }

  private ByteString bytes() {
    byte[] data = new byte[random.nextInt(16)];
    random.nextBytes(data);
    return ByteString.copyFrom(data);
  }
}
