package io.etcdj.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One side's view of etcd's v3 API: every message, enum and service (by full proto name, e.g.
 * {@code etcdserverpb.RangeRequest}) reachable from some root .proto files, restricted to
 * etcd's own proto packages (google.api annotations and the like are left out).
 *
 * <p>Both sides are generated with {@code java_multiple_files = true}, so the Java class of a
 * message is {@code java_package + "." + OuterMessage$Nested}; {@link #generatedClass} relies on it.
 */
final class ProtoSchema {

    /** The proto packages that make up etcd's v3 API. */
    static final Set<String> ETCD_PACKAGES =
            Set.of("etcdserverpb", "mvccpb", "authpb", "v3lockpb", "v3electionpb");

    final String side;
    final SortedMap<String, Descriptor> messages = new TreeMap<>();
    final SortedMap<String, EnumDescriptor> enums = new TreeMap<>();
    final SortedMap<String, ServiceDescriptor> services = new TreeMap<>();

    private ProtoSchema(String side) {
        this.side = side;
    }

    static ProtoSchema of(String side, List<FileDescriptor> roots) {
        ProtoSchema schema = new ProtoSchema(side);
        Set<FileDescriptor> seen = new HashSet<>();
        Deque<FileDescriptor> pending = new ArrayDeque<>(roots);
        while (!pending.isEmpty()) {
            FileDescriptor file = pending.pop();
            if (!seen.add(file)) {
                continue;
            }
            pending.addAll(file.getDependencies());
            if (!ETCD_PACKAGES.contains(file.getPackage())) {
                continue;
            }
            file.getMessageTypes().forEach(schema::addMessage);
            file.getEnumTypes().forEach(e -> schema.enums.put(e.getFullName(), e));
            file.getServices().forEach(s -> schema.services.put(s.getFullName(), s));
        }
        return schema;
    }

    private void addMessage(Descriptor message) {
        messages.put(message.getFullName(), message);
        message.getEnumTypes().forEach(e -> enums.put(e.getFullName(), e));
        message.getNestedTypes().forEach(this::addMessage);
    }

    /** The generated message class for {@code type}, found from the file's java options. */
    static Class<? extends Message> generatedClass(Descriptor type) {
        if (!type.getFile().getOptions().getJavaMultipleFiles()) {
            throw new IllegalStateException(type.getFile().getName() + " is not java_multiple_files");
        }
        Deque<String> path = new ArrayDeque<>();
        for (Descriptor d = type; d != null; d = d.getContainingType()) {
            path.push(d.getName());
        }
        String name = type.getFile().getOptions().getJavaPackage() + "." + String.join("$", path);
        try {
            return Class.forName(name).asSubclass(Message.class);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no generated class " + name + " for " + type.getFullName(), e);
        }
    }

    /** The default instance of the generated class of {@code type}; its descriptor is {@code type}. */
    static Message defaultInstance(Descriptor type) {
        try {
            Message instance = (Message) generatedClass(type).getMethod("getDefaultInstance").invoke(null);
            if (instance.getDescriptorForType() != type) {
                throw new IllegalStateException("generated class of " + type.getFullName() + " has another descriptor");
            }
            return instance;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> summary(ProtoSchema s) {
        return Map.of("messages", s.messages.size(), "enums", s.enums.size(), "services", s.services.size());
    }
}
