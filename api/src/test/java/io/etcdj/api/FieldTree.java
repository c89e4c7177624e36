package io.etcdj.api;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A schema-neutral picture of a decoded message, keyed by field number (names are compared
 * separately, by the schema checks): two messages of different generated classes have equal
 * trees exactly when they hold the same values in the same field numbers. Enums become their
 * numbers, nested messages become trees, and anything the decoder did not recognise shows up
 * under key {@link #UNKNOWN} so that a field missing on one side cannot go unnoticed.
 */
final class FieldTree {

  static final int UNKNOWN = -1;

  private FieldTree() {
  }

  static SortedMap<Integer, Object> of(MessageOrBuilder message) {
    SortedMap<Integer, Object> tree = new TreeMap<>();
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      Object value = entry.getValue();
      if (field.isRepeated()) {
        List<Object> items = new ArrayList<>();
        for (Object item : (List<?>) value) {
          items.add(canonical(item));
        }
        tree.put(field.getNumber(), items);
      } else {
        tree.put(field.getNumber(), canonical(value));
      }
    }
    if (!message.getUnknownFields().asMap().isEmpty()) {
      tree.put(UNKNOWN, message.getUnknownFields().toString());
    }
    return tree;
  }

  private static Object canonical(Object value) {
    if (value instanceof MessageOrBuilder nested) {
      return of(nested);
    }
    if (value instanceof EnumValueDescriptor enumValue) {
      return enumValue.getNumber();
    }
    return value;
  }
}
