package io.etcdj.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything about a message, enum or service that shows on the wire or in the JSON mapping,
 * written out as sorted text so that two schemas can be compared with a readable diff.
 */
final class SchemaShape {

  private SchemaShape() {
  }

  /** Field number to "name type label presence [type name] [oneof]". */
  static SortedMap<Integer, String> of(Descriptor message) {
    SortedMap<Integer, String> shape = new TreeMap<>();
    for (FieldDescriptor field : message.getFields()) {
      StringBuilder text = new StringBuilder()
          .append(field.getName()).append(' ')
          .append(field.getType()).append(' ')
          .append(field.isRepeated() ? "repeated" : "singular")
          .append(field.isPacked() ? " packed" : "")
          .append(field.hasPresence() ? " has-presence" : "");
      switch (field.getJavaType()) {
        case MESSAGE -> text.append(' ').append(field.getMessageType().getFullName());
        case ENUM -> text.append(' ').append(field.getEnumType().getFullName());
        default -> { }
      }
      if (field.getRealContainingOneof() != null) {
        text.append(" oneof ").append(field.getRealContainingOneof().getName());
      }
      shape.put(field.getNumber(), text.toString());
    }
    return shape;
  }

  /** Value number to name. */
  static SortedMap<Integer, String> of(EnumDescriptor type) {
    SortedMap<Integer, String> shape = new TreeMap<>();
    type.getValues().forEach(v -> shape.put(v.getNumber(), v.getName()));
    return shape;
  }

  /** Method name to "(stream) Input -> (stream) Output". */
  static SortedMap<String, String> of(ServiceDescriptor service) {
    SortedMap<String, String> shape = new TreeMap<>();
    for (MethodDescriptor method : service.getMethods()) {
      shape.put(method.getName(),
          (method.isClientStreaming() ? "stream " : "") + method.getInputType().getFullName()
              + " -> " + (method.isServerStreaming() ? "stream " : "") + method.getOutputType().getFullName());
    }
    return shape;
  }
}
