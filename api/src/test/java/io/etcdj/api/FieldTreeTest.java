package io.etcdj.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The comparison the wire-identity test relies on can fail: decoding with a schema that differs
 * in a field number or a field type gives a different field tree.
 */
class FieldTreeTest {

    @Test
    void theSameBytesDecodedWithTheSameSchemaGiveEqualTrees() throws Exception {
        PutRequest put = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setLease(-5).setPrevKv(true).build();
        DynamicMessage decoded = DynamicMessage.parseFrom(PutRequest.getDescriptor(), put.toByteArray());
        assertThat(FieldTree.of(decoded)).isEqualTo(FieldTree.of(put));
    }

    @Test
    void aRenumberedFieldLeavesTheValueUnknownAndTheTreesDiffer() throws Exception {
        RangeRequest range = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("a")).setLimit(10).build();
        Descriptor renumbered = rangeRequestWith(field -> field.getName().equals("limit") ? field.toBuilder().setNumber(99).build() : field);

        DynamicMessage decoded = DynamicMessage.parseFrom(renumbered, range.toByteArray());

        assertThat(FieldTree.of(decoded)).containsKey(FieldTree.UNKNOWN).isNotEqualTo(FieldTree.of(range));
    }

    @Test
    void aFieldWithAnotherVarintEncodingDecodesToAnotherValue() throws Exception {
        RangeRequest range = RangeRequest.newBuilder().setRevision(7).build();
        Descriptor zigzag = rangeRequestWith(field -> field.getName().equals("revision")
                ? field.toBuilder().setType(FieldDescriptorProto.Type.TYPE_SINT64).build() : field);

        DynamicMessage decoded = DynamicMessage.parseFrom(zigzag, range.toByteArray());

        assertThat(FieldTree.of(decoded)).doesNotContainKey(FieldTree.UNKNOWN).isNotEqualTo(FieldTree.of(range));
    }

    /** A copy of RangeRequest's schema (enums dropped: its enum fields become int32) with one field rewritten. */
    private static Descriptor rangeRequestWith(UnaryOperator<FieldDescriptorProto> rewrite)
            throws DescriptorValidationException {
        var message = RangeRequest.getDescriptor().toProto().toBuilder().clearEnumType();
        for (int i = 0; i < message.getFieldCount(); i++) {
            FieldDescriptorProto field = message.getField(i);
            if (field.getType() == FieldDescriptorProto.Type.TYPE_ENUM) {
                field = field.toBuilder().clearTypeName().setType(FieldDescriptorProto.Type.TYPE_INT32).build();
            }
            message.setField(i, rewrite.apply(field));
        }
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("altered.proto").setPackage("altered").setSyntax("proto3").addMessageType(message).build();
        return FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName("RangeRequest");
    }
}
